import './settings.css';
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../i18n/i18n';
import { focusables, restoreFocus, wrapIndex } from './focus';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** role "alertdialog" for a confirmation. */
  role?: 'dialog' | 'alertdialog';
  /** A wider box, for dialogs with tabs. */
  wide?: boolean;
}

/**
 * Modal is a dialog over the page: focus moves into it, Tab stays inside,
 * Escape or a click on the backdrop closes it, and focus goes back to what
 * opened it. It renders where it is placed (not in a portal) so that it
 * shows in full screen too.
 */
export function Modal({ title, onClose, children, className, role = 'dialog', wide }: Props) {
  const t = useT();
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const opener = document.activeElement;
    const el = box.current;
    if (el) {
      const first = el.querySelector<HTMLElement>('[autofocus], [data-autofocus]') ?? focusables(el)[0] ?? el;
      first.focus();
    }
    return () => restoreFocus(opener);
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      e.preventDefault();
      close.current();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = focusables(box.current);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = wrapIndex(at, items.length, e.shiftKey);
    if (next < 0) return;
    e.preventDefault();
    items[next].focus();
  }

  return (
    <div className="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && close.current()}>
      <div
        ref={box}
        className={`modal ${wide ? 'wide ' : ''}${className ?? ''}`}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn icon" onClick={() => close.current()} aria-label={t('common.close')}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
