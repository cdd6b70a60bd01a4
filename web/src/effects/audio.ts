// Applies the microphone choices to a track: the browser's echo
// cancellation and gain control (capture constraints, so the microphone is
// reopened when they change) and RNNoise as a track processor.
import type { LocalAudioTrack } from 'livekit-client';
import { audioCapture, needsRecapture, type EffectChoices } from './choices';
import { RnnoiseProcessor, rnnoiseAudioContext } from './noise';
import { support } from './support';

/** NoiseState is whether RNNoise cleans the microphone. */
export type NoiseState = 'on' | 'off' | 'failed';

const queues = new WeakMap<LocalAudioTrack, Promise<NoiseState>>();

/** applyAudioEffects brings the track in line with the choices; calls on one track run in order. */
export function applyAudioEffects(track: LocalAudioTrack, choices: EffectChoices): Promise<NoiseState> {
  const next = (queues.get(track) ?? Promise.resolve<NoiseState>('off')).then(() => apply(track, choices));
  queues.set(track, next);
  return next;
}

async function apply(track: LocalAudioTrack, choices: EffectChoices): Promise<NoiseState> {
  const want = choices.noiseSuppression && support().noise;
  try {
    const settings = track.getSourceTrackSettings();
    const capture = audioCapture(choices, want, settings.deviceId);
    if (track.mediaStreamTrack.readyState === 'live' && needsRecapture(settings, capture)) await track.restartTrack(capture);
    const running = track.getProcessor()?.name === 'rnnoise';
    if (want && !running) {
      // Outside a room the track has no audio context yet; a room sets its own when publishing.
      if (!track.sender) await track.setAudioContext(rnnoiseAudioContext());
      await track.setProcessor(new RnnoiseProcessor());
    } else if (!want && running) {
      await track.stopProcessor();
    }
    return want ? 'on' : 'off';
  } catch (err) {
    console.warn('noise suppression failed', err);
    return 'failed';
  }
}
