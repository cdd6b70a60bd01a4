import { useEffect, useState } from 'react';
import type { LocalAudioTrack, LocalVideoTrack } from 'livekit-client';
import type { VideoQuality } from './store';

/**
 * MediaControls is how the settings dialog reaches the devices in use: the
 * prejoin screen's preview tracks, or the call's published ones.
 */
export interface MediaControls {
  /** The microphone track, for the level meter; undefined when none is open. */
  micTrack?: LocalAudioTrack;
  /** The camera track, for the preview. */
  camTrack?: LocalVideoTrack;
  /** Whether the microphone is on (a muted one shows no level). */
  micOn: boolean;
  /** activeDevice returns the id of the device in use for a kind. */
  activeDevice(kind: MediaDeviceKind): string | undefined;
  /** switchDevice starts using another device (and remembers it). */
  switchDevice(kind: MediaDeviceKind, id: string): Promise<void>;
  /** setQuality applies a camera resolution to the open camera. */
  setQuality(q: VideoQuality): Promise<void>;
}

/** useDevices lists the devices of a kind, and follows devices being plugged and unplugged. */
export function useDevices(kind: MediaDeviceKind): MediaDeviceInfo[] | null {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | null>(null);
  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.enumerateDevices) {
      setDevices([]);
      return;
    }
    let live = true;
    const read = () =>
      md
        .enumerateDevices()
        .then((all) => live && setDevices(all.filter((d) => d.kind === kind && d.deviceId !== '')))
        .catch(() => live && setDevices([]));
    void read();
    md.addEventListener?.('devicechange', read);
    return () => {
      live = false;
      md.removeEventListener?.('devicechange', read);
    };
  }, [kind]);
  return devices;
}
