import { describe, expect, it, vi } from 'vitest';
import type { WaitingParticipant } from '../api/types';
import { FakeStream, ManualTimers, flush } from '../test/fakes';
import { WaitingList, type WaitingListState } from './waitingList';

const ann: WaitingParticipant = { id: 'a', username: 'Ann', status: 'waiting' };
const bob: WaitingParticipant = { id: 'b', username: 'Bob', status: 'waiting' };

function setup(lists: WaitingParticipant[][]) {
  const timers = new ManualTimers();
  const streams: FakeStream[] = [];
  const states: WaitingListState[] = [];
  const knocks: string[][] = [];
  const queue = [...lists];
  const list = vi.fn(async () => ({ participants: queue.length > 1 ? queue.shift()! : queue[0] }));
  const decide = vi.fn(async () => ({}));
  const w = new WaitingList(
    'room-1',
    {
      list,
      decide,
      streamUrl: (id) => `/w/${id}`,
      openStream: (url) => {
        const s = new FakeStream(url);
        streams.push(s);
        return s;
      },
      timers,
      busyPollMs: 1000,
      idlePollMs: 3000,
    },
    (s) => states.push(s),
    (n) => knocks.push(n.map((p) => p.id)),
  );
  return { w, timers, streams, states, knocks, list, decide, last: () => states[states.length - 1] };
}

describe('WaitingList', () => {
  it('loads the list, then follows the stream and reports each newcomer once', async () => {
    const t = setup([[ann]]);
    t.w.start();
    await flush();
    expect(t.last()).toEqual({ participants: [ann], transport: 'stream' });
    t.streams[0].emit('participants', { participants: [ann, bob] });
    t.streams[0].emit('participants', { participants: [ann, bob, { ...bob, id: 'c', status: 'accepted' }] });
    expect(t.last().participants.map((p) => p.id)).toEqual(['a', 'b']);
    expect(t.knocks).toEqual([['a'], ['b']]);
  });

  it('polls when the stream fails: every second while someone waits, slower when empty', async () => {
    const t = setup([[], [], [ann], [ann], []]);
    t.w.start();
    await flush();
    t.streams[0].fail();
    expect(t.last().transport).toBe('polling');
    expect(t.list).toHaveBeenCalledTimes(1);
    await t.timers.advance(3000);
    expect(t.list).toHaveBeenCalledTimes(2);
    await t.timers.advance(3000);
    expect(t.list).toHaveBeenCalledTimes(3);
    expect(t.knocks).toEqual([['a']]);
    await t.timers.advance(1000);
    expect(t.list).toHaveBeenCalledTimes(4);
    t.w.stop();
    expect(t.timers.count).toBe(0);
  });

  it('admits, denies and admits all', async () => {
    const t = setup([[ann, bob]]);
    t.w.start();
    await flush();
    await t.w.decide('a', false);
    expect(t.decide).toHaveBeenCalledWith('room-1', 'a', false);
    expect(t.last().participants).toEqual([bob]);
    t.streams[0].emit('participants', { participants: [bob, { id: 'c', username: 'Cy' }] });
    await t.w.admitAll();
    expect(t.decide).toHaveBeenCalledWith('room-1', 'b', true);
    expect(t.decide).toHaveBeenCalledWith('room-1', 'c', true);
    expect(t.last().participants).toEqual([]);
  });

  it('refresh fetches now (participantWaiting data message)', async () => {
    const t = setup([[], [bob]]);
    t.w.start();
    await flush();
    await t.w.refresh();
    expect(t.last().participants).toEqual([bob]);
    expect(t.knocks).toEqual([['b']]);
  });
});
