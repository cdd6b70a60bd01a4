// Applies a background effect to a camera track with
// @livekit/track-processors, every file served by meet (see
// build/effectsAssets.ts), and keeps it within what the machine can do.
import type { LocalVideoTrack } from 'livekit-client';
import { modelPath, visionBase } from 'virtual:effects-assets';
import { backgroundUrl } from './backgrounds';
import { BLUR_RADIUS, sameVideoEffect, type VideoEffect } from './choices';
import { FrameGovernor } from './governor';
import { softwareRendering } from './support';

type Wrapper = import('@livekit/track-processors').BackgroundProcessorWrapper;
type SwitchOptions = import('@livekit/track-processors').SwitchBackgroundProcessorOptions;

/**
 * VideoEffectState is what the person is told: off, starting, on, on at a
 * reduced quality, turned off because the machine could not keep up, or
 * failed to start.
 */
export type VideoEffectState = 'off' | 'starting' | 'on' | 'reduced' | 'slow' | 'failed';

/** FrameStats is one processed frame's timing. */
export interface FrameStats {
  processingTimeMs: number;
  segmentationTimeMs: number;
  filterTimeMs: number;
}

// Browser tests and the benchmark read per-frame timings from this array
// when they define it (never set by the app itself).
declare global {
  interface Window {
    __meetEffectStats?: FrameStats[];
    /** Set by browser tests on a machine too slow for effects: lower the quality but never turn off. */
    __meetEffectsKeepOn?: boolean;
  }
}

function switchOptions(effect: VideoEffect): SwitchOptions {
  if (effect.kind === 'blur') return { mode: 'background-blur', blurRadius: BLUR_RADIUS[effect.strength] };
  if (effect.kind === 'image') {
    const imagePath = backgroundUrl(effect.id);
    if (imagePath) return { mode: 'virtual-background', imagePath };
  }
  if (effect.kind === 'upload') return { mode: 'virtual-background', imagePath: effect.url };
  return { mode: 'disabled' };
}

/**
 * VideoEffectController owns the background processor of one camera track.
 * Calls to apply are queued, so quick clicks in the picker end in the last
 * one's state.
 */
export class VideoEffectController {
  private processor?: Wrapper;
  private effect: VideoEffect = { kind: 'none' };
  private queue: Promise<void> = Promise.resolve();
  private readonly governor = new FrameGovernor();
  /** The camera's capture before the governor lowered it. */
  private original?: MediaTrackSettings;
  state: VideoEffectState = 'off';

  /** onState hears every change of state (the latest screen that shows the track sets it). */
  onState: (s: VideoEffectState) => void = () => {};

  constructor(private readonly track: LocalVideoTrack) {}

  /** apply switches to the effect; it resolves once the switch is done (or failed). */
  apply(effect: VideoEffect): Promise<void> {
    this.queue = this.queue.then(() => this.switch(effect));
    return this.queue;
  }

  private set(s: VideoEffectState) {
    this.state = s;
    this.onState(s);
  }

  private async switch(effect: VideoEffect): Promise<void> {
    const attached = this.processor !== undefined && this.track.getProcessor() === this.processor;
    if (sameVideoEffect(effect, this.effect) && (effect.kind === 'none' || attached) && this.state !== 'failed') return;
    this.effect = effect;
    this.governor.reset();
    try {
      if (effect.kind === 'none') {
        if (this.processor) await this.restoreQuality();
        if (this.track.getProcessor()) await this.track.stopProcessor();
        this.processor = undefined;
        if (this.state !== 'slow') this.set('off');
        return;
      }
      if (attached) {
        await this.restoreQuality();
        await this.processor!.switchTo(switchOptions(effect));
        this.set('on');
        return;
      }
      this.set('starting');
      const { BackgroundProcessor } = await import('@livekit/track-processors');
      const processor = BackgroundProcessor({
        ...switchOptions(effect),
        assetPaths: { tasksVisionFileSet: visionBase, modelAssetPath: modelPath },
        segmenterOptions: { delegate: softwareRendering() ? 'CPU' : 'GPU' },
        onFrameProcessed: (stats) => this.frame(stats),
      } as Parameters<typeof BackgroundProcessor>[0]);
      await this.track.setProcessor(processor);
      this.processor = processor;
      this.original = processor.source?.getSettings();
      // The person may have picked something else while the model loaded.
      if (sameVideoEffect(this.effect, effect)) this.set('on');
    } catch (err) {
      console.warn('background effect failed', err);
      this.processor = undefined;
      await this.track.stopProcessor().catch(() => {});
      this.set('failed');
    }
  }

  private frame(stats: FrameStats) {
    window.__meetEffectStats?.push({ ...stats });
    const verdict = this.governor.record(stats.processingTimeMs, performance.now(), this.processor?.source?.getSettings().frameRate);
    if (verdict === 'lower') {
      // Never above what the camera gives now: a step only ever lowers.
      const q = this.governor.quality;
      const cur = this.processor?.source?.getSettings() ?? {};
      const width = Math.min(cur.width ?? q.width, q.width);
      const height = Math.min(cur.height ?? q.height, q.height);
      const frameRate = Math.min(cur.frameRate ?? q.frameRate, q.frameRate);
      void this.processor?.source
        ?.applyConstraints({ width: { ideal: width, max: q.width }, height: { ideal: height, max: q.height }, frameRate: { ideal: frameRate, max: q.frameRate } })
        .catch(() => {});
      this.set('reduced');
    } else if (verdict === 'off' && !window.__meetEffectsKeepOn) {
      this.set('slow');
      void this.apply({ kind: 'none' });
    }
  }

  /** restoreQuality puts the camera back to the normal capture after the governor lowered it. */
  private async restoreQuality() {
    const o = this.original;
    if (!o || this.state !== 'reduced') return;
    await this.processor?.source?.applyConstraints({ width: { ideal: o.width }, height: { ideal: o.height }, frameRate: { ideal: o.frameRate } }).catch(() => {});
  }
}

const controllers = new WeakMap<LocalVideoTrack, VideoEffectController>();

/** videoController returns the controller of a camera track, made on first use. */
export function videoController(track: LocalVideoTrack, onState: (s: VideoEffectState) => void): VideoEffectController {
  let c = controllers.get(track);
  if (!c) {
    c = new VideoEffectController(track);
    controllers.set(track, c);
  }
  c.onState = onState;
  return c;
}
