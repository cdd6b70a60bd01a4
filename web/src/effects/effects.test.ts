import { describe, expect, it } from 'vitest';
import { audioCapture, defaultEffects, needsRecapture, parseEffects, sameVideoEffect } from './choices';
import { FrameGovernor, QUALITY_STEPS } from './governor';
import { detectSupport, softwareRendering } from './support';

const images = ['room', 'sea'];

describe('parseEffects', () => {
  it('reads back what was stored', () => {
    const stored = { video: { kind: 'blur', strength: 'strong' }, noiseSuppression: false, echoCancellation: true, autoGainControl: false };
    expect(parseEffects(JSON.stringify(stored), images)).toEqual(stored);
    expect(parseEffects(JSON.stringify({ ...stored, video: { kind: 'image', id: 'sea' } }), images).video).toEqual({ kind: 'image', id: 'sea' });
  });

  it.each([
    ['nothing stored', null],
    ['not JSON', '{oops'],
    ['not an object', '"blur"'],
    ['an empty object', '{}'],
  ])('falls back to the defaults on %s', (_, raw) => {
    expect(parseEffects(raw, images)).toEqual(defaultEffects);
  });

  it('drops a background that no longer exists, a bad strength and non-boolean switches', () => {
    const raw = JSON.stringify({ video: { kind: 'image', id: 'moon' }, noiseSuppression: 'yes', echoCancellation: 0 });
    expect(parseEffects(raw, images)).toEqual(defaultEffects);
    expect(parseEffects(JSON.stringify({ video: { kind: 'blur', strength: 'max' } }), images).video).toEqual({ kind: 'none' });
  });
});

describe('sameVideoEffect', () => {
  it('compares kind and parameters', () => {
    expect(sameVideoEffect({ kind: 'none' }, { kind: 'none' })).toBe(true);
    expect(sameVideoEffect({ kind: 'blur', strength: 'light' }, { kind: 'blur', strength: 'light' })).toBe(true);
    expect(sameVideoEffect({ kind: 'blur', strength: 'light' }, { kind: 'blur', strength: 'strong' })).toBe(false);
    expect(sameVideoEffect({ kind: 'image', id: 'sea' }, { kind: 'image', id: 'room' })).toBe(false);
    expect(sameVideoEffect({ kind: 'image', id: 'sea' }, { kind: 'none' })).toBe(false);
  });
});

describe('audioCapture and needsRecapture', () => {
  it('turns the browser noise suppression off only while RNNoise runs', () => {
    expect(audioCapture(defaultEffects, true, 'mic1')).toEqual({ deviceId: 'mic1', echoCancellation: true, autoGainControl: true, noiseSuppression: false });
    expect(audioCapture({ ...defaultEffects, echoCancellation: false }, false).noiseSuppression).toBe(true);
    expect(audioCapture({ ...defaultEffects, echoCancellation: false }, false).echoCancellation).toBe(false);
  });

  it('asks for a new capture only when a reported setting differs', () => {
    const want = audioCapture(defaultEffects, true);
    expect(needsRecapture({ echoCancellation: true, autoGainControl: true, noiseSuppression: false }, want)).toBe(false);
    expect(needsRecapture({ echoCancellation: true, autoGainControl: true, noiseSuppression: true }, want)).toBe(true);
    expect(needsRecapture({ echoCancellation: false }, want)).toBe(true);
    // A browser that reports nothing is not recaptured in a loop.
    expect(needsRecapture({}, want)).toBe(false);
  });
});

