import type { Room } from 'livekit-client';

declare global {
  interface Window {
    /**
     * For browser tests only: a test that defines this property (null)
     * before the page loads gets the call's LiveKit room in it, to read its
     * state and to simulate a reconnection. The app never defines it.
     */
    __meetTestRoom?: Room | null;
  }
}

/** exposeRoomToTests hands the room to a browser test that asked for it (see Window.__meetTestRoom). */
export function exposeRoomToTests(room: Room): void {
  if ('__meetTestRoom' in window) window.__meetTestRoom = room;
}
