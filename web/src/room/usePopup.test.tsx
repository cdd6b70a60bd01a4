// @vitest-environment jsdom
import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { usePopup, type PopupOptions } from './usePopup';

/** Popup is a button opening three entries. */
function Popup({ options, onClose }: { options?: PopupOptions; onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  const { root, button } = usePopup(
    open,
    () => {
      setOpen(false);
      onClose?.();
    },
    options,
  );
  return (
    <div ref={root}>
      <button ref={button} type="button" onClick={() => setOpen((o) => !o)}>
        Toggle
      </button>
      {open && (
        <div role="menu">
          {['One', 'Two', 'Three'].map((n) => (
            <button key={n} type="button" role="menuitem">
              {n}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

// What the page around the popup (a side panel, a dialog) gets of Escape.
const panelEscapes = vi.fn();
const onPageKey = (e: KeyboardEvent) => e.key === 'Escape' && panelEscapes();
beforeEach(() => document.addEventListener('keydown', onPageKey));
afterEach(() => document.removeEventListener('keydown', onPageKey));

function setup(options?: PopupOptions) {
  const closed = vi.fn();
  render(
    <div>
      <Popup options={options} onClose={closed} />
      <p data-testid="outside">elsewhere</p>
    </div>,
  );
  fireEvent.click(screen.getByText('Toggle'));
  return closed;
}
const key = (k: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key: k });
const focused = () => document.activeElement?.textContent;

it('closes on a press outside, not on one inside', () => {
  const closed = setup();
  fireEvent.pointerDown(screen.getByText('Two'));
  expect(screen.queryByRole('menu')).not.toBeNull();
  fireEvent.pointerDown(screen.getByTestId('outside'));
  expect(screen.queryByRole('menu')).toBeNull();
  expect(closed).toHaveBeenCalledTimes(1);
});

it('closes on Escape, gives the focus back to its button, and keeps the Escape from the panel around it', () => {
  panelEscapes.mockClear();
  setup({ focusFirst: '[role="menuitem"]' });
  expect(focused()).toBe('One');
  key('Escape');
  expect(screen.queryByRole('menu')).toBeNull();
  expect(focused()).toBe('Toggle');
  expect(panelEscapes).not.toHaveBeenCalled();
  // Closed, the popup no longer takes Escape: the panel gets it.
  key('Escape');
  expect(panelEscapes).toHaveBeenCalledTimes(1);
});

it('moves between entries with the arrows, Home and End, wrapping around (vertical)', () => {
  setup({ focusFirst: '[role="menuitem"]', roving: { selector: '[role="menuitem"]', orientation: 'vertical' } });
  const seen = ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp', 'End', 'Home', 'ArrowUp', 'ArrowRight'].map((k) => (key(k), focused()));
  expect(seen).toEqual(['Two', 'Three', 'One', 'Three', 'Three', 'One', 'Three', 'Three']);
});

it('moves with left and right only when horizontal, from the button to the first or last entry', () => {
  setup({ roving: { selector: '[role="menuitem"]', orientation: 'horizontal' } });
  expect(focused()).not.toBe('One');
  screen.getByText('Toggle').focus();
  key('ArrowLeft');
  expect(focused()).toBe('Three');
  const seen = ['ArrowRight', 'ArrowDown', 'Home', 'ArrowLeft'].map((k) => (key(k), focused()));
  expect(seen).toEqual(['One', 'One', 'One', 'Three']);
});

it('stays open on Tab by default', () => {
  setup();
  screen.getByText('Two').focus();
  key('Tab');
  expect(screen.queryByRole('menu')).not.toBeNull();
});

it('closes on Tab when asked, as a menu does', () => {
  const closed = setup({ closeOnTab: true });
  screen.getByText('Two').focus();
  key('Tab');
  expect(screen.queryByRole('menu')).toBeNull();
  expect(closed).toHaveBeenCalledTimes(1);
});
