import { describe, expect, it } from 'vitest';
import { clampPage, pageCount, pageItems, stableOrder } from './pagination';
import { ariaKeys, chordFor, chordKeys, isTypingTarget, matchShortcut, PushToTalk, usesSpace, type KeyInput } from './shortcuts';
import { SilenceDetector } from './silence';

const el = (tagName: string, extra: Record<string, unknown> = {}) =>
  ({ tagName, getAttribute: (n: string) => (extra[n] as string) ?? null, ...extra }) as unknown as EventTarget;
const press = (p: Partial<KeyInput>): KeyInput => ({ key: '', code: '', ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, target: el('BODY'), ...p });

describe('matchShortcut', () => {
  it.each([
    [{ key: 'd', code: 'KeyD', ctrlKey: true }, false, 'mic'],
    [{ key: 'e', code: 'KeyE', ctrlKey: true }, false, 'camera'],
    [{ key: 'h', code: 'KeyH', ctrlKey: true, altKey: true }, false, 'hand'],
    [{ key: 'c', code: 'KeyC', ctrlKey: true, altKey: true }, false, 'chat'],
    [{ key: 'p', code: 'KeyP', ctrlKey: true, altKey: true }, false, 'participants'],
    [{ key: 'r', code: 'KeyR', ctrlKey: true, altKey: true }, false, 'reactions'],
    [{ key: 'l', code: 'KeyL', ctrlKey: true, altKey: true }, false, 'leave'],
    [{ key: '?', code: 'Slash', shiftKey: true }, false, 'help'],
    // A Mac: ⌘ for Ctrl, and ⌘+Ctrl (or ⌘+Option, whose key is another character) for Ctrl+Alt.
    [{ key: 'd', code: 'KeyD', metaKey: true }, true, 'mic'],
    [{ key: 'h', code: 'KeyH', metaKey: true, ctrlKey: true }, true, 'hand'],
    [{ key: '˙', code: 'KeyH', metaKey: true, altKey: true }, true, 'hand'],
  ] as const)('%j (mac %s) → %s', (p, mac, want) => expect(matchShortcut(press(p), mac)).toBe(want));

  it.each([
    [{ key: 'd', code: 'KeyD' }, false], // no modifier
    [{ key: 'd', code: 'KeyD', metaKey: true }, false], // ⌘ off a Mac
    [{ key: 'd', code: 'KeyD', ctrlKey: true }, true], // Ctrl on a Mac is not ⌘
    [{ key: 'D', code: 'KeyD', ctrlKey: true, shiftKey: true }, false],
    [{ key: 'd', code: 'KeyD', ctrlKey: true, altKey: true }, false], // not a chord
    [{ key: 'h', code: 'KeyH', ctrlKey: true }, false], // Ctrl+H is the browser's history
    [{ key: '?', code: 'Slash', shiftKey: true, ctrlKey: true }, false],
  ] as const)('%j (mac %s) matches nothing', (p, mac) => expect(matchShortcut(press(p), mac)).toBeNull());

  it('ignores presses while typing in a text field, but not on buttons or checkboxes', () => {
    const typing = [el('INPUT', { type: 'text' }), el('input', { type: 'search' }), el('TEXTAREA'), el('SELECT'), el('DIV', { isContentEditable: true }), el('DIV', { role: 'textbox' })];
    for (const [i, target] of typing.entries()) {
      expect(matchShortcut(press({ key: 'd', code: 'KeyD', ctrlKey: true, target }), false), String(i)).toBeNull();
      expect(matchShortcut(press({ key: '?', code: 'Slash', shiftKey: true, target }), false)).toBeNull();
    }
    for (const target of [el('BUTTON'), el('INPUT', { type: 'checkbox' }), el('INPUT', { type: 'range' }), el('BODY'), null]) {
      expect(matchShortcut(press({ key: 'd', code: 'KeyD', ctrlKey: true, target }), false)).toBe('mic');
    }
    expect(isTypingTarget(el('INPUT', { type: 'radio' }))).toBe(false);
    expect(isTypingTarget(el('INPUT', { type: 'email' }))).toBe(true);
  });

  it('spells chords for people and for aria-keyshortcuts', () => {
    expect(chordKeys(chordFor('hand')!, false)).toEqual(['Ctrl', 'Alt', 'H']);
    expect(chordKeys(chordFor('hand')!, true)).toEqual(['⌘', 'Ctrl', 'H']);
    expect(ariaKeys(chordFor('mic')!, false)).toBe('Control+D');
    expect(ariaKeys(chordFor('chat')!, true)).toBe('Meta+Control+C');
  });
});

