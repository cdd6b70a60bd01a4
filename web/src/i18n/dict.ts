// The interface languages. Each table lives in its own file; English is the
// source and the others must have exactly its keys (checked by the type).
import { de } from './de';
import { en, type Dictionary } from './en';
import { fr } from './fr';
import { nl } from './nl';

export type { Dictionary, MessageKey } from './en';

/** dictionaries holds every interface language's table. */
export const dictionaries = { en, fr, de, nl } satisfies Record<string, Dictionary>;
/** Lang is an interface language's code. */
export type Lang = keyof typeof dictionaries;
/** LANGS lists the interface languages, each named in itself. */
export const LANGS: { code: Lang; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
  { code: 'de', label: 'Deutsch' },
  { code: 'nl', label: 'Nederlands' },
];
