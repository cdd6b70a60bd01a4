import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { settingsStore } from '../settings/useSettings';
import { dictionaries, type Lang, type MessageKey } from './dict';

/** translate looks key up in lang's table and fills {placeholders}. */
export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? dictionaries.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** initialLang prefers the user's explicit choice, then the browser's language. */
export function initialLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored && stored in dictionaries) return stored as Lang;
  for (const l of browser) {
    const base = l.toLowerCase().split('-')[0];
    if (base in dictionaries) return base as Lang;
  }
  return 'en';
}

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;
interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: T;
}

const Ctx = createContext<I18n | null>(null);

function readStored(): string | null {
  return settingsStore().get().language;
}

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => forced ?? initialLang(readStored(), navigator.languages ?? []));
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    settingsStore().update({ language: l });
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (k, v) => translate(lang, k, v) }), [lang, setLang]);
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
