import { useCallback, useEffect, useRef, useState } from 'react';
import { useDataChannel, useLocalParticipant, useParticipants, useRoomContext } from '@livekit/components-react';
import { ConnectionQuality, RoomEvent, type Participant } from 'livekit-client';
import { handSnapshot, newlyRaised } from '../call/hands';
import { isHostRole, roleChange } from '../call/moderation';
import { addNotice, removeNotice, type Notice } from '../call/notices';
import { recordingChange, type RecordingState } from '../call/recording';
import { decodeSignal, encodeSignal, SIGNAL_TOPIC, type ReactionId, type RoomSettingsSignal, type Signal } from '../call/signals';
import type { MessageKey } from '../i18n/dict';
import { useT } from '../i18n/i18n';
import type { FloatingReaction } from './HandsAndReactions';
import { useAttributesTick } from './participantState';

const NOTICE_MS = 6000;
const REACTION_MS = 4000;
const UNSTABLE_MS = 5000;

/** useNotices keeps the notice stack; non-sticky notices leave after a few seconds. */
export function useNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setNotices((l) => removeNotice(l, id)), []);
  const notify = useCallback(
    (n: Omit<Notice, 'id'>) => {
      const id = next.current++;
      setNotices((l) => addNotice(l, { ...n, id }));
      if (!n.sticky) setTimeout(() => dismiss(id), NOTICE_MS);
    },
    [dismiss],
  );
  return { notices, notify, dismiss };
}

const MODERATED: Record<string, MessageKey> = {
  cameraStopped: 'mod.cameraStoppedByHost',
  screenStopped: 'mod.screenStoppedByHost',
  handLowered: 'mod.handLoweredByHost',
};

interface Options {
  isHost: boolean;
  recording: RecordingState;
  notify: (n: Omit<Notice, 'id'>) => void;
  onRoomSettings: (s: RoomSettingsSignal, from: Participant) => void;
  onRecordingRequest: (from: Participant) => void;
  /** onHandRaised is called when hands go up (for hosts, with the notice). */
  onHandRaised?: () => void;
}

/**
 * useCallEvents turns what happens in the call into notices and state: the
 * signals of other clients (reactions, moderation, requests, settings), hands
 * going up (for hosts), role and recording changes, and a poor connection.
 */
export function useCallEvents({ isHost, recording, notify, onRoomSettings, onRecordingRequest, onHandRaised }: Options) {
  const t = useT();
  const room = useRoomContext();
  const { localParticipant } = useLocalParticipant();
  const [reactions, setReactions] = useState<FloatingReaction[]>([]);
  const nextReaction = useRef(1);

  const float = useCallback((reaction: ReactionId, name: string) => {
    const id = nextReaction.current++;
    setReactions((l) => [...l.slice(-19), { id, reaction, name, left: 10 + Math.random() * 70 }]);
    // Also on a timer: a page in the background may never finish the animation.
    setTimeout(() => setReactions((l) => l.filter((r) => r.id !== id)), REACTION_MS);
  }, []);
  const reactionDone = useCallback((id: number) => setReactions((l) => l.filter((r) => r.id !== id)), []);

  const { send: sendRaw } = useDataChannel(SIGNAL_TOPIC, (msg) => {
    const s = decodeSignal(msg.payload);
    const from = msg.from;
    if (!s || !from) return;
    const name = from.name || from.identity;
    const fromHost = isHostRole(from.attributes.room_role);
    switch (s.type) {
      case 'reaction':
        float(s.reaction, name);
        break;
      case 'moderated':
        if (s.action === 'muted') {
          notify({ text: fromHost ? t('mod.mutedByHost') : t('mod.mutedBy', { name }), key: 'mod-muted' });
          void localParticipant.setMicrophoneEnabled(false);
        } else if (fromHost) {
          notify({ text: t(MODERATED[s.action]), key: `mod-${s.action}` });
          if (s.action === 'cameraStopped') void localParticipant.setCameraEnabled(false);
          if (s.action === 'screenStopped') void localParticipant.setScreenShareEnabled(false);
        }
        break;
      case 'recordingRequest':
        if (isHost) onRecordingRequest(from);
        break;
      case 'roomSettings':
        if (fromHost) onRoomSettings(s, from);
        break;
    }
  });
  const send = useCallback(
    (s: Signal, to?: string[]) => {
      if (to && to.length === 0) return;
      Promise.resolve(sendRaw(encodeSignal(s), { reliable: true, destinationIdentities: to })).catch((err: unknown) => console.warn('sending a signal failed', err));
    },
    [sendRaw],
  );

  // Hands going up, for hosts.
  const participants = useParticipants();
  const tick = useAttributesTick();
  const hands = useRef<Map<string, string> | null>(null);
  useEffect(() => {
    const before = hands.current;
    hands.current = handSnapshot(participants);
    if (!before || !isHost) return;
    const raised = newlyRaised(before, participants).filter((p) => !p.isLocal);
    if (raised.length === 1) notify({ text: t('hand.raised', { name: raised[0].name || raised[0].identity }), key: 'hand' });
    else if (raised.length > 1) notify({ text: t('hand.raisedMany', { count: raised.length }), key: 'hand' });
    if (raised.length > 0) onHandRaised?.();
    // participants and tick capture every hand change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [participants, tick, isHost]);

  // The local role, for "You are now a co-host".
  const role = localParticipant.attributes.room_role;
  const lastRole = useRef(role);
  useEffect(() => {
    const change = roleChange(lastRole.current, role);
    lastRole.current = role;
    if (change) notify({ text: t(change === 'promoted' ? 'mod.promoted' : 'mod.demoted'), key: 'role' });
  }, [role, tick, notify, t]);

  // Recording starting and stopping, for everyone.
  const lastRecording = useRef(recording);
  useEffect(() => {
    const change = recordingChange(lastRecording.current, recording);
    lastRecording.current = recording;
    if (change === 'started') notify({ text: t(recording.mode === 'transcript' ? 'rec.startedTranscript' : 'rec.started'), key: 'rec' });
    else if (change === 'stopped') notify({ text: t('rec.stopped'), key: 'rec' });
    else if (change === 'failed') notify({ text: t('rec.failed'), key: 'rec' });
  }, [recording, notify, t]);

  // The local connection quality, for "Your connection is unstable": only
  // once it stays poor for a few seconds, so a single bad reading does not
  // alarm anyone.
  const [unstable, setUnstable] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onQuality = (q: ConnectionQuality, p: Participant) => {
      if (!p.isLocal) return;
      const poor = q === ConnectionQuality.Poor || q === ConnectionQuality.Lost;
      clearTimeout(timer);
      if (poor) timer = setTimeout(() => setUnstable(true), UNSTABLE_MS);
      else setUnstable(false);
    };
    room.on(RoomEvent.ConnectionQualityChanged, onQuality);
    return () => {
      clearTimeout(timer);
      room.off(RoomEvent.ConnectionQualityChanged, onQuality);
    };
  }, [room]);

  return { send, reactions, reactionDone, float, unstable };
}
