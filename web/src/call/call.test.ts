import { describe, expect, it } from 'vitest';
import { describeEnd, knownReasons } from './disconnect';
import { handSnapshot, newlyRaised, sortByHand, type HandHolder } from './hands';
import { menuActions, roleChange, type ModerationTarget } from './moderation';
import { availableModes, recordingChange, recordingFromMetadata } from './recording';
import { decodeSignal, encodeSignal, RateLimiter, type Signal } from './signals';
import { dictionaries } from '../i18n/dict';
import { DisconnectReason } from 'livekit-client';

describe('describeEnd', () => {
  it('has a sentence for every LiveKit disconnect reason', () => {
    const names = Object.keys(DisconnectReason).filter((k) => Number.isNaN(Number(k)));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      expect(knownReasons, name).toContain(name);
      const end = describeEnd(name);
      if (name === 'CLIENT_INITIATED') expect(end).toEqual({ kind: 'left' });
      else {
        expect(end.message, name).toBeDefined();
        expect(dictionaries.en[end.message!]).toMatch(/\.$/);
        expect(dictionaries.fr[end.message!]).not.toBe(dictionaries.en[end.message!]);
      }
    }
  });
  it.each([
    [undefined, { kind: 'left' }],
    ['DUPLICATE_IDENTITY', { kind: 'problem', message: 'end.reason.duplicate' }],
    ['PARTICIPANT_REMOVED', { kind: 'removed', message: 'end.reason.removed' }],
    ['ROOM_DELETED', { kind: 'ended', message: 'end.reason.roomDeleted' }],
    ['could not establish signal connection: 403 forbidden', { kind: 'removed', message: 'end.reason.removed' }],
    ['websocket error', { kind: 'problem', message: 'end.reason.couldNotConnect' }],
  ])('%s', (reason, want) => expect(describeEnd(reason)).toEqual(want));
  it('says "another tab" for a duplicate identity', () => {
    expect(dictionaries.en['end.reason.duplicate']).toBe('You joined this meeting from another tab or device.');
  });
});

const p = (identity: string, at?: string): HandHolder => ({ identity, attributes: at ? { handRaisedAt: at } : {} });

describe('sortByHand', () => {
  it('puts raised hands first in raise order and keeps the rest in place', () => {
    const people = [p('a'), p('b', '2026-01-01T10:00:02.000000+00:00'), p('c'), p('d', '2026-01-01T10:00:01.000000+00:00'), p('e')];
    expect(sortByHand(people).map((x) => x.identity)).toEqual(['d', 'b', 'a', 'c', 'e']);
  });
  it('treats an empty attribute as a lowered hand', () => {
    expect(sortByHand([p('a'), { identity: 'b', attributes: { handRaisedAt: '' } }]).map((x) => x.identity)).toEqual(['a', 'b']);
  });
});

describe('newlyRaised', () => {
  it('reports hands raised since the snapshot, including raised again', () => {
    const before = handSnapshot([p('a', 't1'), p('b', 't2')]);
    const now = [p('a', 't1'), p('b', 't5'), p('c', 't4'), p('d')];
    expect(newlyRaised(before, now).map((x) => x.identity)).toEqual(['c', 'b']);
    expect(newlyRaised(handSnapshot(now), now)).toEqual([]);
  });
});

const target = (over: Partial<ModerationTarget> = {}): ModerationTarget => ({
  isLocal: false,
  role: 'member',
  authenticated: true,
  micOn: true,
  cameraOn: true,
  screenOn: false,
  handRaised: false,
  ...over,
});

describe('menuActions', () => {
  const host = { isHost: true, everyoneCanMute: false };
  it('gives hosts everything that applies', () => {
    expect(menuActions(host, target({ screenOn: true, handRaised: true }))).toEqual(['mute', 'stopCamera', 'stopScreen', 'lowerHand', 'makeCohost', 'remove']);
  });
  it('offers removing a co-host, never demoting an owner, no role for guests', () => {
    expect(menuActions(host, target({ role: 'administrator', micOn: false, cameraOn: false }))).toEqual(['removeCohost', 'remove']);
    expect(menuActions(host, target({ role: 'owner', micOn: false, cameraOn: false }))).toEqual(['remove']);
    expect(menuActions(host, target({ role: undefined, authenticated: false, micOn: false, cameraOn: false }))).toEqual(['remove']);
  });
  it('lets others mute only when the room allows it', () => {
    expect(menuActions({ isHost: false, everyoneCanMute: true }, target())).toEqual(['mute']);
    expect(menuActions({ isHost: false, everyoneCanMute: false }, target())).toEqual([]);
    expect(menuActions({ isHost: false, everyoneCanMute: true }, target({ micOn: false }))).toEqual([]);
  });
  it('never offers anything on oneself', () => {
    expect(menuActions(host, target({ isLocal: true }))).toEqual([]);
  });
});

