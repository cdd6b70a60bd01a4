// The person's preferences, kept in this browser: one localStorage entry
// under a versioned key. Nothing secret goes here (tokens stay in memory).

/** SETTINGS_KEY is the localStorage entry holding every preference. */
export const SETTINGS_KEY = 'meet.settings';
/** SETTINGS_VERSION is the layout written by this version of the app. */
export const SETTINGS_VERSION = 1;

// Before version 1, the language and the guest's name had entries of their own.
const LEGACY_LANG = 'meet.lang';
const LEGACY_NAME = 'meet.displayName';

/** VideoQuality is the camera resolution sent to the others. */
export type VideoQuality = 'high' | 'standard' | 'low';
export const VIDEO_QUALITIES: readonly VideoQuality[] = ['high', 'standard', 'low'];

/** SoundEvent is a call event that can play a short sound. */
export type SoundEvent = 'join' | 'chat' | 'hand' | 'knock';
export const SOUND_EVENTS: readonly SoundEvent[] = ['join', 'chat', 'hand', 'knock'];

/** Settings are the preferences of the person using this browser. */
export interface Settings {
  version: typeof SETTINGS_VERSION;
  /** The interface language chosen here; null: follow the browser (or the account). */
  language: string | null;
  /** The name a guest joins with. */
  displayName: string;
  /** Device ids; null: the browser's default device. */
  audioInput: string | null;
  audioOutput: string | null;
  videoInput: string | null;
  videoQuality: VideoQuality;
  /** Whether one's own camera is shown as in a mirror. */
  mirror: boolean;
  sounds: Record<SoundEvent, boolean>;
  /** Whether holding Space while muted talks. */
  pushToTalk: boolean;
}

/** defaultSettings are used for everything not stored yet. */
export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    language: null,
    displayName: '',
    audioInput: null,
    audioOutput: null,
    videoInput: null,
    videoQuality: 'high',
    mirror: true,
    sounds: { join: true, chat: true, hand: true, knock: true },
    pushToTalk: true,
  };
}

/** KeyValueStorage is the part of Web Storage the settings use. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = 200): string | null => (typeof v === 'string' && v !== '' && v.length <= max ? v : null);
const bool = (v: unknown, def: boolean): boolean => (typeof v === 'boolean' ? v : def);

/**
 * sanitize keeps every stored field that has the right type and replaces the
 * others with the default, so that a hand-edited or half-written entry never
 * breaks the app. Unknown fields are dropped.
 */
export function sanitize(raw: Raw): Settings {
  const d = defaultSettings();
  const sounds = isObject(raw.sounds) ? raw.sounds : {};
  return {
    version: SETTINGS_VERSION,
    language: str(raw.language, 16),
    displayName: typeof raw.displayName === 'string' ? raw.displayName.slice(0, 50) : d.displayName,
    audioInput: str(raw.audioInput),
    audioOutput: str(raw.audioOutput),
    videoInput: str(raw.videoInput),
    videoQuality: VIDEO_QUALITIES.includes(raw.videoQuality as VideoQuality) ? (raw.videoQuality as VideoQuality) : d.videoQuality,
    mirror: bool(raw.mirror, d.mirror),
    sounds: Object.fromEntries(SOUND_EVENTS.map((e) => [e, bool(sounds[e], d.sounds[e])])) as Record<SoundEvent, boolean>,
    pushToTalk: bool(raw.pushToTalk, d.pushToTalk),
  };
}

/**
 * MIGRATIONS[n] turns a version-n entry into a version n+1 one. Version 0 is
 * "no entry": it gathers the separate entries older versions kept.
 */
const MIGRATIONS: ((raw: Raw, storage: KeyValueStorage) => Raw)[] = [
  (raw, storage) => ({
    ...raw,
    language: safeGet(storage, LEGACY_LANG),
    displayName: safeGet(storage, LEGACY_NAME) ?? '',
  }),
];

function safeGet(storage: KeyValueStorage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * migrate brings a stored value (parsed JSON, or undefined when there is
 * none) to the current layout. A value from a newer version of the app is
 * read for the fields this version knows; garbage gives the defaults.
 */
export function migrate(stored: unknown, storage: KeyValueStorage): Settings {
  let raw: Raw = isObject(stored) ? stored : {};
  let version = typeof raw.version === 'number' && Number.isInteger(raw.version) && raw.version >= 0 ? raw.version : 0;
  if (!isObject(stored)) version = 0;
  while (version < SETTINGS_VERSION) {
    raw = MIGRATIONS[version](raw, storage);
    version++;
  }
  return sanitize(raw);
}

/** loadSettings reads the settings, migrating (and rewriting) an older entry. */
export function loadSettings(storage: KeyValueStorage): Settings {
  const text = safeGet(storage, SETTINGS_KEY);
  let parsed: unknown = undefined;
  if (text !== null) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const settings = migrate(parsed, storage);
  const storedVersion = isObject(parsed) && typeof parsed.version === 'number' ? parsed.version : 0;
  if (storedVersion < SETTINGS_VERSION) {
    saveSettings(storage, settings);
    try {
      storage.removeItem(LEGACY_LANG);
      storage.removeItem(LEGACY_NAME);
    } catch {
      // Left over entries are harmless: they are only read when migrating.
    }
  }
  return settings;
}

/** saveSettings writes the settings; a full or disabled storage only loses the preference. */
export function saveSettings(storage: KeyValueStorage, settings: Settings): void {
  try {
    storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Private mode or a full quota: the preferences last for this page only.
  }
}

/** SettingsStore holds the settings of a page and tells its subscribers of changes. */
export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<Omit<Settings, 'version'>>): void;
  subscribe(listener: () => void): () => void;
  /** reload rereads the storage (another tab changed it). */
  reload(): void;
}

/** createSettingsStore reads the settings from storage and writes every update back. */
export function createSettingsStore(storage: KeyValueStorage): SettingsStore {
  let current = loadSettings(storage);
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((l) => l());
  return {
    get: () => current,
    update(patch) {
      current = sanitize({ ...current, ...patch });
      saveSettings(storage, current);
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reload() {
      current = loadSettings(storage);
      emit();
    },
  };
}

/** memoryStorage is a KeyValueStorage for when the browser's is unavailable, and for tests. */
export function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}
