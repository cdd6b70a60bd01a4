import { useEffect, useState } from 'react';
import { getRoomPreview } from '../api/endpoints';
import { PREVIEW_REFRESH_MS, type RoomPreview } from './preview';

/**
 * useRoomPreview keeps the room's preview fresh while the prejoin screen is
 * shown and the tab is visible. A failed refresh keeps what was known: the
 * preview is a courtesy, the join itself reports real problems.
 */
export function useRoomPreview(slug: string, signedIn: boolean): RoomPreview | null {
  const [preview, setPreview] = useState<RoomPreview | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') {
        try {
          const p = await getRoomPreview(slug);
          if (live) setPreview(p);
        } catch {
          // Kept as it was; see above.
        }
      }
      if (live) timer = setTimeout(() => void load(), PREVIEW_REFRESH_MS);
    };
    const onVisible = () => document.visibilityState === 'visible' && void load();
    void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [slug, signedIn]);
  return preview;
}
