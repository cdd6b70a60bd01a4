import { useEffect, useEffectEvent, useRef } from 'react';

/** PopupOptions tune usePopup for one popup. */
export interface PopupOptions {
  /** focusFirst is a selector inside the popup whose first match gets the focus when it opens. */
  focusFirst?: string;
  /**
   * roving moves the focus between the entries matching selector with the
   * arrow keys of the orientation (and Home/End when vertical), wrapping
   * around.
   */
  roving?: { selector: string; orientation: 'vertical' | 'horizontal' };
  /** closeOnTab closes the popup when Tab moves the focus on, as a menu does. */
  closeOnTab?: boolean;
}

const steps = {
  vertical: { ArrowDown: 1, ArrowUp: -1 },
  horizontal: { ArrowRight: 1, ArrowLeft: -1 },
} as const;

/**
 * usePopup gives a popup opened from a button of the call what every such
 * popup does: while open, a press outside it closes it, and Escape closes it
 * — only it, not the panel or dialog around — and puts the focus back on its
 * button. Attach root to the element holding both the button and the popup,
 * and button to the button.
 */
export function usePopup(open: boolean, close: () => void, options: PopupOptions = {}) {
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // The latest close, without re-subscribing the listeners on every render.
  const onClose = useEffectEvent(close);
  const { focusFirst, closeOnTab } = options;
  const selector = options.roving?.selector;
  const orientation = options.roving?.orientation ?? 'vertical';

  useEffect(() => {
    const el = root.current;
    if (!open || !el) return;
    if (focusFirst) el.querySelector<HTMLElement>(focusFirst)?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!el.contains(e.target as Node)) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        e.preventDefault();
        onClose();
        button.current?.focus();
        return;
      }
      if (e.key === 'Tab') {
        if (closeOnTab) onClose();
        return;
      }
      if (!selector) return;
      const entries = [...el.querySelectorAll<HTMLElement>(selector)];
      const at = entries.indexOf(document.activeElement as HTMLElement);
      const last = entries.length - 1;
      const step = (steps[orientation] as Record<string, number>)[e.key];
      let to: number | undefined;
      if (step !== undefined) to = at < 0 ? (step > 0 ? 0 : last) : (at + step + entries.length) % entries.length;
      else if (orientation === 'vertical' && e.key === 'Home') to = 0;
      else if (orientation === 'vertical' && e.key === 'End') to = last;
      if (to === undefined || last < 0) return;
      e.preventDefault();
      entries[to].focus();
    };
    document.addEventListener('pointerdown', onPointer);
    el.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      el.removeEventListener('keydown', onKey);
    };
  }, [open, focusFirst, closeOnTab, selector, orientation]);

  return { root, button };
}
