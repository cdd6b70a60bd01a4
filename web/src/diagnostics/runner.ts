// Runs the connection test's checks one after another and reports every
// change of state, so that the page shows each check live. A check whose
// prerequisite did not pass is not run and says which one stopped it.
import { initialStates, type CheckId, type CheckState, type Outcome } from './model';

/** Step is one check: what it needs and how it runs. */
export interface Step {
  id: CheckId;
  /** Checks that must have passed (or warned) for this one to run. */
  needs?: CheckId[];
  /** Longest time the check may take before it is reported as failed. */
  timeoutMs?: number;
  /** run performs the check; done holds the finished checks so far. */
  run: (done: ReadonlyMap<CheckId, CheckState>, signal: AbortSignal) => Promise<Outcome>;
}

/** Timers are the clock the runner uses (fake ones in tests). */
export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (id: unknown) => void;
  now: () => number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** DEFAULT_TIMEOUT_MS bounds a check that names no timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;

class TimeoutError extends Error {}

/**
 * runChecks runs steps in order and calls onUpdate with a fresh copy of all
 * the rows after every change. It stops early (leaving the rest pending)
 * when signal is aborted, and resolves with the final rows.
 */
export async function runChecks(
  steps: readonly Step[],
  onUpdate: (states: CheckState[]) => void,
  signal: AbortSignal,
  timers: Timers = realTimers,
): Promise<CheckState[]> {
  const states = initialStates(steps.map((s) => s.id));
  const done = new Map<CheckId, CheckState>();
  const publish = () => onUpdate(states.map((s) => ({ ...s, log: [...s.log] })));
  publish();
  for (const [i, step] of steps.entries()) {
    if (signal.aborted) break;
    const blocker = (step.needs ?? []).find((id) => {
      const st = done.get(id)?.status;
      return st !== 'passed' && st !== 'warning';
    });
    if (blocker) {
      states[i] = { id: step.id, status: 'skipped', code: 'notRun', vars: { check: blocker }, log: [] };
      done.set(step.id, states[i]);
      publish();
      continue;
    }
    states[i] = { id: step.id, status: 'running', log: [] };
    publish();
    const start = timers.now();
    let outcome: Outcome;
    try {
      outcome = await withTimeout(step.run(done, signal), step.timeoutMs ?? DEFAULT_TIMEOUT_MS, timers);
    } catch (err) {
      outcome =
        err instanceof TimeoutError
          ? { status: 'failed', code: 'timeout', vars: { seconds: Math.round((step.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000) } }
          : { status: 'failed', code: 'error', vars: { message: err instanceof Error ? err.message : String(err) } };
    }
    if (signal.aborted) break;
    states[i] = {
      id: step.id,
      status: outcome.status,
      code: outcome.code,
      vars: outcome.vars,
      log: outcome.log ?? [],
      data: outcome.data,
      ms: timers.now() - start,
    };
    done.set(step.id, states[i]);
    publish();
  }
  return states;
}

function withTimeout<T>(p: Promise<T>, ms: number, timers: Timers): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const id = timers.setTimeout(() => reject(new TimeoutError()), ms);
    p.then(
      (v) => (timers.clearTimeout(id), resolve(v)),
      (e: unknown) => (timers.clearTimeout(id), reject(e)),
    );
  });
}
