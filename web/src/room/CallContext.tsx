import { createContext, useContext } from 'react';
import type { RecordingMode } from '../call/recording';
import type { Signal } from '../call/signals';
import type { Notice } from '../call/notices';

/** CallApi is what the in-call controls share: who we are in the room and how to tell others. */
export interface CallApi {
  /** The room's UUID, null for a room that is not stored (no in-call API then). */
  roomId: string | null;
  /** The local participant's LiveKit token, which authenticates its own in-call actions. */
  token: string;
  isHost: boolean;
  everyoneCanMute: boolean;
  /** The recording modes the server offers; empty when recording is off. */
  recordingModes: RecordingMode[];
  notify: (n: Omit<Notice, 'id'>) => void;
  /** send publishes a signal to everyone, or only to the given identities. */
  send: (s: Signal, to?: string[]) => void;
}

export const CallContext = createContext<CallApi | null>(null);

/** useCall returns the call's shared API; it exists under ConferenceView only. */
export function useCall(): CallApi {
  const v = useContext(CallContext);
  if (!v) throw new Error('useCall outside CallContext');
  return v;
}
