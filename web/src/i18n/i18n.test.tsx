// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { LanguageSwitch } from '../pages/LanguageSwitch';
import { settingsStore } from '../settings/useSettings';
import { dictionaries, LANGS, type Lang, type MessageKey } from './dict';
import { apiLanguage, asLang, I18nProvider, initialLang, resolveLang, translate, useI18n, useT, type AccountLanguage } from './i18n';

const langs = Object.keys(dictionaries) as Lang[];
const others = langs.filter((l) => l !== 'en');
const keys = Object.keys(dictionaries.en) as MessageKey[];

// Values that are rightly the same as in English: product names, loanwords the
// language uses as is, and strings with nothing to translate.
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  common: ['Meet', 'abc-defg-hij', '{name}: {message}', 'Participants ({count})'],
  fr: ['Participants', 'Focus', 'Surprise', 'Transcription', 'Ctrl+Alt+H', 'Administrateur', 'Date', 'Page', 'Audio', 'Notifications'],
  de: ['Chat', 'Layout', 'Meeting', 'Meeting {slug}', 'Administrator', 'Browser'],
  nl: ['Chat', 'Camera', 'Ctrl+Alt+H', 'Browser'],
};

describe('dictionaries', () => {
  it('lists every language in the switcher, each named in itself', () => {
    expect(LANGS.map((l) => l.code).sort()).toEqual([...langs].sort());
    expect(LANGS.find((l) => l.code === 'de')?.label).toBe('Deutsch');
    expect(LANGS.find((l) => l.code === 'nl')?.label).toBe('Nederlands');
  });
  it.each(others)('%s has exactly the English keys, none empty', (lang) => {
    const table: Record<string, string> = dictionaries[lang];
    expect(keys.filter((k) => !(k in table)), 'missing').toEqual([]);
    expect(Object.keys(table).filter((k) => !(k in dictionaries.en)), 'extra').toEqual([]);
    for (const k of keys) expect(table[k]?.trim(), k).not.toBe('');
  });
  it.each(others)('%s has no value left in English', (lang) => {
    const allowed = new Set([...SAME_AS_ENGLISH.common, ...(SAME_AS_ENGLISH[lang] ?? [])]);
    const same = keys.filter((k) => dictionaries[lang][k] === dictionaries.en[k] && !allowed.has(dictionaries.en[k]));
    expect(same).toEqual([]);
  });
  it.each(others)('%s has the same placeholders as English', (lang) => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of keys) expect(vars(dictionaries[lang][k]), `${lang} ${k}`).toEqual(vars(dictionaries.en[k]));
  });
  it('the check catches a value left in English', () => {
    // The allowed list must not swallow ordinary words.
    const allowed = new Set([...SAME_AS_ENGLISH.common, ...SAME_AS_ENGLISH.de]);
    expect(allowed.has(dictionaries.en['home.newMeeting'])).toBe(false);
    expect(allowed.has(dictionaries.en['chat.send'])).toBe(false);
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(translate('en', 'conf.knock', { name: 'Ann' })).toBe('Ann wants to join');
    expect(translate('fr', 'conf.knock', { name: 'Ann' })).toBe('Ann demande à rejoindre');
    expect(translate('de', 'conf.knock', { name: 'Ann' })).toBe('Ann möchte teilnehmen');
    expect(translate('nl', 'conf.knock', { name: 'Ann' })).toBe('Ann wil deelnemen');
    expect(translate('en', 'conf.knock')).toBe('{name} wants to join');
  });
});

describe('language codes', () => {
  it.each([
    ['de', 'de'],
    ['de-DE', 'de'],
    ['nl-nl', 'nl'],
    ['nl_BE', 'nl'],
    ['FR-fr', 'fr'],
    ['en-us', 'en'],
    ['es-ES', null],
    ['', null],
    [null, null],
  ] as const)('asLang(%j) → %s', (tag, want) => expect(asLang(tag)).toBe(want));
  it('maps to the API codes and back', () => {
    expect(langs.map(apiLanguage)).toEqual(['en-us', 'fr-fr', 'de-de', 'nl-nl']);
    for (const l of langs) expect(asLang(apiLanguage(l))).toBe(l);
  });
});

