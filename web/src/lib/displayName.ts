// The guest's display name is remembered with the other preferences (never a
// token: those stay in memory).
import { settingsStore } from '../settings/useSettings';

export const MAX_NAME = 50;

export function loadDisplayName(): string {
  return settingsStore().get().displayName;
}

export function saveDisplayName(name: string) {
  settingsStore().update({ displayName: name.slice(0, MAX_NAME) });
}
