// Focus helpers for dialogs and menus: what can take focus, and where Tab goes.

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), video[controls]';

/** focusables lists the elements inside root that Tab reaches, in order. */
export function focusables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hidden && el.closest('[hidden], [inert]') === null);
}

/**
 * wrapIndex returns where Tab (or Shift+Tab) moves from index `at` in a
 * ring of `count` items; -1 (focus outside) enters at either end.
 */
export function wrapIndex(at: number, count: number, backwards: boolean): number {
  if (count === 0) return -1;
  if (at < 0) return backwards ? count - 1 : 0;
  return (at + (backwards ? -1 : 1) + count) % count;
}

/** restoreFocus focuses the element again if it is still on the page. */
export function restoreFocus(el: Element | null): void {
  if (el instanceof HTMLElement && el.isConnected) el.focus();
}
