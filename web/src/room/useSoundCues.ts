import { useCallback } from 'react';
import { playSound } from '../settings/sounds';
import type { SoundEvent } from '../settings/store';
import { settingsStore } from '../settings/useSettings';

/** useSoundCue returns a function that plays an event's sound, when the settings have it on. */
export function useSoundCue(): (e: SoundEvent) => void {
  return useCallback((e: SoundEvent) => {
    const s = settingsStore().get();
    if (!s.sounds[e]) return;
    playSound(e, s.audioOutput ?? '').catch(() => {
      // A sound the browser refuses (no user gesture yet) is not worth a warning.
    });
  }, []);
}
