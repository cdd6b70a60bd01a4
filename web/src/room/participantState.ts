import { useEffect, useReducer } from 'react';
import { useRoomContext } from '@livekit/components-react';
import { ParticipantEvent, RoomEvent, Track, type Participant, type ParticipantEventCallbacks } from 'livekit-client';
import { isHandRaised } from '../call/hands';
import type { ModerationTarget } from '../call/moderation';

/** isPublishing reports whether the participant sends that source (published and not muted). */
export function isPublishing(p: Participant, source: Track.Source): boolean {
  const pub = p.getTrackPublication(source);
  return pub !== undefined && !pub.isMuted;
}

/** toTarget reads what the moderation rules need of a LiveKit participant. */
export function toTarget(p: Participant): ModerationTarget {
  return {
    isLocal: p.isLocal,
    role: p.attributes.room_role,
    authenticated: p.attributes.is_authenticated === 'true',
    micOn: isPublishing(p, Track.Source.Microphone),
    cameraOn: isPublishing(p, Track.Source.Camera),
    screenOn: isPublishing(p, Track.Source.ScreenShare),
    handRaised: isHandRaised(p),
  };
}

/**
 * useAttributesTick re-renders on every participant attribute or name
 * change in the room: LiveKit's participant hooks do not listen to them.
 */
export function useAttributesTick(): number {
  const room = useRoomContext();
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    room.on(RoomEvent.ParticipantAttributesChanged, bump).on(RoomEvent.ParticipantNameChanged, bump);
    return () => void room.off(RoomEvent.ParticipantAttributesChanged, bump).off(RoomEvent.ParticipantNameChanged, bump);
  }, [room]);
  return tick;
}

/** useParticipantTick re-renders when one participant's attributes or tracks change. */
export function useParticipantTick(p: Participant | undefined): number {
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!p) return;
    const events: (keyof ParticipantEventCallbacks)[] = [
      ParticipantEvent.AttributesChanged,
      ParticipantEvent.TrackMuted,
      ParticipantEvent.TrackUnmuted,
      ParticipantEvent.TrackPublished,
      ParticipantEvent.TrackUnpublished,
      ParticipantEvent.LocalTrackPublished,
      ParticipantEvent.LocalTrackUnpublished,
    ];
    for (const e of events) p.on(e, bump);
    return () => {
      for (const e of events) p.off(e, bump);
    };
  }, [p]);
  return tick;
}
