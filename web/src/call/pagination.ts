// Grid pages: which tiles each page shows. The order stays stable as people
// come and go, so that tiles do not jump around; only someone speaking on a
// later page is swapped onto the first one, with the last tile there that
// is not speaking.

/**
 * stableOrder updates the tile order: keys that left are dropped, new ones
 * come last, and every current speaker (most important first) not on the
 * first page changes place with the last first-page tile that is not
 * speaking. `pinned` keys (the local tile, say) are never swapped out.
 */
export function stableOrder(previous: readonly string[], keys: readonly string[], speakers: readonly string[], perPage: number, pinned: ReadonlySet<string> = new Set()): string[] {
  const present = new Set(keys);
  const order = previous.filter((k) => present.has(k));
  const known = new Set(order);
  for (const k of keys) if (!known.has(k)) order.push(k);
  if (perPage <= 0) return order;

  const speaking = new Set(speakers.filter((k) => present.has(k)));
  for (const speaker of speakers) {
    const at = order.indexOf(speaker);
    if (at < perPage) continue;
    let victim = -1;
    for (let i = Math.min(perPage, order.length) - 1; i >= 0; i--) {
      if (!speaking.has(order[i]) && !pinned.has(order[i])) {
        victim = i;
        break;
      }
    }
    if (victim < 0) break; // the whole first page is speaking
    [order[victim], order[at]] = [order[at], order[victim]];
  }
  return order;
}

/** pageCount is how many pages `total` tiles take, at least one. */
export function pageCount(total: number, perPage: number): number {
  if (perPage <= 0) return 1;
  return Math.max(1, Math.ceil(total / perPage));
}

/** clampPage keeps a page number (0-based) within the pages there are. */
export function clampPage(page: number, total: number, perPage: number): number {
  return Math.min(Math.max(0, page), pageCount(total, perPage) - 1);
}

/** pageItems returns the items of one page (0-based). */
export function pageItems<T>(ordered: readonly T[], perPage: number, page: number): T[] {
  if (perPage <= 0) return [...ordered];
  const p = clampPage(page, ordered.length, perPage);
  return ordered.slice(p * perPage, (p + 1) * perPage);
}
