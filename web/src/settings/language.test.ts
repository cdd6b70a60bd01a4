import { describe, expect, it } from 'vitest';
import { accountLanguageToApply, fromAccountLanguage, toAccountLanguage } from './language';

describe('account language', () => {
  it('maps interface and account codes both ways', () => {
    expect(toAccountLanguage('fr')).toBe('fr-fr');
    expect(toAccountLanguage('en')).toBe('en-us');
    expect(toAccountLanguage('xx')).toBe('en-us');
    expect(fromAccountLanguage('fr-fr', ['en', 'fr'])).toBe('fr');
    expect(fromAccountLanguage('de-de', ['en', 'fr'])).toBeNull();
    expect(fromAccountLanguage(undefined, ['en'])).toBeNull();
  });
  it('applies the account language only without a local choice, and not the server default', () => {
    expect(accountLanguageToApply('fr-fr', null, ['en', 'fr'])).toBe('fr');
    expect(accountLanguageToApply('fr-fr', 'en', ['en', 'fr'])).toBeNull();
    expect(accountLanguageToApply('en-us', null, ['en', 'fr'])).toBeNull();
  });
});
