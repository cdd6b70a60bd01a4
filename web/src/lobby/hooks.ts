import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from '../api/endpoints';
import type { WaitingParticipant } from '../api/types';
import { markMilestone } from '../lib/timing';
import { openEventSource, realTimers } from './eventStream';
import { GuestLobby, type LobbyState } from './guestLobby';
import { WaitingList, type WaitingListState } from './waitingList';

/** useGuestLobby asks to enter roomId and follows the answer until accepted, denied or timed out. */
export function useGuestLobby(roomId: string, username: string) {
  const [state, setState] = useState<LobbyState>({ phase: 'idle' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const lobby = new GuestLobby(
      roomId,
      username,
      {
        requestEntry: api.requestEntry,
        streamUrl: api.entryStreamUrl,
        openStream: openEventSource,
        timers: realTimers,
      },
      setState,
    );
    void lobby.start();
    return () => lobby.stop();
  }, [roomId, username, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, retry };
}

/** useWaitingList follows who waits in roomId's lobby while enabled (the caller is a host). */
export function useWaitingList(
  roomId: string | null,
  enabled: boolean,
  onKnock: (newcomers: WaitingParticipant[]) => void,
) {
  const [state, setState] = useState<WaitingListState>({ participants: [], transport: 'stream' });
  const listRef = useRef<WaitingList | null>(null);
  const knockRef = useRef(onKnock);
  useEffect(() => {
    knockRef.current = onKnock;
  });
  useEffect(() => {
    if (!roomId || !enabled) return;
    const list = new WaitingList(
      roomId,
      {
        list: api.listWaiting,
        decide: api.decideEntry,
        streamUrl: api.waitingStreamUrl,
        openStream: openEventSource,
        timers: realTimers,
      },
      setState,
      (n) => knockRef.current(n),
    );
    listRef.current = list;
    list.start();
    return () => {
      list.stop();
      listRef.current = null;
      setState({ participants: [], transport: 'stream' });
    };
  }, [roomId, enabled]);
  return {
    ...state,
    refresh: useCallback(() => void listRef.current?.refresh(), []),
    decide: useCallback(async (id: string, allow: boolean) => {
      markMilestone('lobby-decision');
      return listRef.current?.decide(id, allow);
    }, []),
    admitAll: useCallback(async () => {
      markMilestone('lobby-decision');
      return listRef.current?.admitAll();
    }, []),
  };
}
