import { describe, expect, it } from 'vitest';
import { createSettingsStore, defaultSettings, loadSettings, memoryStorage, migrate, SETTINGS_KEY, SETTINGS_VERSION } from './store';

describe('settings migrations', () => {
  it('version 0 gathers the language and guest name kept in entries of their own, then drops them', () => {
    const storage = memoryStorage({ 'meet.lang': 'fr', 'meet.displayName': 'Ann Guest' });
    const s = loadSettings(storage);
    expect(s).toEqual({ ...defaultSettings(), language: 'fr', displayName: 'Ann Guest' });
    expect(JSON.parse(storage.data.get(SETTINGS_KEY)!)).toEqual(s);
    expect(storage.data.has('meet.lang')).toBe(false);
    expect(storage.data.has('meet.displayName')).toBe(false);
  });

  it('nothing stored gives the defaults and writes them under the versioned key', () => {
    const storage = memoryStorage();
    expect(loadSettings(storage)).toEqual(defaultSettings());
    expect(JSON.parse(storage.data.get(SETTINGS_KEY)!).version).toBe(SETTINGS_VERSION);
  });

  it('unreadable JSON gives the defaults', () => {
    expect(loadSettings(memoryStorage({ [SETTINGS_KEY]: '{not json' }))).toEqual(defaultSettings());
  });

  it('keeps well-typed fields and replaces wrong ones with defaults', () => {
    const s = migrate(
      { version: 1, mirror: false, videoQuality: 'ultra', audioInput: 42, audioOutput: 'spk-1', sounds: { chat: false, knock: 'no' }, extra: 1 },
      memoryStorage(),
    );
    expect(s).toEqual({
      ...defaultSettings(),
      mirror: false,
      audioOutput: 'spk-1',
      sounds: { join: true, chat: false, hand: true, knock: true },
    });
    expect('extra' in s).toBe(false);
  });

  it('reads what it knows of an entry written by a newer version, without rewriting it', () => {
    const text = JSON.stringify({ version: 9, pushToTalk: false, futureThing: { a: 1 } });
    const storage = memoryStorage({ [SETTINGS_KEY]: text });
    expect(loadSettings(storage).pushToTalk).toBe(false);
    expect(storage.data.get(SETTINGS_KEY)).toBe(text);
  });

  it('an entry without a version is treated as version 0', () => {
    const s = migrate({ mirror: false }, memoryStorage({ 'meet.lang': 'en' }));
    expect(s.mirror).toBe(false);
    expect(s.language).toBe('en');
  });
});

describe('settings store', () => {
  it('saves updates and tells subscribers', () => {
    const storage = memoryStorage();
    const store = createSettingsStore(storage);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.update({ sounds: { ...store.get().sounds, hand: false } });
    expect(calls).toBe(1);
    expect(store.get().sounds.hand).toBe(false);
    expect(JSON.parse(storage.data.get(SETTINGS_KEY)!).sounds.hand).toBe(false);
    off();
    store.update({ mirror: false });
    expect(calls).toBe(1);
  });

  it('reload picks up what another tab wrote', () => {
    const storage = memoryStorage();
    const store = createSettingsStore(storage);
    storage.setItem(SETTINGS_KEY, JSON.stringify({ ...defaultSettings(), videoQuality: 'low' }));
    store.reload();
    expect(store.get().videoQuality).toBe('low');
  });

  it('survives a storage that refuses writes', () => {
    const storage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {},
    };
    const store = createSettingsStore(storage);
    store.update({ mirror: false });
    expect(store.get().mirror).toBe(false);
  });
});
