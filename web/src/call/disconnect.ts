// What the end-of-call page says about why the call ended. LiveKit gives a
// DisconnectReason enum name (or a connection error's message); people get a
// sentence instead.

import type { MessageKey } from '../i18n/dict';

/** EndKind sorts the ways a call can end into the pages shown afterwards. */
export type EndKind = 'left' | 'removed' | 'ended' | 'problem';

/** EndedCall is what the end page needs: how the call ended and the sentence saying why. */
export interface EndedCall {
  kind: EndKind;
  /** The explanation to show; undefined for a plain "you left". */
  message?: MessageKey;
}

// Every DisconnectReason of livekit-client 2.x, by enum name.
const REASONS: Record<string, EndedCall> = {
  UNKNOWN_REASON: { kind: 'problem', message: 'end.reason.unknown' },
  CLIENT_INITIATED: { kind: 'left' },
  DUPLICATE_IDENTITY: { kind: 'problem', message: 'end.reason.duplicate' },
  SERVER_SHUTDOWN: { kind: 'problem', message: 'end.reason.serverShutdown' },
  PARTICIPANT_REMOVED: { kind: 'removed', message: 'end.reason.removed' },
  ROOM_DELETED: { kind: 'ended', message: 'end.reason.roomDeleted' },
  STATE_MISMATCH: { kind: 'problem', message: 'end.reason.stateMismatch' },
  JOIN_FAILURE: { kind: 'problem', message: 'end.reason.joinFailure' },
  MIGRATION: { kind: 'problem', message: 'end.reason.migration' },
  SIGNAL_CLOSE: { kind: 'problem', message: 'end.reason.signalClose' },
  ROOM_CLOSED: { kind: 'ended', message: 'end.reason.roomClosed' },
  USER_UNAVAILABLE: { kind: 'problem', message: 'end.reason.userUnavailable' },
  USER_REJECTED: { kind: 'problem', message: 'end.reason.userRejected' },
  SIP_TRUNK_FAILURE: { kind: 'problem', message: 'end.reason.sipTrunk' },
  CONNECTION_TIMEOUT: { kind: 'problem', message: 'end.reason.timeout' },
  MEDIA_FAILURE: { kind: 'problem', message: 'end.reason.mediaFailure' },
  AGENT_ERROR: { kind: 'problem', message: 'end.reason.agentError' },
};

/** knownReasons lists the reason names that have a sentence of their own. */
export const knownReasons = Object.keys(REASONS);

/**
 * describeEnd turns the reason a call ended (a DisconnectReason name, a
 * connection error's text, or nothing when the person left) into what to
 * show. Unknown texts are connection failures: they get the generic
 * "could not connect" sentence, never the raw text.
 */
export function describeEnd(reason?: string): EndedCall {
  if (reason === undefined || reason === '') return { kind: 'left' };
  const known = REASONS[reason];
  if (known) return known;
  // A join refused by the server after a removal (403 on /rtc).
  if (/removed|not allowed|forbidden|403/i.test(reason)) return { kind: 'removed', message: 'end.reason.removed' };
  return { kind: 'problem', message: 'end.reason.couldNotConnect' };
}
