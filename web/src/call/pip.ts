// What the picture-in-picture window shows: someone else's screen share,
// else whoever speaks, else someone else's camera, else one's own.

/** PipCandidate is the part of a tile the choice reads. */
export interface PipCandidate {
  identity: string;
  source: 'camera' | 'screen_share';
  isLocal: boolean;
  /** Whether there is video to show (a subscribed, unmuted track). */
  hasVideo: boolean;
}

/**
 * pipTarget picks the tile to show; `speakers` lists identities, loudest
 * first. Tiles without video count only when no tile has video.
 */
export function pipTarget<T extends PipCandidate>(tiles: readonly T[], speakers: readonly string[]): T | undefined {
  const remote = tiles.filter((c) => !c.isLocal);
  const share = remote.find((c) => c.source === 'screen_share' && c.hasVideo);
  if (share) return share;
  const cameras = remote.filter((c) => c.source === 'camera');
  for (const withVideo of [true, false]) {
    for (const id of speakers) {
      const c = cameras.find((x) => x.identity === id && (x.hasVideo || !withVideo));
      if (c) return c;
    }
    const any = cameras.find((x) => x.hasVideo || !withVideo);
    if (any) return any;
  }
  return tiles.find((c) => c.isLocal && c.source === 'camera') ?? tiles[0];
}

/** VideoCandidate describes a <video> on the stage, for the fallback to the browser's own picture-in-picture. */
export interface VideoCandidate {
  source: string | null;
  isLocal: boolean;
  speaking: boolean;
  /** Whether the element has a frame to show. */
  ready: boolean;
}

/** pickVideo returns the index of the video element to put in picture-in-picture, or -1. */
export function pickVideo(videos: readonly VideoCandidate[]): number {
  const score = (v: VideoCandidate) => (v.ready ? 8 : 0) + (v.source === 'screen_share' && !v.isLocal ? 4 : 0) + (v.speaking && !v.isLocal ? 2 : 0) + (v.isLocal ? 0 : 1);
  let best = -1;
  videos.forEach((v, i) => {
    if (best < 0 || score(v) > score(videos[best])) best = i;
  });
  return best;
}
