// Invitations by e-mail (POST rooms/{id}/invite/): reading the typed
// addresses and wording the server's refusals.
import { ApiError } from '../api/client';
import { isEmail } from './members';

/** MAX_INVITEES is the server's bound on the addresses of one request. */
export const MAX_INVITEES = 50;

/** splitEmails reads addresses separated by commas, semicolons, spaces or new lines, dropping repeats (ignoring case). */
export function splitEmails(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const e = raw.trim();
    if (!e || seen.has(e.toLowerCase())) continue;
    seen.add(e.toLowerCase());
    out.push(e);
  }
  return out;
}

/** InviteCheck is what is wrong with the typed addresses before anything is sent, or null. */
export type InviteCheck =
  | { key: 'invite.empty' }
  | { key: 'invite.invalid'; list: string }
  | { key: 'invite.tooMany'; max: number }
  | null;

/** checkEmails refuses an empty list, addresses that cannot be valid and lists over the server's bound. */
export function checkEmails(emails: readonly string[]): InviteCheck {
  if (emails.length === 0) return { key: 'invite.empty' };
  const bad = emails.filter((e) => !isEmail(e));
  if (bad.length) return { key: 'invite.invalid', list: bad.join(', ') };
  if (emails.length > MAX_INVITEES) return { key: 'invite.tooMany', max: MAX_INVITEES };
  return null;
}

/** InviteProblem is how a refused invitation is explained to the inviter. */
export type InviteProblem =
  | { key: 'invite.noMail' }
  | { key: 'invite.partial'; sent: string; failed: string }
  | { key: 'invite.noneSent' }
  | { key: 'invite.forbidden' }
  | { text: string };

// The server's 502 message when it stopped part way (internal/rooms/invite.go).
const PARTIAL = /Sent to: (.+)\. Not sent to: (.+)\.$/;

/**
 * inviteProblem words a failed invite: 503 means no mail server is set up;
 * 502 means the mail server refused, and the message then names who got the
 * invitation and who did not.
 */
export function inviteProblem(err: unknown): InviteProblem {
  if (err instanceof ApiError) {
    if (err.status === 503) return { key: 'invite.noMail' };
    if (err.status === 403) return { key: 'invite.forbidden' };
    if (err.status === 502) {
      const m = PARTIAL.exec(err.message);
      return m ? { key: 'invite.partial', sent: m[1], failed: m[2] } : { key: 'invite.noneSent' };
    }
  }
  return { text: err instanceof Error ? err.message : String(err) };
}
