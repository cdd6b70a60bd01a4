import { useEffect, useState } from 'react';
import { createAudioAnalyser, type LocalAudioTrack } from 'livekit-client';

/** useMicLevel samples the track's volume (0..1) ten times a second. */
export function useMicLevel(track: LocalAudioTrack | undefined): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track) {
      setLevel(0);
      return;
    }
    const { calculateVolume, cleanup } = createAudioAnalyser(track, { cloneTrack: true });
    const id = window.setInterval(() => setLevel(Math.min(1, calculateVolume() * 2)), 100);
    return () => {
      window.clearInterval(id);
      void cleanup();
    };
  }, [track]);
  return level;
}
