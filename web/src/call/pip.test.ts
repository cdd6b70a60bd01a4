import { describe, expect, it } from 'vitest';
import { pickVideo, pipTarget, type PipCandidate } from './pip';

const tile = (identity: string, over: Partial<PipCandidate> = {}): PipCandidate => ({ identity, source: 'camera', isLocal: false, hasVideo: true, ...over });

describe('pipTarget', () => {
  it('prefers a remote screen share', () => {
    const share = tile('bob', { source: 'screen_share' });
    expect(pipTarget([tile('me', { isLocal: true }), tile('ann'), share], ['ann'])).toBe(share);
  });
  it('ignores one’s own screen share and shows the loudest speaker with video', () => {
    const tiles = [tile('me', { isLocal: true }), tile('me', { isLocal: true, source: 'screen_share' }), tile('ann'), tile('bob'), tile('cy', { hasVideo: false })];
    expect(pipTarget(tiles, ['cy', 'bob', 'ann'])?.identity).toBe('bob');
  });
  it('without speakers, the first remote camera with video; without video anywhere, the speaker', () => {
    expect(pipTarget([tile('ann', { hasVideo: false }), tile('bob')], [])?.identity).toBe('bob');
    expect(pipTarget([tile('ann', { hasVideo: false }), tile('bob', { hasVideo: false })], ['bob'])?.identity).toBe('bob');
  });
  it('alone, one’s own camera; nothing at all, undefined', () => {
    expect(pipTarget([tile('me', { isLocal: true })], [])?.identity).toBe('me');
    expect(pipTarget([], [])).toBeUndefined();
  });
});

describe('pickVideo', () => {
  it('takes a playing remote screen share, then a playing speaker, then any playing remote video', () => {
    const local = { source: 'camera', isLocal: true, speaking: false, ready: true };
    const cam = { source: 'camera', isLocal: false, speaking: false, ready: true };
    const speaker = { ...cam, speaking: true };
    const share = { source: 'screen_share', isLocal: false, speaking: false, ready: true };
    expect(pickVideo([local, cam, speaker, share])).toBe(3);
    expect(pickVideo([local, cam, speaker])).toBe(2);
    expect(pickVideo([local, cam])).toBe(1);
    expect(pickVideo([{ ...share, ready: false }, local])).toBe(1);
    expect(pickVideo([])).toBe(-1);
  });
});
