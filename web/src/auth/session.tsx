import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { apiLanguage, useI18n } from '../i18n/i18n';
import * as api from '../api/endpoints';
import type { AppConfig, User } from '../api/types';
import { markSilentLoginTried, shouldTrySilentLogin } from './silentLogin';

interface Session {
  config: AppConfig | null;
  user: User | null;
  loading: boolean;
  error: string | null;
  /** reload fetches users/me again (after local sign-in or sign-out). */
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<Session | null>(null);

async function fetchMe(): Promise<User | null> {
  try {
    return await api.getMe();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const [cfg, me] = await Promise.all([api.getConfig(), fetchMe()]);
        if (!live) return;
        if (shouldTrySilentLogin(cfg, me, sessionStorage)) {
          markSilentLoginTried(sessionStorage);
          location.assign(api.loginUrl(location.href, true));
          return;
        }
        setConfig(cfg);
        setUser(me);
      } catch (err) {
        if (live) setError(err instanceof Error ? err.message : String(err));
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  const reload = useCallback(async () => {
    setUser(await fetchMe());
  }, []);
  // The signed-in user's saved language wins over this browser's; a language
  // picked while signed in is saved to the account.
  const { followAccount } = useI18n();
  useEffect(() => {
    followAccount(user ? { language: user.language, save: (l) => api.updateMe(user.id, { language: apiLanguage(l) }) } : null);
  }, [user, followAccount]);
  const signOut = useCallback(async () => {
    await api.logout();
    setUser(null);
  }, []);

  return <Ctx.Provider value={{ config, user, loading, error, reload, signOut }}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/**
 * useConfig is the server's config/, or null while it loads; unlike
 * useSession it also works outside a SessionProvider (a component
 * rendered alone in a test), where it is null.
 */
export function useConfig(): AppConfig | null {
  return useContext(Ctx)?.config ?? null;
}

/**
 * useUser is the signed-in user, or null (signed out, still loading, or
 * outside a SessionProvider as in a component test).
 */
export function useUser(): User | null {
  return useContext(Ctx)?.user ?? null;
}
