import type { LocalAudioTrack, LocalVideoTrack } from 'livekit-client';
import type { EffectChoices } from '../effects/choices';

/** JoinChoices is what the prejoin screen hands to the conference. */
export interface JoinChoices {
  username: string;
  audioEnabled: boolean;
  videoEnabled: boolean;
  audioDeviceId?: string;
  videoDeviceId?: string;
  /** Background effect and microphone aids; kept through the lobby, the join and reconnects. */
  effects: EffectChoices;
}

/**
 * PreviewTracks are the camera and microphone the prejoin screen opened.
 * They are handed on (kept running through the lobby) and published as they
 * are when the call connects, so joining does not open the devices a second
 * time: that costs hundreds of milliseconds and makes the camera light blink.
 */
export interface PreviewTracks {
  audio?: LocalAudioTrack;
  video?: LocalVideoTrack;
}

/** stopPreviewTracks releases the devices; stopping twice is harmless. */
export function stopPreviewTracks(tracks: PreviewTracks): void {
  tracks.audio?.stop();
  tracks.video?.stop();
}
