// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LanguageSwitch } from '../pages/LanguageSwitch';
import { dictionaries } from './dict';
import { I18nProvider, initialLang, translate, useT } from './i18n';

describe('dictionaries', () => {
  it('French has every English key, none empty', () => {
    expect(Object.keys(dictionaries.fr).sort()).toEqual(Object.keys(dictionaries.en).sort());
    for (const [k, v] of Object.entries(dictionaries.fr)) expect(v, k).not.toBe('');
  });
  it('placeholders match between languages', () => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(dictionaries.en) as (keyof typeof dictionaries.en)[]) {
      expect(vars(dictionaries.fr[k]), k).toEqual(vars(dictionaries.en[k]));
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(translate('en', 'conf.knock', { name: 'Ann' })).toBe('Ann wants to join');
    expect(translate('fr', 'conf.knock', { name: 'Ann' })).toBe('Ann demande à rejoindre');
    expect(translate('en', 'conf.knock')).toBe('{name} wants to join');
  });
});

describe('initialLang', () => {
  it.each([
    [null, ['fr-FR', 'en'], 'fr'],
    ['en', ['fr-FR'], 'en'],
    ['de', ['de-DE', 'fr'], 'fr'],
    [null, ['de'], 'en'],
  ] as const)('stored %s, browser %j → %s', (stored, browser, want) => expect(initialLang(stored, browser)).toBe(want));
});

function Greeting() {
  return <p>{useT()('home.newMeeting')}</p>;
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
    act(() => {
      fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    });
    expect(screen.getByText('Nouvelle réunion')).toBeTruthy();
    expect(document.documentElement.lang).toBe('fr');
    expect(JSON.parse(localStorage.getItem('meet.settings') ?? '{}').language).toBe('fr');
  });
});
