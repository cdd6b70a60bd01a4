// What the prejoin screen says about the call before joining, from
// GET rooms/{id}/preview/ (a meet addition). Plain logic, no React.
import type { RoomPreview } from '../api/types';
import type { MessageKey } from '../i18n/dict';

export type { RoomPreview };

/** A sentence to show: a message key and its placeholders. */
export interface Line {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

/** joinLabel names the join button: people who must be let in ask to join. */
export function joinLabel(p: RoomPreview | null): MessageKey {
  return p?.admission === 'lobby' ? 'prejoin.askToJoin' : 'prejoin.join';
}

/**
 * whoIsIn says who is already in the call: by name when the preview gives
 * names (at most a few, the rest counted), otherwise by number.
 */
export function whoIsIn(p: RoomPreview | null): Line | null {
  if (!p) return null;
  const n = p.participants_count;
  if (n === 0) return { key: 'prejoin.nobody' };
  const names = p.participants;
  if (names.length === 0) return n === 1 ? { key: 'prejoin.countOne' } : { key: 'prejoin.countMany', vars: { count: n } };
  const others = n - names.length;
  if (names.length === 1 && others === 0) return { key: 'prejoin.oneName', vars: { name: names[0] } };
  if (others === 0) {
    return { key: 'prejoin.names', vars: { names: names.slice(0, -1).join(', '), last: names[names.length - 1] } };
  }
  return { key: others === 1 ? 'prejoin.namesAndOne' : 'prejoin.namesAndMore', vars: { names: names.join(', '), count: others } };
}

/** recordingNotice warns that the call is being recorded or transcribed. */
export function recordingNotice(p: RoomPreview | null): Line | null {
  if (!p?.recording) return null;
  return { key: p.recording.mode === 'transcript' ? 'prejoin.transcribed' : 'prejoin.recorded' };
}

/** PREVIEW_REFRESH_MS is how often the prejoin screen refreshes the preview. */
export const PREVIEW_REFRESH_MS = 8000;
