import { useId, useState } from 'react';
import { useT } from '../i18n/i18n';
import { Icon } from './icons';
import { usePopup } from './usePopup';

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
  const { root, button } = usePopup(open, () => setOpen(false), {
    focusFirst: '[role="menuitem"]',
    roving: { selector: '[role="menuitem"]', orientation: 'vertical' },
    closeOnTab: true,
  });

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
