// The account's language (La Suite Meet's codes, "fr-fr") and the interface's ("fr").

/** toAccountLanguage turns an interface language into the account's code, e.g. "fr" → "fr-fr". */
export function toAccountLanguage(lang: string): string {
  const codes: Record<string, string> = { en: 'en-us', fr: 'fr-fr', nl: 'nl-nl', de: 'de-de' };
  return codes[lang] ?? 'en-us';
}

/** fromAccountLanguage returns the interface language of an account code among `known`, or null. */
export function fromAccountLanguage(code: string | undefined, known: readonly string[]): string | null {
  if (!code) return null;
  const base = code.toLowerCase().split('-')[0];
  return known.includes(base) ? base : null;
}

/**
 * accountLanguageToApply returns the account's language to switch to when
 * someone signs in, or null to keep the current one. A choice made in this
 * browser wins; so does the browser's language over "en-us", which the
 * server gives every new account whatever the person speaks.
 */
export function accountLanguageToApply(code: string | undefined, localChoice: string | null, known: readonly string[]): string | null {
  if (localChoice) return null;
  if (!code || code.toLowerCase() === 'en-us') return null;
  return fromAccountLanguage(code, known);
}
