import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { settingsStore } from '../settings/useSettings';
import { dictionaries, type Lang, type MessageKey } from './dict';

/** translate looks key up in lang's table and fills {placeholders}. */
export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? dictionaries.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** asLang turns a language tag ("de", "de-DE", the API's "de-de") into an interface language, or null. */
export function asLang(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  const base = tag.toLowerCase().split(/[-_]/)[0];
  return base in dictionaries ? (base as Lang) : null;
}

// The API's codes for the interface languages (users.Languages on the server).
const API_CODES: Record<Lang, string> = { en: 'en-us', fr: 'fr-fr', de: 'de-de', nl: 'nl-nl' };

/** apiLanguage is the code users/<id>/ stores for an interface language. */
export function apiLanguage(lang: Lang): string {
  return API_CODES[lang];
}

/**
 * resolveLang picks the interface language: the signed-in user's saved
 * language first, then the choice made in this browser, then the browser's
 * own languages, then English.
 */
export function resolveLang(account: string | null | undefined, stored: string | null, browser: readonly string[]): Lang {
  for (const tag of [account, stored, ...browser]) {
    const l = asLang(tag);
    if (l) return l;
  }
  return 'en';
}

/** initialLang prefers the user's explicit choice, then the browser's language. */
export function initialLang(stored: string | null, browser: readonly string[]): Lang {
  return resolveLang(null, stored, browser);
}

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** AccountLanguage is the signed-in user's saved language and how to change it. */
export interface AccountLanguage {
  language: string | null | undefined;
  save: (lang: Lang) => Promise<unknown>;
}

interface I18n {
  lang: Lang;
  /**
   * setLang is the user's explicit choice: kept in this browser and, when
   * signed in, saved to the account. It returns that save (null when signed
   * out) for callers that report it; a failed save is logged either way.
   */
  setLang: (l: Lang) => Promise<unknown> | null;
  /** followAccount makes the signed-in user's saved language win (null when signed out). */
  followAccount: (account: AccountLanguage | null) => void;
  t: T;
}

const Ctx = createContext<I18n | null>(null);

function readStored(): string | null {
  return settingsStore().get().language;
}

/**
 * accountChoice is the account's language when it says something: "en-us"
 * is what the server gives every new account whatever the person speaks, so
 * it does not override this browser's language (a person who picked English
 * has it stored here too).
 */
function accountChoice(code: string | null | undefined): Lang | null {
  if (!code || code.toLowerCase() === 'en-us') return null;
  return asLang(code);
}

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [stored, setStored] = useState<string | null>(() => (forced ? null : readStored()));
  const [account, setAccount] = useState<string | null>(null);
  const save = useRef<AccountLanguage['save'] | null>(null);
  // A forced language (tests, previews) holds until a language is picked.
  const [override, setOverride] = useState<Lang | undefined>(forced);
  const lang = override ?? resolveLang(account, stored, navigator.languages ?? []);

  const setLang = useCallback((l: Lang) => {
    setOverride(undefined);
    setStored(l);
    settingsStore().update({ language: l });
    if (!save.current) return null;
    setAccount(l);
    const saving = save.current(l);
    saving.catch((err: unknown) => console.warn('the language could not be saved to the account', err));
    return saving;
  }, []);
  const followAccount = useCallback((a: AccountLanguage | null) => {
    save.current = a?.save ?? null;
    setAccount(a ? accountChoice(a.language) : null);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, followAccount, t: (k, v) => translate(lang, k, v) }),
    [lang, setLang, followAccount],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

export function useT(): T {
  return useI18n().t;
}
