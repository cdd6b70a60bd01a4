import { useEffect, useState } from 'react';
import { createAudioAnalyser, type LocalAudioTrack } from 'livekit-client';
import { SilenceDetector } from '../call/silence';

const SAMPLE_MS = 250;

/**
 * useSilentMic reports whether the microphone, while on, has sent only
 * silence for a few seconds (see SilenceDetector).
 */
export function useSilentMic(track: LocalAudioTrack | undefined, on: boolean): boolean {
  const [silent, setSilent] = useState(false);
  useEffect(() => {
    if (!track || !on) {
      setSilent(false);
      return;
    }
    const detector = new SilenceDetector();
    const { calculateVolume, cleanup } = createAudioAnalyser(track, { cloneTrack: true });
    const id = window.setInterval(() => {
      const deviceId = track.mediaStreamTrack?.getSettings().deviceId;
      setSilent(detector.sample({ at: performance.now(), level: calculateVolume(), on: !track.isMuted, deviceId }));
    }, SAMPLE_MS);
    return () => {
      window.clearInterval(id);
      void cleanup();
    };
  }, [track, on]);
  return silent;
}
