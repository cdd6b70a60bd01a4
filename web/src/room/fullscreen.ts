import { useEffect, useState, type RefObject } from 'react';

/** useIsFullscreen reports whether the referenced element is the one in full screen. */
export function useIsFullscreen(ref: RefObject<Element | null>): boolean {
  const [full, setFull] = useState(false);
  useEffect(() => {
    const onChange = () => setFull(document.fullscreenElement !== null && document.fullscreenElement === ref.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [ref]);
  return full;
}

/** canFullscreen reports whether the page may go full screen (not in some iframes, nor on iPhones). */
export function canFullscreen(): boolean {
  return typeof document !== 'undefined' && document.fullscreenEnabled === true;
}

/** toggleFullscreen puts the element in full screen, or leaves full screen if it already is. */
export async function toggleFullscreen(el: Element | null): Promise<void> {
  if (!el) return;
  try {
    if (document.fullscreenElement === el) await document.exitFullscreen();
    else await el.requestFullscreen();
  } catch (err) {
    console.warn('full screen refused', err);
  }
}
