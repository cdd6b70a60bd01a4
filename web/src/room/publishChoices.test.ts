import { defaultEffects } from '../effects/choices';
import { describe, expect, it } from 'vitest';
import type { LocalAudioTrack, LocalTrack, LocalVideoTrack } from 'livekit-client';
import type { JoinChoices, PreviewTracks } from './choices';
import { publishChoices, type Publisher } from './publishChoices';

// A preview track as far as publishChoices looks at it.
function track(kind: 'audio' | 'video', state: 'live' | 'ended' = 'live', muted = false) {
  return { kind, isMuted: muted, mediaStreamTrack: { readyState: state } } as unknown;
}

class RecordingPublisher implements Publisher {
  calls: string[] = [];
  fail = new Set<string>();
  private async record(call: string) {
    this.calls.push(call);
    if (this.fail.has(call.split(' ')[0])) throw new Error(`${call} failed`);
    return undefined as never;
  }
  publishTrack = (t: LocalTrack) => this.record(`publish ${t.kind}`);
  setMicrophoneEnabled = (on: boolean, opts?: { deviceId?: string }) => this.record(`mic ${on} ${opts?.deviceId}`);
  setCameraEnabled = (on: boolean, opts?: { deviceId?: string }) => this.record(`camera ${on} ${opts?.deviceId}`);
}

const both: JoinChoices = { username: 'Ann', audioEnabled: true, videoEnabled: true, audioDeviceId: 'mic-1', videoDeviceId: 'cam-1', effects: defaultEffects };
const previews = (a: unknown, v: unknown): PreviewTracks => ({ audio: a as LocalAudioTrack, video: v as LocalVideoTrack });

describe('publishChoices', () => {
  it('publishes the live preview tracks without reopening the devices', async () => {
    const lp = new RecordingPublisher();
    await publishChoices(lp, both, previews(track('audio'), track('video')));
    expect(lp.calls.sort()).toEqual(['publish audio', 'publish video']);
  });

  it('opens the chosen device again when its preview track has ended or is missing', async () => {
    const lp = new RecordingPublisher();
    await publishChoices(lp, both, previews(track('audio', 'ended'), undefined));
    expect(lp.calls.sort()).toEqual(['camera true cam-1', 'mic true mic-1']);
  });

  it('does not publish a muted preview track (the camera light is off) but reopens the device', async () => {
    const lp = new RecordingPublisher();
    await publishChoices(lp, { ...both, audioEnabled: false }, previews(track('audio'), track('video', 'live', true)));
    expect(lp.calls).toEqual(['camera true cam-1']);
  });

  it('publishes nothing the person switched off', async () => {
    const lp = new RecordingPublisher();
    await publishChoices(lp, { ...both, audioEnabled: false, videoEnabled: false }, previews(track('audio'), track('video')));
    expect(lp.calls).toEqual([]);
  });

  it('still publishes the microphone when the camera fails, and reports the failure', async () => {
    const lp = new RecordingPublisher();
    lp.fail.add('camera');
    await expect(publishChoices(lp, both, previews(track('audio'), undefined))).rejects.toThrow('camera true cam-1 failed');
    expect(lp.calls.sort()).toEqual(['camera true cam-1', 'publish audio']);
  });
});
