import { describe, expect, it, vi } from 'vitest';
import type { EntryRequest } from '../api/types';
import { FakeStream, ManualTimers, flush } from '../test/fakes';
import { GuestLobby, type LobbyState } from './guestLobby';

const creds = { url: 'ws://lk', room: 'r', token: 'jwt' };
const waiting: EntryRequest = { id: 'p1', username: 'Gus', status: 'waiting', livekit: null };
const accepted: EntryRequest = { ...waiting, status: 'accepted', livekit: creds };
const denied: EntryRequest = { ...waiting, status: 'denied' };

function setup(answers: EntryRequest[] | (() => Promise<EntryRequest>)) {
  const timers = new ManualTimers();
  const streams: FakeStream[] = [];
  const states: LobbyState[] = [];
  const queue = Array.isArray(answers) ? [...answers] : null;
  const requestEntry = vi.fn(
    Array.isArray(answers) ? async () => (queue!.length > 1 ? queue!.shift()! : queue![0]) : answers,
  );
  const lobby = new GuestLobby(
    'room-1',
    'Gus',
    {
      requestEntry,
      streamUrl: (id, name) => `/stream/${id}?u=${name}`,
      openStream: (url) => {
        const s = new FakeStream(url);
        streams.push(s);
        return s;
      },
      timers,
      pollMs: 1000,
      timeoutMs: 60_000,
    },
    (s) => states.push(s),
  );
  return { lobby, timers, streams, states, requestEntry, last: () => states[states.length - 1] };
}

describe('GuestLobby', () => {
  it('enters at once when the first answer is accepted', async () => {
    const t = setup([accepted]);
    await t.lobby.start();
    expect(t.last()).toEqual({ phase: 'accepted', livekit: creds });
    expect(t.streams).toHaveLength(0);
    expect(t.timers.count).toBe(0);
  });

  it('waits on the stream and enters when it pushes accepted', async () => {
    const t = setup([waiting]);
    await t.lobby.start();
    expect(t.last()).toMatchObject({ phase: 'waiting', transport: 'stream' });
    expect(t.streams[0].url).toBe('/stream/room-1?u=Gus');
    t.streams[0].emit('status', accepted);
    expect(t.last()).toEqual({ phase: 'accepted', livekit: creds });
    expect(t.streams[0].closed).toBe(true);
    expect(t.requestEntry).toHaveBeenCalledTimes(1);
    expect(t.requestEntry).toHaveBeenCalledWith('room-1', 'Gus');
  });

  it('reports denied from the stream', async () => {
    const t = setup([waiting]);
    await t.lobby.start();
    t.streams[0].emit('status', denied);
    expect(t.last()).toEqual({ phase: 'denied' });
  });

  it('falls back to polling every second when the stream fails', async () => {
    const t = setup([waiting, waiting, waiting, accepted]);
    await t.lobby.start();
    t.streams[0].fail();
    expect(t.streams[0].closed).toBe(true);
    expect(t.last()).toMatchObject({ phase: 'waiting', transport: 'polling' });
    await t.timers.advance(999);
    expect(t.requestEntry).toHaveBeenCalledTimes(1);
    await t.timers.advance(1);
    expect(t.requestEntry).toHaveBeenCalledTimes(2);
    await t.timers.advance(2000);
    expect(t.requestEntry).toHaveBeenCalledTimes(4);
    expect(t.last()).toEqual({ phase: 'accepted', livekit: creds });
    await t.timers.advance(5000);
    expect(t.requestEntry).toHaveBeenCalledTimes(4);
  });

  it('keeps polling through failed polls', async () => {
    let n = 0;
    const t = setup(async () => {
      n++;
      if (n === 1) return waiting;
      if (n === 2) throw new Error('network');
      return accepted;
    });
    await t.lobby.start();
    t.streams[0].fail();
    await t.timers.advance(2000);
    expect(t.last()).toEqual({ phase: 'accepted', livekit: creds });
  });

  it('asks again when the stream says accepted without credentials', async () => {
    const t = setup([waiting, accepted]);
    await t.lobby.start();
    t.streams[0].emit('status', { ...accepted, livekit: null });
    await flush();
    expect(t.requestEntry).toHaveBeenCalledTimes(2);
    expect(t.last()).toEqual({ phase: 'accepted', livekit: creds });
  });

  it('times out after the deadline', async () => {
    const t = setup([waiting]);
    await t.lobby.start();
    await t.timers.advance(60_000);
    expect(t.last()).toEqual({ phase: 'timeout' });
    expect(t.streams[0].closed).toBe(true);
    expect(t.timers.count).toBe(0);
  });

  it('reports an error when the first request fails', async () => {
    const t = setup(async () => {
      throw new Error('boom');
    });
    await t.lobby.start();
    expect(t.last()).toEqual({ phase: 'error', message: 'boom' });
  });

  it('ignores events after stop', async () => {
    const t = setup([waiting]);
    await t.lobby.start();
    t.lobby.stop();
    const before = t.states.length;
    t.streams[0].emit('status', accepted);
    expect(t.states.length).toBe(before);
    expect(t.timers.count).toBe(0);
  });
});
