// "Your microphone seems silent": a microphone that is on but has sent only
// silence for a few seconds is usually the wrong device, or one muted by a
// hardware switch or by the system.

/** SILENCE_LEVEL is the level (0..1, as the analyser reports it) below which a sample counts as silence. */
export const SILENCE_LEVEL = 0.002;
/** SILENCE_MS is how long the microphone must stay silent before the hint shows. */
export const SILENCE_MS = 5000;

/** MicSample is one reading of the microphone. */
export interface MicSample {
  /** Milliseconds, from any monotonic clock. */
  at: number;
  level: number;
  /** Whether the microphone is on (published and not muted). */
  on: boolean;
  /** The device the sample came from; switching devices starts over. */
  deviceId?: string;
}

/**
 * SilenceDetector takes microphone samples and reports whether the hint
 * should show. Any sound, turning the microphone off or switching devices
 * starts the count again; the hint goes as soon as a sound comes.
 */
export class SilenceDetector {
  private since: number | null = null;
  private device: string | undefined;
  private readonly quietMs: number;
  private readonly threshold: number;

  constructor(quietMs = SILENCE_MS, threshold = SILENCE_LEVEL) {
    this.quietMs = quietMs;
    this.threshold = threshold;
  }

  /** sample adds a reading and returns whether the microphone seems silent. */
  sample(s: MicSample): boolean {
    if (s.deviceId !== this.device) {
      this.device = s.deviceId;
      this.since = null;
    }
    if (!s.on || s.level > this.threshold) {
      this.since = null;
      return false;
    }
    if (this.since === null) this.since = s.at;
    return s.at - this.since >= this.quietMs;
  }

  /** reset forgets the silence seen so far (after the hint is dismissed, say). */
  reset(): void {
    this.since = null;
  }
}
