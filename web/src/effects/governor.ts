// Keeps a background effect within what the machine can do. The processor
// reports how long each frame took; when most recent frames took longer than
// the time between two frames, the camera is captured smaller and slower;
// when even the smallest step cannot keep up, the effect is turned off.

/** Quality is one capture step: size and frame rate fed to the processor. */
export interface Quality {
  width: number;
  height: number;
  frameRate: number;
}

/** QUALITY_STEPS goes from the normal capture to the smallest one still worth showing. */
export const QUALITY_STEPS: readonly Quality[] = [
  { width: 1280, height: 720, frameRate: 30 },
  { width: 960, height: 540, frameRate: 24 },
  { width: 640, height: 360, frameRate: 15 },
];

/** Verdict is what to do after a frame: nothing, lower the quality, or give up. */
export type Verdict = 'keep' | 'lower' | 'off';

/** GovernorOptions tune when frames count as late. */
export interface GovernorOptions {
  /** Frames judged together (after each change). */
  window: number;
  /** Share of late frames in the window that calls for a change. */
  lateShare: number;
  /** Time after a change during which frames are not judged (the camera settles). */
  settleMs: number;
  steps: readonly Quality[];
}

const defaults: GovernorOptions = { window: 30, lateShare: 0.5, settleMs: 2000, steps: QUALITY_STEPS };

/** FrameGovernor decides, frame by frame, whether the effect keeps up. */
export class FrameGovernor {
  readonly opts: GovernorOptions;
  /** Index into steps of the current quality. */
  step = 0;
  private late = 0;
  private seen = 0;
  private since: number | null = null;
  private stopped = false;

  constructor(opts: Partial<GovernorOptions> = {}) {
    this.opts = { ...defaults, ...opts };
  }

  /** quality is the current capture step. */
  get quality(): Quality {
    return this.opts.steps[this.step];
  }

  /**
   * budgetMs is the time one frame may take: the time between two frames at
   * the current step's rate, or at the camera's own rate when it is lower.
   */
  budgetMs(sourceFps?: number): number {
    const fps = sourceFps && sourceFps > 0 ? Math.min(sourceFps, this.quality.frameRate) : this.quality.frameRate;
    return 1000 / fps;
  }

  /**
   * record takes one frame's processing time (ms) at time `now` (ms, any
   * monotonic clock), with the camera's frame rate when known, and says what
   * to do. After 'off' it keeps saying 'off'
   * until reset.
   */
  record(processingMs: number, now: number, sourceFps?: number): Verdict {
    if (this.stopped) return 'off';
    if (this.since === null) this.since = now;
    if (now - this.since < this.opts.settleMs) return 'keep';
    this.seen++;
    if (processingMs > this.budgetMs(sourceFps)) this.late++;
    if (this.seen < this.opts.window) return 'keep';
    const tooSlow = this.late / this.seen >= this.opts.lateShare;
    this.seen = 0;
    this.late = 0;
    if (!tooSlow) return 'keep';
    this.since = now;
    if (this.step + 1 < this.opts.steps.length) {
      this.step++;
      return 'lower';
    }
    this.stopped = true;
    return 'off';
  }

  /** reset starts over at full quality (a new effect, a new camera). */
  reset(): void {
    this.step = 0;
    this.late = 0;
    this.seen = 0;
    this.since = null;
    this.stopped = false;
  }
}
