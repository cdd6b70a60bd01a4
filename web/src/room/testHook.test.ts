// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { Room } from 'livekit-client';
import { exposeRoomToTests } from './testHook';

const room = { name: 'r' } as unknown as Room;

describe('exposeRoomToTests', () => {
  afterEach(() => void delete window.__meetTestRoom);

  it('hands the room over only when a test asked for it', () => {
    exposeRoomToTests(room);
    expect('__meetTestRoom' in window).toBe(false);
    window.__meetTestRoom = null;
    exposeRoomToTests(room);
    expect(window.__meetTestRoom).toBe(room);
  });
});
