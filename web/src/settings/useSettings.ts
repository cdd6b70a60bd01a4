import { useSyncExternalStore } from 'react';
import { createSettingsStore, memoryStorage, SETTINGS_KEY, type Settings, type SettingsStore } from './store';

let shared: SettingsStore | null = null;

function browserStorage() {
  try {
    // Reading the property throws where storage is disabled.
    if (typeof localStorage !== 'undefined' && localStorage) return localStorage;
  } catch {
    // Fall through to memory.
  }
  return memoryStorage();
}

/**
 * settingsStore is the page's one settings store, created on first use; it
 * follows changes made in the other tabs of the same browser.
 */
export function settingsStore(): SettingsStore {
  if (shared) return shared;
  const store = createSettingsStore(browserStorage());
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (e) => {
      if (e.key === SETTINGS_KEY || e.key === null) store.reload();
    });
  }
  shared = store;
  return store;
}

/** useSettings returns the current settings and the function that changes them. */
export function useSettings(): [Settings, SettingsStore['update']] {
  const store = settingsStore();
  const settings = useSyncExternalStore(store.subscribe, store.get, store.get);
  return [settings, store.update];
}
