import { useEffect, useState } from 'react';
import { RoomEvent, Track, type LocalAudioTrack, type LocalVideoTrack, type Room } from 'livekit-client';
import { applyAudioEffects, type NoiseState } from './audio';
import type { EffectChoices } from './choices';
import { support } from './support';
import { videoController, type VideoEffectState } from './video';

/**
 * useRoomEffects keeps the local camera and microphone of a call in line with
 * the choices: whenever a track is (re)published — joining, turning a device
 * back on, a reconnection that republished — the effects are put back on it.
 */
export function useRoomEffects(room: Room, effects: EffectChoices): { videoState: VideoEffectState; noiseState?: NoiseState } {
  const [videoState, setVideoState] = useState<VideoEffectState>('off');
  const [noiseState, setNoiseState] = useState<NoiseState>();
  const [tracks, setTracks] = useState(0);

  useEffect(() => {
    const bump = () => setTracks((n) => n + 1);
    room.on(RoomEvent.LocalTrackPublished, bump).on(RoomEvent.Reconnected, bump);
    return () => void room.off(RoomEvent.LocalTrackPublished, bump).off(RoomEvent.Reconnected, bump);
  }, [room]);

  useEffect(() => {
    const cam = room.localParticipant.getTrackPublication(Track.Source.Camera)?.track as LocalVideoTrack | undefined;
    if (!cam || !support().video) return;
    const c = videoController(cam, setVideoState);
    setVideoState(c.state);
    void c.apply(effects.video);
  }, [room, effects.video, tracks]);

  useEffect(() => {
    const mic = room.localParticipant.getTrackPublication(Track.Source.Microphone)?.track as LocalAudioTrack | undefined;
    if (!mic) return;
    let live = true;
    void applyAudioEffects(mic, effects).then((s) => live && setNoiseState(s));
    return () => void (live = false);
    // Runs on any change of the choices: applying is a no-op when the microphone already matches.
  }, [room, effects, tracks]);

  return { videoState, noiseState };
}
