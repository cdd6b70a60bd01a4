import '@livekit/components-styles';
import './conference.css';
import { useEffect, useState } from 'react';
import { LiveKitRoom } from '@livekit/components-react';
import { DisconnectReason, Room as LKRoom, RoomEvent } from 'livekit-client';
import type { LiveKitCredentials, Room } from '../api/types';
import type { JoinChoices } from './choices';
import { ConferenceView } from './ConferenceView';

interface Props {
  room: Room;
  livekit: LiveKitCredentials;
  choices: JoinChoices;
  onLeave: (reason?: string) => void;
}

/** Conference connects to LiveKit with the in-memory token and renders the call. */
export default function Conference({ room, livekit, choices, onLeave }: Props) {
  // Our own Room instance so we can read the disconnect reason.
  const [lkRoom] = useState(
    () =>
      new LKRoom({
        adaptiveStream: true,
        dynacast: true,
        audioCaptureDefaults: { deviceId: choices.audioDeviceId },
        videoCaptureDefaults: { deviceId: choices.videoDeviceId },
      }),
  );
  useEffect(() => {
    const onDisconnected = (reason?: DisconnectReason) => {
      const name = reason === undefined || reason === DisconnectReason.CLIENT_INITIATED ? undefined : DisconnectReason[reason];
      onLeave(name);
    };
    lkRoom.on(RoomEvent.Disconnected, onDisconnected);
    return () => {
      lkRoom.off(RoomEvent.Disconnected, onDisconnected);
    };
  }, [lkRoom, onLeave]);
  useEffect(() => () => void lkRoom.disconnect(), [lkRoom]);

  return (
    <LiveKitRoom
      room={lkRoom}
      serverUrl={livekit.url}
      token={livekit.token}
      connect
      audio={choices.audioEnabled}
      video={choices.videoEnabled}
      data-lk-theme="default"
      className="conference"
    >
      <ConferenceView room={room} />
    </LiveKitRoom>
  );
}
