// The guest's display name is the only thing the app keeps in localStorage
// (never a token: those stay in memory).
const KEY = 'meet.displayName';
export const MAX_NAME = 50;

export function loadDisplayName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveDisplayName(name: string) {
  try {
    localStorage.setItem(KEY, name.slice(0, MAX_NAME));
  } catch {
    // Storage may be disabled (private mode): the name is a convenience.
  }
}