describe('FrameGovernor', () => {
  const opts = { window: 10, lateShare: 0.5, settleMs: 1000 };
  // feed sends n frames of `ms` each, 33 ms apart, from `start`; returns the verdicts other than keep and the next time.
  function feed(g: FrameGovernor, n: number, ms: number, start: number) {
    const verdicts: string[] = [];
    let now = start;
    for (let i = 0; i < n; i++, now += 33) {
      const v = g.record(ms, now);
      if (v !== 'keep') verdicts.push(v);
    }
    return { verdicts, now };
  }

  it('keeps the quality while frames fit in the frame time', () => {
    const g = new FrameGovernor(opts);
    expect(feed(g, 200, 20, 0).verdicts).toEqual([]);
    expect(g.quality).toEqual(QUALITY_STEPS[0]);
  });

  it('ignores frames while the camera settles', () => {
    const g = new FrameGovernor(opts);
    // 30 frames over 990 ms, all late, inside the first second: no verdict.
    expect(feed(g, 30, 100, 0).verdicts).toEqual([]);
  });

  it('lowers step by step, then turns the effect off', () => {
    const g = new FrameGovernor(opts);
    let r = feed(g, 50, 40, 0); // 40 ms > 33 ms budget at 30 fps
    expect(r.verdicts).toEqual(['lower']);
    expect(g.quality).toEqual(QUALITY_STEPS[1]);
    expect(g.budgetMs()).toBeCloseTo(1000 / 24);
    // A camera slower than the step gives each frame more time.
    expect(g.budgetMs(10)).toBe(100);
    expect(g.budgetMs(60)).toBeCloseTo(1000 / 24);
    // 40 ms fits in 41.7 ms at 24 fps: stays.
    r = feed(g, 100, 40, r.now);
    expect(r.verdicts).toEqual([]);
    r = feed(g, 50, 50, r.now);
    expect(r.verdicts).toEqual(['lower']);
    expect(g.quality).toEqual(QUALITY_STEPS[2]);
    r = feed(g, 50, 90, r.now);
    // Off once judged, and it stays off.
    expect(r.verdicts.length).toBeGreaterThan(0);
    expect(new Set(r.verdicts)).toEqual(new Set(['off']));
    expect(g.record(1, r.now + 5000)).toBe('off');
    g.reset();
    expect(g.step).toBe(0);
    expect(g.record(1, r.now + 6000)).toBe('keep');
  });

  it('judges frames against the camera\'s own rate when it is lower', () => {
    const g = new FrameGovernor(opts);
    const verdicts = [];
    for (let i = 0, now = 0; i < 60; i++, now += 100) verdicts.push(g.record(80, now, 10));
    expect(verdicts.every((v) => v === 'keep')).toBe(true);
  });

  it('needs the late share, not a single slow frame', () => {
    const g = new FrameGovernor(opts);
    let now = 2000;
    g.record(1, 0);
    for (let i = 0; i < 100; i++, now += 33) {
      // Four late frames in every ten.
      expect(g.record(i % 10 < 4 ? 80 : 10, now)).toBe('keep');
    }
  });
});

describe('detectSupport', () => {
  const full = {
    WebAssembly: { validate: () => true },
    VideoFrame: class {},
    OffscreenCanvas: class {},
    AudioWorkletNode: class {},
    webgl2: () => true,
  };
  it('needs wasm SIMD, VideoFrame, OffscreenCanvas and WebGL 2 for video, AudioWorklet for noise', () => {
    expect(detectSupport(full)).toEqual({ video: true, noise: true });
    expect(detectSupport({ ...full, WebAssembly: { validate: () => false } })).toEqual({ video: false, noise: true });
    expect(detectSupport({ ...full, webgl2: () => false }).video).toBe(false);
    expect(detectSupport({ ...full, VideoFrame: undefined }).video).toBe(false);
    expect(detectSupport({ ...full, AudioWorkletNode: undefined }).noise).toBe(false);
  });
  it('finds SIMD in this Node', () => {
    expect(detectSupport({ ...full, WebAssembly }).video).toBe(true);
  });
});

describe('softwareRendering', () => {
  it('recognises CPU renderers', () => {
    expect(softwareRendering('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(true);
    expect(softwareRendering('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(softwareRendering('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620, OpenGL 4.6)')).toBe(false);
    expect(softwareRendering(null)).toBe(false);
  });
});
