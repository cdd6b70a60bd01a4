import { describe, expect, it } from 'vitest';
import type { AppConfig, User } from '../api/types';
import { markSilentLoginTried, shouldTrySilentLogin } from './silentLogin';

const on: AppConfig = { is_silent_login_enabled: true, authentication: { oidc: true, local: false } };
const user: User = { id: '1', email: 'a@b.c', full_name: 'A', short_name: 'A' };

function memStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('silent login', () => {
  it('tries once per session, then never again', () => {
    const s = memStorage();
    expect(shouldTrySilentLogin(on, null, s)).toBe(true);
    markSilentLoginTried(s);
    expect(shouldTrySilentLogin(on, null, s)).toBe(false);
    expect([...s.m.values()]).toEqual(['1']); // a flag, nothing else
  });
  it('does not try when signed in, disabled, or without OIDC', () => {
    const s = memStorage();
    expect(shouldTrySilentLogin(on, user, s)).toBe(false);
    expect(shouldTrySilentLogin({ ...on, is_silent_login_enabled: false }, null, s)).toBe(false);
    expect(shouldTrySilentLogin({ ...on, authentication: { oidc: false, local: true } }, null, s)).toBe(false);
  });
  it('does not try when storage is unavailable (no loop possible)', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    expect(shouldTrySilentLogin(on, null, broken)).toBe(false);
  });
});
