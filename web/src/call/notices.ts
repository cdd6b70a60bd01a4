// The short notices shown over the call ("The host muted your microphone"):
// a small queue with ids, a cap, and no duplicates of a notice still shown.

/** Notice is one message over the call, with an optional action button. */
export interface Notice {
  id: number;
  text: string;
  /** Same key, same notice: a repeat replaces the older one instead of stacking. */
  key?: string;
  action?: { label: string; run: () => void };
  /** Whether the notice stays until dismissed (e.g. a request that needs an answer). */
  sticky?: boolean;
}

/** MAX_NOTICES is how many notices show at once; the oldest go first. */
export const MAX_NOTICES = 3;

/** addNotice returns the list with n added last, an older one of the same key dropped, capped. */
export function addNotice(list: readonly Notice[], n: Notice): Notice[] {
  const kept = n.key === undefined ? list : list.filter((x) => x.key !== n.key);
  return [...kept, n].slice(-MAX_NOTICES);
}

/** removeNotice returns the list without the notice of that id. */
export function removeNotice(list: readonly Notice[], id: number): Notice[] {
  return list.filter((x) => x.id !== id);
}
