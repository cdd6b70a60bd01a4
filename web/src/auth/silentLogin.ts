import type { AppConfig, User } from '../api/types';

const KEY = 'meet.silentLoginTried';

/**
 * shouldTrySilentLogin reports whether to bounce through the identity
 * provider once to pick up an existing SSO session. The attempt is
 * remembered in sessionStorage (a flag, no token) so a visitor without an
 * SSO session is not redirected in a loop.
 */
export function shouldTrySilentLogin(config: AppConfig, user: User | null, storage: Pick<Storage, 'getItem'>): boolean {
  if (user || !config.is_silent_login_enabled) return false;
  if (config.authentication && config.authentication.oidc === false) return false;
  try {
    return storage.getItem(KEY) === null;
  } catch {
    return false;
  }
}

export function markSilentLoginTried(storage: Pick<Storage, 'setItem'>) {
  try {
    storage.setItem(KEY, '1');
  } catch {
    // Without storage we cannot remember the attempt, so shouldTry… will be
    // false (getItem throws too) and we never loop.
  }
}
