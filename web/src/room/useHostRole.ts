import { useEffect, useState } from 'react';
import { useRoomContext } from '@livekit/components-react';
import { RoomEvent } from 'livekit-client';

export { isHostRole } from '../call/moderation';

/** useLocalRole follows the local participant's room_role attribute, set by the server in the token. */
export function useLocalRole(): string | undefined {
  const room = useRoomContext();
  const [role, setRole] = useState<string | undefined>(room.localParticipant.attributes.room_role);
  useEffect(() => {
    const update = () => setRole(room.localParticipant.attributes.room_role);
    update();
    room.on(RoomEvent.Connected, update).on(RoomEvent.ParticipantAttributesChanged, update);
    return () => {
      room.off(RoomEvent.Connected, update).off(RoomEvent.ParticipantAttributesChanged, update);
    };
  }, [room]);
  return role;
}
