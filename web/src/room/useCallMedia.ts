import { useMemo } from 'react';
import { useLocalParticipant, useRoomContext } from '@livekit/components-react';
import type { LocalAudioTrack, LocalVideoTrack } from 'livekit-client';
import type { MediaControls } from '../settings/media';
import type { Settings } from '../settings/store';
import { useSettings } from '../settings/useSettings';
import { captureResolution } from './videoQuality';

/** DEVICE_SETTING is the setting that remembers the device of each kind. */
export const DEVICE_SETTING: Record<MediaDeviceKind, 'audioInput' | 'audioOutput' | 'videoInput'> = {
  audioinput: 'audioInput',
  audiooutput: 'audioOutput',
  videoinput: 'videoInput',
};

/** useCallMedia gives the settings dialog the call's devices: switching applies to the published tracks. */
export function useCallMedia(): MediaControls {
  const room = useRoomContext();
  const { microphoneTrack, cameraTrack, isMicrophoneEnabled } = useLocalParticipant();
  const [, update] = useSettings();
  const mic = microphoneTrack?.track as LocalAudioTrack | undefined;
  const cam = cameraTrack?.track as LocalVideoTrack | undefined;
  return useMemo<MediaControls>(
    () => ({
      micTrack: mic,
      camTrack: cam,
      micOn: isMicrophoneEnabled,
      activeDevice: (kind) => room.getActiveDevice(kind),
      async switchDevice(kind, id) {
        update({ [DEVICE_SETTING[kind]]: id } as Partial<Settings>);
        await room.switchActiveDevice(kind, id);
      },
      async setQuality(q) {
        if (cam) await cam.restartTrack({ resolution: captureResolution(q), deviceId: room.getActiveDevice('videoinput') });
      },
    }),
    [room, mic, cam, isMicrophoneEnabled, update],
  );
}
