import { describe, expect, it } from 'vitest';
import type { CheckState, Outcome } from './model';
import { runChecks, type Step, type Timers } from './runner';

// Timers under the test's control: a timeout fires only when fire() is called.
class ManualClock implements Timers {
  private pending = new Map<number, () => void>();
  private next = 1;
  t = 0;
  setTimeout = (fn: () => void) => {
    const id = this.next++;
    this.pending.set(id, fn);
    return id;
  };
  clearTimeout = (id: unknown) => void this.pending.delete(id as number);
  now = () => this.t;
  fireAll() {
    const fns = [...this.pending.values()];
    this.pending.clear();
    for (const f of fns) f();
  }
  get armed() {
    return this.pending.size;
  }
}

const ok = (code: Outcome['code'] = 'browser.ok'): Outcome => ({ status: 'passed', code });

describe('runChecks', () => {
  it('runs the checks one after another, each shown running before its result', async () => {
    const order: string[] = [];
    const snapshots: string[] = [];
    const clock = new ManualClock();
    const steps: Step[] = [
      { id: 'browser', run: async () => (order.push('browser'), (clock.t += 5), ok()) },
      { id: 'media', run: async () => (order.push('media'), (clock.t += 20), { status: 'warning', code: 'media.noCamera' }) },
      { id: 'route', run: async (done) => (order.push(`route after ${[...done.keys()].join(',')}`), { status: 'failed', code: 'route.none' }) },
    ];
    const final = await runChecks(steps, (s) => snapshots.push(s.map((x) => x.status).join(' ')), new AbortController().signal, clock);
    expect(order).toEqual(['browser', 'media', 'route after browser,media']);
    expect(snapshots).toEqual([
      'pending pending pending',
      'running pending pending',
      'passed pending pending',
      'passed running pending',
      'passed warning pending',
      'passed warning running',
      'passed warning failed',
    ]);
    expect(final.map((s) => [s.id, s.status, s.code, s.ms])).toEqual([
      ['browser', 'passed', 'browser.ok', 5],
      ['media', 'warning', 'media.noCamera', 20],
      ['route', 'failed', 'route.none', 0],
    ]);
    expect(clock.armed).toBe(0);
  });

  it('does not run a check whose prerequisite failed or was not run, and names the prerequisite', async () => {
    const ran: string[] = [];
    const steps: Step[] = [
      { id: 'browser', run: async () => ok() },
      { id: 'signalling', needs: ['browser'], run: async () => (ran.push('signalling'), { status: 'failed', code: 'signalling.failed' }) },
      { id: 'udp', needs: ['signalling'], run: async () => (ran.push('udp'), ok('udp.ok')) },
      { id: 'turn', needs: ['udp'], run: async () => (ran.push('turn'), ok('turn.ok')) },
      { id: 'media', needs: ['browser'], run: async () => (ran.push('media'), { status: 'warning', code: 'media.noCamera' }) },
      { id: 'publishVideo', needs: ['media'], run: async () => (ran.push('publishVideo'), ok('publishVideo.ok')) },
    ];
    const final = await runChecks(steps, () => {}, new AbortController().signal, new ManualClock());
    expect(ran).toEqual(['signalling', 'media', 'publishVideo']);
    const byId = Object.fromEntries(final.map((s) => [s.id, s]));
    expect(byId.udp).toMatchObject({ status: 'skipped', code: 'notRun', vars: { check: 'signalling' } });
    expect(byId.turn).toMatchObject({ status: 'skipped', code: 'notRun', vars: { check: 'udp' } });
    expect(byId.publishVideo).toMatchObject({ status: 'passed', code: 'publishVideo.ok' });
  });

  it('fails a check that takes longer than its timeout and goes on with the next', async () => {
    const clock = new ManualClock();
    const steps: Step[] = [
      { id: 'udp', timeoutMs: 25_000, run: () => new Promise<Outcome>(() => {}) },
      { id: 'route', run: async () => ok('route.ok') },
    ];
    const states: CheckState[][] = [];
    const done = runChecks(steps, (s) => states.push(s), new AbortController().signal, clock);
    await Promise.resolve();
    expect(states.at(-1)?.[0].status).toBe('running');
    clock.fireAll();
    const final = await done;
    expect(final[0]).toMatchObject({ status: 'failed', code: 'timeout', vars: { seconds: 25 } });
    expect(final[1]).toMatchObject({ status: 'passed', code: 'route.ok' });
  });

  it('reports a check that throws as an unexpected error with its message', async () => {
    const steps: Step[] = [{ id: 'signalling', run: async () => Promise.reject(new Error('socket hang up')) }];
    const [s] = await runChecks(steps, () => {}, new AbortController().signal, new ManualClock());
    expect(s).toMatchObject({ status: 'failed', code: 'error', vars: { message: 'socket hang up' } });
  });

  it('stops when aborted: the running check is not reported and the rest stay pending', async () => {
    const ctl = new AbortController();
    let release: (o: Outcome) => void = () => {};
    const steps: Step[] = [
      { id: 'browser', run: () => new Promise<Outcome>((r) => (release = r)) },
      { id: 'media', run: async () => ok('media.ok') },
    ];
    const states: CheckState[][] = [];
    const done = runChecks(steps, (s) => states.push(s), ctl.signal, new ManualClock());
    await Promise.resolve();
    ctl.abort();
    release(ok());
    const final = await done;
    expect(final.map((s) => s.status)).toEqual(['running', 'pending']);
    expect(states.length).toBe(2);
  });

  it('hands each update a copy, so a kept snapshot does not change later', async () => {
    const snaps: CheckState[][] = [];
    await runChecks([{ id: 'browser', run: async () => ok() }], (s) => snaps.push(s), new AbortController().signal, new ManualClock());
    expect(snaps[0][0].status).toBe('pending');
    expect(snaps[1][0].status).toBe('running');
  });
});
