// What a person chose for their camera background and microphone cleanup.
// Plain data: chosen on the prejoin screen, carried with the join choices
// through the lobby, the join and reconnects, and remembered in
// localStorage for the next meeting.
import type { AudioCaptureOptions } from 'livekit-client';

/** BlurStrength is how much the background is blurred. */
export type BlurStrength = 'light' | 'strong';

/**
 * VideoEffect is what happens to the camera's background: nothing, a blur,
 * one of meet's built-in images (by id), or an image the person uploaded
 * (the files API's id, and the url it loads from).
 */
export type VideoEffect =
  | { kind: 'none' }
  | { kind: 'blur'; strength: BlurStrength }
  | { kind: 'image'; id: string }
  | { kind: 'upload'; id: string; url: string };

/** EffectChoices are the camera and microphone effects chosen. */
export interface EffectChoices {
  video: VideoEffect;
  /** RNNoise (wasm) on the microphone, on top of the browser's processing. */
  noiseSuppression: boolean;
  /** The browser's echo cancellation (a capture constraint). */
  echoCancellation: boolean;
  /** The browser's automatic gain control (a capture constraint). */
  autoGainControl: boolean;
}

/** defaultEffects: no background effect, every audio aid on. */
export const defaultEffects: EffectChoices = {
  video: { kind: 'none' },
  noiseSuppression: true,
  echoCancellation: true,
  autoGainControl: true,
};

/** BLUR_RADIUS is the blur radius (in pixels of the processed frame) of each strength. */
export const BLUR_RADIUS: Record<BlurStrength, number> = { light: 6, strong: 18 };

/** sameVideoEffect reports whether two video effects are the same. */
export function sameVideoEffect(a: VideoEffect, b: VideoEffect): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'blur' && b.kind === 'blur') return a.strength === b.strength;
  if (a.kind === 'image' && b.kind === 'image') return a.id === b.id;
  if (a.kind === 'upload' && b.kind === 'upload') return a.id === b.id && a.url === b.url;
  return true;
}

/**
 * parseEffects reads stored choices, keeping only what is valid: an unknown
 * background (removed since) or a damaged value falls back to the default.
 */
export function parseEffects(raw: string | null, knownImages: readonly string[]): EffectChoices {
  let data: unknown;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = null;
  }
  if (typeof data !== 'object' || data === null) return { ...defaultEffects };
  const d = data as Record<string, unknown>;
  const bool = (k: keyof EffectChoices) => (typeof d[k] === 'boolean' ? (d[k] as boolean) : (defaultEffects[k] as boolean));
  return {
    video: parseVideo(d.video, knownImages),
    noiseSuppression: bool('noiseSuppression'),
    echoCancellation: bool('echoCancellation'),
    autoGainControl: bool('autoGainControl'),
  };
}

function parseVideo(v: unknown, knownImages: readonly string[]): VideoEffect {
  if (typeof v !== 'object' || v === null) return { kind: 'none' };
  const o = v as Record<string, unknown>;
  if (o.kind === 'blur' && (o.strength === 'light' || o.strength === 'strong')) return { kind: 'blur', strength: o.strength };
  if (o.kind === 'image' && typeof o.id === 'string' && knownImages.includes(o.id)) return { kind: 'image', id: o.id };
  if (o.kind === 'upload' && typeof o.id === 'string' && o.id !== '' && typeof o.url === 'string' && isOwnMedia(o.url)) return { kind: 'upload', id: o.id, url: o.url };
  return { kind: 'none' };
}

/**
 * isOwnMedia reports whether a stored upload's url is one of meet's own
 * files (same origin, under /media/files/): a value in localStorage must
 * not make the camera load an image from anywhere else.
 */
export function isOwnMedia(url: string): boolean {
  try {
    const u = new URL(url, window.location.href);
    return u.origin === window.location.origin && u.pathname.startsWith('/media/files/');
  } catch {
    return false;
  }
}

const KEY = 'meet.effects';

/** loadEffects returns the choices kept from the last meeting, or the defaults. */
export function loadEffects(knownImages: readonly string[]): EffectChoices {
  try {
    return parseEffects(localStorage.getItem(KEY), knownImages);
  } catch {
    return { ...defaultEffects };
  }
}

/** saveEffects remembers the choices for the next meeting. */
export function saveEffects(choices: EffectChoices): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choices));
  } catch {
    // Storage may be disabled (private mode): remembering is a convenience.
  }
}

/**
 * audioCapture is the microphone capture options for the choices. When
 * RNNoise cleans the sound the browser's own noise suppression is turned off:
 * the two in a row make voices sound thin. Without RNNoise (off, or not
 * supported here) the browser's stays on.
 */
export function audioCapture(choices: EffectChoices, rnnoiseActive: boolean, deviceId?: string): AudioCaptureOptions {
  return {
    deviceId,
    echoCancellation: choices.echoCancellation,
    autoGainControl: choices.autoGainControl,
    noiseSuppression: !rnnoiseActive,
  };
}

/**
 * needsRecapture reports whether the microphone must be reopened for its
 * processing to match `want`: browsers only take these constraints when the
 * capture starts. Settings the browser does not report are taken as matching.
 */
export function needsRecapture(settings: MediaTrackSettings, want: AudioCaptureOptions): boolean {
  const keys = ['echoCancellation', 'autoGainControl', 'noiseSuppression'] as const;
  return keys.some((k) => typeof settings[k] === 'boolean' && typeof want[k] === 'boolean' && settings[k] !== want[k]);
}
