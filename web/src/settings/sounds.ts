// Short tones made with Web Audio: the speaker test and the notification
// sounds. Nothing is downloaded.
import type { SoundEvent } from './store';

/** Note is one tone: frequency in Hz, start and length in seconds. */
export interface Note {
  freq: number;
  start: number;
  dur: number;
}

/** TONES are the notes of each sound; each event has its own short motif. */
export const TONES: Record<SoundEvent | 'test', Note[]> = {
  test: [
    { freq: 523.25, start: 0, dur: 0.25 },
    { freq: 659.25, start: 0.25, dur: 0.25 },
    { freq: 783.99, start: 0.5, dur: 0.45 },
  ],
  join: [
    { freq: 587.33, start: 0, dur: 0.12 },
    { freq: 880, start: 0.12, dur: 0.2 },
  ],
  chat: [{ freq: 987.77, start: 0, dur: 0.12 }],
  hand: [
    { freq: 698.46, start: 0, dur: 0.1 },
    { freq: 698.46, start: 0.16, dur: 0.1 },
  ],
  knock: [
    { freq: 440, start: 0, dur: 0.09 },
    { freq: 440, start: 0.14, dur: 0.09 },
    { freq: 554.37, start: 0.28, dur: 0.18 },
  ],
};

/** toneLength is how long a sound lasts, in seconds. */
export function toneLength(notes: readonly Note[]): number {
  return notes.reduce((end, n) => Math.max(end, n.start + n.dur), 0);
}

type SinkContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };
let ctx: SinkContext | null = null;
let ctxSink = '';

function context(): SinkContext | null {
  if (ctx) return ctx;
  const Ctor = typeof window !== 'undefined' ? window.AudioContext : undefined;
  if (!Ctor) return null;
  ctx = new Ctor() as SinkContext;
  return ctx;
}

/** canChooseSpeaker reports whether this browser can send sound to a chosen output device. */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/**
 * playSound plays a sound on the given output device (the default one when
 * empty or when the browser cannot choose). It resolves when the sound ends.
 */
export async function playSound(name: keyof typeof TONES, sinkId = ''): Promise<void> {
  const ac = context();
  if (!ac) return;
  if (ac.state === 'suspended') await ac.resume().catch(() => {});
  if (ac.setSinkId && ctxSink !== sinkId) {
    await ac.setSinkId(sinkId).catch(() => {});
    ctxSink = sinkId;
  }
  const notes = TONES[name];
  const gain = ac.createGain();
  gain.connect(ac.destination);
  const t0 = ac.currentTime + 0.02;
  for (const n of notes) {
    const osc = ac.createOscillator();
    const env = ac.createGain();
    osc.type = 'sine';
    osc.frequency.value = n.freq;
    // A soft attack and release: no click at either end.
    env.gain.setValueAtTime(0, t0 + n.start);
    env.gain.linearRampToValueAtTime(0.2, t0 + n.start + 0.015);
    env.gain.exponentialRampToValueAtTime(0.001, t0 + n.start + n.dur);
    osc.connect(env).connect(gain);
    osc.start(t0 + n.start);
    osc.stop(t0 + n.start + n.dur + 0.02);
  }
  await new Promise((r) => setTimeout(r, (toneLength(notes) + 0.05) * 1000));
  gain.disconnect();
}