describe('resolveLang', () => {
  it.each([
    // The account's saved language wins over everything.
    ['nl-nl', 'fr', ['de-DE'], 'nl'],
    ['en-us', 'de', ['fr-FR'], 'en'],
    // Without an account (or an unknown saved language): the local choice, then the browser.
    [null, 'de', ['fr-FR'], 'de'],
    ['xx-yy', 'de', ['fr-FR'], 'de'],
    [null, null, ['nl-BE', 'en'], 'nl'],
    [null, 'xx', ['es', 'de-AT'], 'de'],
    [null, null, ['es'], 'en'],
    [undefined, null, [], 'en'],
  ] as const)('account %j, stored %j, browser %j → %s', (account, stored, browser, want) =>
    expect(resolveLang(account, stored, browser)).toBe(want),
  );
  it.each([
    [null, ['fr-FR', 'en'], 'fr'],
    ['en', ['fr-FR'], 'en'],
    ['es', ['de-DE', 'fr'], 'de'],
    [null, ['de'], 'de'],
  ] as const)('initialLang stored %s, browser %j → %s', (stored, browser, want) => expect(initialLang(stored, browser)).toBe(want));
});

function Greeting() {
  return <p>{useT()('home.newMeeting')}</p>;
}

/** Account stands in for the session: it hands the signed-in user's language to the provider. */
function Account({ account }: { account: AccountLanguage | null }) {
  const { followAccount } = useI18n();
  useEffect(() => followAccount(account), [account, followAccount]);
  return null;
}

function pick(lang: Lang) {
  act(() => {
    fireEvent.change(screen.getByRole('combobox'), { target: { value: lang } });
  });
}

describe('I18nProvider', () => {
  it('switches language from the selector and remembers it', () => {
    localStorage.removeItem('meet.settings');
    render(
      <I18nProvider lang="en">
        <LanguageSwitch />
        <Greeting />
      </I18nProvider>,
    );
    expect(screen.getByText('New meeting')).toBeTruthy();
    expect(screen.getByLabelText('Language')).toBeTruthy();
    pick('fr');
    expect(screen.getByText('Nouvelle réunion')).toBeTruthy();
    expect(document.documentElement.lang).toBe('fr');
    expect(settingsStore().get().language).toBe('fr');
    pick('de');
    expect(screen.getByText('Neues Meeting')).toBeTruthy();
    expect(screen.getByLabelText('Sprache')).toBeTruthy();
    pick('nl');
    expect(screen.getByText('Nieuwe vergadering')).toBeTruthy();
    expect(document.documentElement.lang).toBe('nl');
  });

  it('follows the stored choice, then the account, then goes back to the stored choice on sign-out', () => {
    settingsStore().update({ language: 'fr' });
    const save = vi.fn(async () => {});
    const { rerender } = render(
      <I18nProvider>
        <Account account={null} />
        <Greeting />
      </I18nProvider>,
    );
    expect(screen.getByText('Nouvelle réunion')).toBeTruthy();
    const account = { language: 'de-de', save };
    rerender(
      <I18nProvider>
        <Account account={account} />
        <Greeting />
      </I18nProvider>,
    );
    expect(screen.getByText('Neues Meeting')).toBeTruthy();
    expect(save).not.toHaveBeenCalled();
    rerender(
      <I18nProvider>
        <Account account={null} />
        <Greeting />
      </I18nProvider>,
    );
    expect(screen.getByText('Nouvelle réunion')).toBeTruthy();
  });

  it('saves a language picked while signed in to the account, and not when signed out', async () => {
    settingsStore().update({ language: null });
    const save = vi.fn(async () => {});
    const account = { language: 'en-us', save };
    const { rerender } = render(
      <I18nProvider>
        <Account account={account} />
        <LanguageSwitch />
        <Greeting />
      </I18nProvider>,
    );
    expect(screen.getByText('New meeting')).toBeTruthy();
    pick('nl');
    expect(save).toHaveBeenCalledExactlyOnceWith('nl');
    // The account's (stale) saved language no longer wins over the new pick.
    expect(screen.getByText('Nieuwe vergadering')).toBeTruthy();
    expect(settingsStore().get().language).toBe('nl');
    rerender(
      <I18nProvider>
        <Account account={null} />
        <LanguageSwitch />
        <Greeting />
      </I18nProvider>,
    );
    pick('de');
    expect(save).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Neues Meeting')).toBeTruthy();
  });

  it('keeps the picked language when saving it fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const save = vi.fn(async () => {
      throw new Error('offline');
    });
    render(
      <I18nProvider>
        <Account account={{ language: 'fr-fr', save }} />
        <LanguageSwitch />
        <Greeting />
      </I18nProvider>,
    );
    expect(screen.getByText('Nouvelle réunion')).toBeTruthy();
    pick('de');
    await act(async () => {});
    expect(screen.getByText('Neues Meeting')).toBeTruthy();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
