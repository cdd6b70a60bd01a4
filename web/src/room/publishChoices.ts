import type { LocalParticipant, LocalTrack } from 'livekit-client';
import type { JoinChoices, PreviewTracks } from './choices';

/** The part of a LiveKit local participant that publishing the join choices uses. */
export type Publisher = Pick<LocalParticipant, 'publishTrack' | 'setMicrophoneEnabled' | 'setCameraEnabled'>;

function isLive(track: LocalTrack | undefined): track is LocalTrack {
  return track !== undefined && !track.isMuted && track.mediaStreamTrack?.readyState === 'live';
}

/**
 * publishChoices publishes the microphone and camera the person chose on the
 * prejoin screen. A preview track that is still live is published as it is;
 * otherwise (rejoining after a call, a device that failed) the device is
 * opened again. Both kinds are published concurrently; a failure of one does
 * not stop the other, and the first error is returned to the caller.
 */
export async function publishChoices(lp: Publisher, choices: JoinChoices, tracks: PreviewTracks): Promise<void> {
  const jobs: Promise<unknown>[] = [];
  if (choices.audioEnabled) {
    jobs.push(
      isLive(tracks.audio)
        ? lp.publishTrack(tracks.audio)
        : lp.setMicrophoneEnabled(true, { deviceId: choices.audioDeviceId }),
    );
  }
  if (choices.videoEnabled) {
    jobs.push(
      isLive(tracks.video)
        ? lp.publishTrack(tracks.video)
        : lp.setCameraEnabled(true, { deviceId: choices.videoDeviceId }),
    );
  }
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
