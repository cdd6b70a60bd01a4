import { VideoPresets, type VideoResolution } from 'livekit-client';
import type { VideoQuality } from '../settings/store';

/** captureResolution is the camera resolution of a quality setting. */
export function captureResolution(q: VideoQuality): VideoResolution {
  switch (q) {
    case 'low':
      return VideoPresets.h180.resolution;
    case 'standard':
      return VideoPresets.h360.resolution;
    default:
      return VideoPresets.h720.resolution;
  }
}
