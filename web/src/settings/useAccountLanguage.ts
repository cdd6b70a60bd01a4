import { useEffect } from 'react';
import { useSession } from '../auth/session';
import { dictionaries } from '../i18n/dict';
import { useI18n } from '../i18n/i18n';
import { accountLanguageToApply } from './language';
import { settingsStore } from './useSettings';

/**
 * useAccountLanguage switches the interface to the signed-in user's account
 * language, unless a language was chosen in this browser (see
 * accountLanguageToApply).
 */
export function useAccountLanguage() {
  const { user } = useSession();
  const { lang, setLang } = useI18n();
  const code = user?.language;
  useEffect(() => {
    const next = accountLanguageToApply(code, settingsStore().get().language, Object.keys(dictionaries));
    // Once applied, the language counts as chosen here: this runs only once.
    if (next && next !== lang) setLang(next as keyof typeof dictionaries);
  }, [code, lang, setLang]);
}
