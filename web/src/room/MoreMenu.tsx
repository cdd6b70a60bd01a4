import { useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import { Icon } from './icons';

/** MoreItem is one entry of the "More options" menu. */
export interface MoreItem {
  id: string;
  label: string;
  run: () => void;
  /** aria-keyshortcuts of the entry, if it has a shortcut. */
  keys?: string;
  pressed?: boolean;
}

/**
 * MoreMenu is the control bar's "More options" menu (ARIA menu button):
 * arrow keys, Home and End move between entries, Escape closes it and focus
 * goes back to the button; choosing an entry closes it too.
 */
export function MoreMenu({ items }: { items: MoreItem[] }) {
  const t = useT();
  const id = useId();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const el = root.current;
    if (!open || !el) return;
    el.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!el.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      const entries = [...el.querySelectorAll<HTMLElement>('[role="menuitem"]')];
      const at = entries.indexOf(document.activeElement as HTMLElement);
      const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: entries.length - 1 };
      if (e.key === 'Escape' || e.key === 'Tab') {
        if (e.key === 'Escape') {
          e.stopPropagation();
          e.preventDefault();
          button.current?.focus();
        }
        setOpen(false);
      } else if (e.key in moves && entries.length > 0) {
        e.preventDefault();
        entries[(moves[e.key] + entries.length) % entries.length].focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    el.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      el.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="more-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="lk-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={t('more.button')}
        title={t('more.button')}
        onClick={() => setOpen((o) => !o)}
        data-testid="more-toggle"
      >
        <Icon name="more" />
      </button>
      {open && (
        <div className="menu-popover more-popover" role="menu" id={id} aria-label={t('more.button')}>
          {items.map((item) => (
            <button
              key={item.id}
              type="button"
              role="menuitem"
              tabIndex={-1}
              aria-keyshortcuts={item.keys}
              data-item={item.id}
              onClick={() => {
                setOpen(false);
                // Focus back on the button first: what the entry opens
                // returns focus there when it closes.
                button.current?.focus();
                item.run();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
