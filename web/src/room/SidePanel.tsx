import { useEffect, useRef, type ReactNode } from 'react';
import { restoreFocus } from '../settings/focus';

interface Props {
  open: boolean;
  label: string;
  onClose: () => void;
  children: ReactNode;
  /** What takes focus when the panel opens (the panel itself otherwise). */
  focus?: string;
}

/**
 * SidePanel is a panel beside the call (over it on phones). Opened, it takes
 * focus; Escape inside it closes it, and focus goes back to what had it.
 */
export function SidePanel({ open, label, onClose, children, focus }: Props) {
  const ref = useRef<HTMLElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const el = ref.current;
    if (!open || !el) return;
    const opener = document.activeElement;
    (el.querySelector<HTMLElement>(focus ?? ':scope') ?? el).focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.stopPropagation();
      close.current();
    };
    el.addEventListener('keydown', onKey);
    return () => {
      el.removeEventListener('keydown', onKey);
      // Only when focus was in the panel (or went with it): a click that
      // closed it elsewhere keeps its own focus.
      const now = document.activeElement;
      if (now === null || now === document.body || el.contains(now)) restoreFocus(opener);
    };
  }, [open, focus]);

  return (
    <aside ref={ref} className="side-panel" hidden={!open} aria-label={label} tabIndex={-1}>
      {children}
    </aside>
  );
}
