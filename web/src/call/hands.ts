// Raised hands: the server keeps the time a hand went up in the participant
// attribute handRaisedAt (fixed-width UTC text, so text order is raise order).

/** HAND_ATTRIBUTE is the participant attribute holding when the hand was raised. */
export const HAND_ATTRIBUTE = 'handRaisedAt';

/** HandHolder is the part of a participant the hand logic reads. */
export interface HandHolder {
  identity: string;
  attributes: Readonly<Record<string, string>>;
}

/** raisedAt returns when the participant raised its hand, or '' when it is down. */
export function raisedAt(p: HandHolder): string {
  return p.attributes[HAND_ATTRIBUTE] ?? '';
}

/** isHandRaised reports whether the participant's hand is up. */
export function isHandRaised(p: HandHolder): boolean {
  return raisedAt(p) !== '';
}

/**
 * sortByHand puts raised hands first, in the order they were raised, and
 * keeps everyone else in their incoming order (the sort is stable).
 */
export function sortByHand<P extends HandHolder>(people: readonly P[]): P[] {
  return people
    .map((p, i) => ({ p, i, at: raisedAt(p) }))
    .sort((a, b) => {
      if (a.at && b.at) return a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i;
      if (a.at) return -1;
      if (b.at) return 1;
      return a.i - b.i;
    })
    .map((x) => x.p);
}

/**
 * newlyRaised returns who raised a hand since `before` (identity → raise
 * time), in raise order. A hand lowered and raised again counts as new.
 */
export function newlyRaised<P extends HandHolder>(before: ReadonlyMap<string, string>, now: readonly P[]): P[] {
  return sortByHand(now.filter((p) => isHandRaised(p) && before.get(p.identity) !== raisedAt(p)));
}

/** handSnapshot records the current raise times, for the next newlyRaised. */
export function handSnapshot(people: readonly HandHolder[]): Map<string, string> {
  return new Map(people.filter(isHandRaised).map((p) => [p.identity, raisedAt(p)]));
}
