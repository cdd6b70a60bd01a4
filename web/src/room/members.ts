// The rules of the members list, apart from the component: who can be
// found by e-mail, what each row may change, and how refusals are worded.
import { ApiError } from '../api/client';
import type { RoomAccess, RoomRole, User } from '../api/types';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** isEmail reports whether s looks like one bare e-mail address (the server has the last word). */
export function isEmail(s: string): boolean {
  return s.length <= 254 && EMAIL.test(s);
}

/**
 * findAccount picks the account whose e-mail is exactly the one typed
 * (ignoring case) among the results of users/?q=, which may hold
 * near matches.
 */
export function findAccount(results: readonly Pick<User, 'id' | 'email'>[], email: string): Pick<User, 'id' | 'email'> | null {
  const want = email.trim().toLowerCase();
  return results.find((u) => u.email.toLowerCase() === want) ?? null;
}

/** displayName is how a member is named in the list. */
export function memberName(a: RoomAccess): string {
  return a.user.full_name || a.user.email;
}

/**
 * canEdit reports whether the signed-in user (with role myRole) may change
 * or remove access a: an owner's access is only its own user's to change.
 */
export function canEdit(a: RoomAccess, myUserId: string | undefined, myRole: RoomRole | undefined): boolean {
  if (myRole !== 'owner' && myRole !== 'administrator') return false;
  return a.role !== 'owner' || a.user.id === myUserId;
}

/** assignableRoles lists the roles the signed-in user may give: only owners make owners. */
export function assignableRoles(myRole: RoomRole | undefined): RoomRole[] {
  return myRole === 'owner' ? ['member', 'administrator', 'owner'] : ['member', 'administrator'];
}

/** sortMembers puts owners first, then administrators, then members, each by name. */
export function sortMembers(list: readonly RoomAccess[]): RoomAccess[] {
  const rank: Record<RoomRole, number> = { owner: 0, administrator: 1, member: 2 };
  return [...list].sort((a, b) => rank[a.role] - rank[b.role] || memberName(a).localeCompare(memberName(b)));
}

/** MemberProblem is how a refused change is explained: a message key, or the server's own words. */
export type MemberProblem = { key: 'members.forbidden' } | { text: string };

/** memberProblem words a failed access request: 403 as "not allowed", validation errors with the server's message. */
export function memberProblem(err: unknown): MemberProblem {
  if (err instanceof ApiError && err.status === 403) return { key: 'members.forbidden' };
  return { text: err instanceof Error ? err.message : String(err) };
}