describe('PushToTalk', () => {
  const space = (p: Record<string, unknown> = {}) => ({ code: 'Space', ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, target: el('BODY'), ...p });

  it('unmutes while Space is held with the microphone off, and mutes on release', () => {
    const ptt = new PushToTalk();
    expect(ptt.keyDown(space(), false)).toBe('unmute');
    expect(ptt.isHolding).toBe(true);
    // Auto-repeat, and the microphone now being on, change nothing.
    expect(ptt.keyDown(space({ repeat: true }), true)).toBeNull();
    expect(ptt.keyUp({ code: 'Space' })).toBe('mute');
    expect(ptt.keyUp({ code: 'Space' })).toBeNull();
  });

  it('does nothing when the microphone is already on', () => {
    const ptt = new PushToTalk();
    expect(ptt.keyDown(space(), true)).toBeNull();
    expect(ptt.keyUp({ code: 'Space' })).toBeNull();
  });

  it('leaves Space to buttons, text fields and chords', () => {
    const ptt = new PushToTalk();
    for (const target of [el('BUTTON'), el('INPUT', { type: 'text' }), el('DIV', { role: 'menuitem' }), el('TEXTAREA')]) {
      expect(ptt.keyDown(space({ target }), false)).toBeNull();
    }
    expect(ptt.keyDown(space({ ctrlKey: true }), false)).toBeNull();
    expect(ptt.keyDown({ ...space(), code: 'KeyV' }, false)).toBeNull();
    expect(usesSpace(el('DIV'))).toBe(false);
  });

  it('mutes again when the page loses focus mid-press', () => {
    const ptt = new PushToTalk();
    ptt.keyDown(space(), false);
    expect(ptt.release()).toBe('mute');
    expect(ptt.release()).toBeNull();
  });
});

describe('SilenceDetector', () => {
  it('reports silence after five seconds of an open, silent microphone', () => {
    const d = new SilenceDetector(5000);
    expect(d.sample({ at: 0, level: 0, on: true, deviceId: 'a' })).toBe(false);
    expect(d.sample({ at: 4900, level: 0.001, on: true, deviceId: 'a' })).toBe(false);
    expect(d.sample({ at: 5000, level: 0, on: true, deviceId: 'a' })).toBe(true);
    // Any sound ends it at once.
    expect(d.sample({ at: 5100, level: 0.2, on: true, deviceId: 'a' })).toBe(false);
    expect(d.sample({ at: 9000, level: 0, on: true, deviceId: 'a' })).toBe(false);
    expect(d.sample({ at: 14_100, level: 0, on: true, deviceId: 'a' })).toBe(true);
  });

  it('does not count while the microphone is off', () => {
    const d = new SilenceDetector(5000);
    d.sample({ at: 0, level: 0, on: true });
    expect(d.sample({ at: 3000, level: 0, on: false })).toBe(false);
    expect(d.sample({ at: 6000, level: 0, on: true })).toBe(false);
    expect(d.sample({ at: 10_999, level: 0, on: true })).toBe(false);
    expect(d.sample({ at: 11_000, level: 0, on: true })).toBe(true);
  });

  it('starts over on another device, and after reset', () => {
    const d = new SilenceDetector(5000);
    d.sample({ at: 0, level: 0, on: true, deviceId: 'a' });
    expect(d.sample({ at: 6000, level: 0, on: true, deviceId: 'b' })).toBe(false);
    expect(d.sample({ at: 11_000, level: 0, on: true, deviceId: 'b' })).toBe(true);
    d.reset();
    expect(d.sample({ at: 12_000, level: 0, on: true, deviceId: 'b' })).toBe(false);
  });
});

describe('grid pagination', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);

  it('keeps the previous order, drops who left and adds newcomers last', () => {
    expect(stableOrder(['c', 'a', 'b'], ['a', 'b', 'c', 'd'], [], 4)).toEqual(['c', 'a', 'b', 'd']);
    expect(stableOrder(['c', 'a', 'b'], ['a', 'b'], [], 4)).toEqual(['a', 'b']);
  });

  it('brings a speaker from a later page onto the first, swapping with the last quiet tile', () => {
    const order = stableOrder(keys(10), keys(10), ['p7'], 4);
    expect(order.slice(0, 4)).toEqual(['p0', 'p1', 'p2', 'p7']);
    expect(order[7]).toBe('p3');
    // Someone already on the first page speaking changes nothing.
    expect(stableOrder(order, keys(10), ['p1'], 4)).toEqual(order);
  });

  it('never swaps out a speaker or a pinned tile', () => {
    const order = stableOrder(keys(8), keys(8), ['p5', 'p6', 'p7', 'p3'], 4, new Set(['p2']));
    expect(order.slice(0, 4)).toEqual(['p6', 'p5', 'p2', 'p3']);
    // No room left for the third speaker: it stays on page 2.
    expect(order.indexOf('p7')).toBeGreaterThanOrEqual(4);
    expect(new Set(order)).toEqual(new Set(keys(8)));
  });

  it('the active speaker is on the first page whatever page is shown', () => {
    const order = stableOrder(keys(13), keys(13), ['p12'], 6);
    expect(pageItems(order, 6, 0)).toContain('p12');
    expect(pageCount(13, 6)).toBe(3);
    expect(pageItems(order, 6, 2)).toHaveLength(1);
    expect(pageItems(order, 6, 2)).not.toContain('p12');
  });

  it('clamps the page when tiles leave', () => {
    expect(clampPage(2, 7, 6)).toBe(1);
    expect(clampPage(2, 3, 6)).toBe(0);
    expect(clampPage(-1, 3, 6)).toBe(0);
    expect(pageItems(keys(7), 6, 5)).toEqual(['p6']);
    expect(pageCount(0, 6)).toBe(1);
  });
});