describe('roleChange', () => {
  it.each([
    [undefined, 'owner', null],
    ['member', 'administrator', 'promoted'],
    ['administrator', 'member', 'demoted'],
    ['owner', 'administrator', null],
    ['member', 'member', null],
  ] as const)('%s → %s', (a, b, want) => expect(roleChange(a, b)).toBe(want));
});

describe('recording', () => {
  it.each([
    [undefined, { status: 'idle' }],
    ['', { status: 'idle' }],
    ['not json', { status: 'idle' }],
    ['{"recording_status":"started","recording_mode":"transcript"}', { status: 'started', mode: 'transcript' }],
    ['{"recording_status":"starting"}', { status: 'starting' }],
    ['{"recording_status":"weird"}', { status: 'idle' }],
  ])('parses %s', (md, want) => expect(recordingFromMetadata(md)).toEqual(want));
  it.each([
    ['idle', 'starting', null],
    ['starting', 'started', 'started'],
    ['idle', 'started', 'started'],
    ['started', 'saving', 'stopped'],
    ['saving', 'idle', null],
    ['started', 'idle', 'stopped'],
    ['starting', 'idle', 'failed'],
    ['started', 'started', null],
  ] as const)('%s → %s', (a, b, want) => expect(recordingChange({ status: a }, { status: b })).toBe(want));
  it('keeps the modes it knows', () => {
    expect(availableModes(['transcript', 'other', 'screen_recording'])).toEqual(['transcript', 'screen_recording']);
    expect(availableModes(undefined)).toEqual(['screen_recording']);
  });
});

describe('signals', () => {
  it('round-trips every kind', () => {
    for (const s of [
      { type: 'reaction', reaction: 'heart' },
      { type: 'moderated', action: 'muted' },
      { type: 'recordingRequest' },
      { type: 'roomSettings', access_level: 'public', can_publish_sources: ['camera'] },
    ] satisfies Signal[]) {
      expect(decodeSignal(encodeSignal(s))).toEqual(s);
    }
  });
  it.each(['', 'null', '[]', '{"type":"reaction","reaction":"toString"}', '{"type":"moderated","action":"removed"}', '{"type":"x"}', '{"type":"roomSettings","access_level":"public","can_publish_sources":[1]}'])(
    'refuses %s',
    (text) => expect(decodeSignal(new TextEncoder().encode(text))).toBeNull(),
  );
});

describe('RateLimiter', () => {
  it('lets `limit` through per sliding window', () => {
    let now = 1000;
    const rl = new RateLimiter(3, 2000, () => now);
    expect([rl.tryTake(), rl.tryTake(), rl.tryTake(), rl.tryTake()]).toEqual([true, true, true, false]);
    now += 1999;
    expect(rl.tryTake()).toBe(false);
    now += 1;
    expect(rl.tryTake()).toBe(true);
    expect(rl.tryTake()).toBe(true);
    expect(rl.tryTake()).toBe(true);
    expect(rl.tryTake()).toBe(false);
  });
  it('does not count refused attempts', () => {
    let now = 0;
    const rl = new RateLimiter(1, 1000, () => now);
    rl.tryTake();
    for (let i = 0; i < 10; i++) {
      now += 50;
      rl.tryTake();
    }
    now = 1000;
    expect(rl.tryTake()).toBe(true);
  });
});

import { addNotice, MAX_NOTICES, removeNotice } from './notices';

describe('notices', () => {
  it('replaces a notice of the same key, caps the list, removes by id', () => {
    let l = addNotice([], { id: 1, text: 'a', key: 'rec' });
    l = addNotice(l, { id: 2, text: 'b' });
    l = addNotice(l, { id: 3, text: 'c', key: 'rec' });
    expect(l.map((n) => n.id)).toEqual([2, 3]);
    for (let i = 4; i < 10; i++) l = addNotice(l, { id: i, text: String(i) });
    expect(l.map((n) => n.id)).toEqual([7, 8, 9]);
    expect(l).toHaveLength(MAX_NOTICES);
    expect(removeNotice(l, 8).map((n) => n.id)).toEqual([7, 9]);
  });
});
