// RNNoise noise suppression as a LiveKit audio track processor. The wasm and
// the AudioWorklet module are bundled assets served by meet. RNNoise works
// on 48 kHz audio, so the processor runs in an AudioContext of its own at
// that rate, whatever the room's context is.
import { loadRnnoise, RnnoiseWorkletNode } from '@sapphi-red/web-noise-suppressor';
import workletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import wasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url';
import simdUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url';
import type { AudioProcessorOptions, Track, TrackProcessor } from 'livekit-client';

let shared: { ctx: AudioContext; ready: Promise<ArrayBuffer> } | undefined;

/**
 * rnnoiseContext returns the 48 kHz context with the worklet loaded and the
 * wasm fetched. A context made before any click starts suspended: it is
 * resumed on the next click or key press.
 */
function rnnoiseContext(): { ctx: AudioContext; ready: Promise<ArrayBuffer> } {
  if (shared && shared.ctx.state !== 'closed') return shared;
  const ctx = new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' });
  const ready = Promise.all([ctx.audioWorklet.addModule(workletUrl), loadRnnoise({ url: wasmUrl, simdUrl })]).then(([, wasm]) => wasm);
  if (ctx.state === 'suspended') {
    const resume = () => {
      void ctx.resume();
      window.removeEventListener('pointerdown', resume, true);
      window.removeEventListener('keydown', resume, true);
    };
    window.addEventListener('pointerdown', resume, true);
    window.addEventListener('keydown', resume, true);
    void ctx.resume().catch(() => {});
  }
  shared = { ctx, ready };
  return shared;
}

/** rnnoiseAudioContext is the 48 kHz context RNNoise runs in. */
export function rnnoiseAudioContext(): AudioContext {
  return rnnoiseContext().ctx;
}

/** RnnoiseProcessor cleans a microphone track with RNNoise. */
export class RnnoiseProcessor implements TrackProcessor<Track.Kind.Audio, AudioProcessorOptions> {
  readonly name = 'rnnoise';
  processedTrack?: MediaStreamTrack;
  private source?: MediaStreamAudioSourceNode;
  private node?: RnnoiseWorkletNode;
  private dest?: MediaStreamAudioDestinationNode;

  async init({ track }: AudioProcessorOptions): Promise<void> {
    const { ctx, ready } = rnnoiseContext();
    const wasmBinary = await ready;
    this.source = ctx.createMediaStreamSource(new MediaStream([track]));
    this.node = new RnnoiseWorkletNode(ctx, { maxChannels: 1, wasmBinary });
    this.dest = ctx.createMediaStreamDestination();
    this.dest.channelCount = 1;
    this.source.connect(this.node).connect(this.dest);
    this.processedTrack = this.dest.stream.getAudioTracks()[0];
  }

  async restart(opts: AudioProcessorOptions): Promise<void> {
    await this.destroy();
    await this.init(opts);
  }

  async destroy(): Promise<void> {
    this.source?.disconnect();
    this.node?.disconnect();
    this.node?.destroy();
    this.processedTrack?.stop();
    this.source = this.node = this.dest = this.processedTrack = undefined;
  }
}
