import { useId, useState, type FormEvent } from 'react';
import { updateUser } from '../api/endpoints';
import { useSession } from '../auth/session';
import { LANGS, type Lang } from '../i18n/dict';
import { useI18n } from '../i18n/i18n';
import { toAccountLanguage } from './language';

/** NameControl is the display name shown in the Account tab and how to change it. */
export interface NameControl {
  value: string;
  /** Whether the name can be changed here (a signed-in name may be the account's). */
  editable: boolean;
  save: (name: string) => Promise<void>;
}

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'error'; text: string };

function StatusLine({ status }: { status: Status }) {
  if (status.kind === 'done') return <p className="success small" role="status">{status.text}</p>;
  if (status.kind === 'error') return <p className="error small" role="alert">{status.text}</p>;
  return null;
}

/** AccountTab: the display name and the interface language (saved to the account when signed in). */
export function AccountTab({ name }: { name: NameControl }) {
  const { t, lang, setLang } = useI18n();
  const { user } = useSession();
  const nameId = useId();
  const langId = useId();
  const [draft, setDraft] = useState(name.value);
  const [nameStatus, setNameStatus] = useState<Status>({ kind: 'idle' });
  const [langStatus, setLangStatus] = useState<Status>({ kind: 'idle' });

  async function saveName(e: FormEvent) {
    e.preventDefault();
    const v = draft.trim();
    if (!v) {
      setNameStatus({ kind: 'error', text: t('prejoin.nameRequired') });
      return;
    }
    setNameStatus({ kind: 'busy' });
    try {
      await name.save(v);
      setNameStatus({ kind: 'done', text: t('common.saved') });
    } catch (err) {
      setNameStatus({ kind: 'error', text: t('prefs.nameFailed', { message: err instanceof Error ? err.message : String(err) }) });
    }
  }

  async function changeLang(l: Lang) {
    setLang(l);
    if (!user) {
      setLangStatus({ kind: 'idle' });
      return;
    }
    setLangStatus({ kind: 'busy' });
    try {
      await updateUser(user.id, { language: toAccountLanguage(l) });
      setLangStatus({ kind: 'done', text: t('prefs.languageSaved') });
    } catch (err) {
      setLangStatus({ kind: 'error', text: t('prefs.languageFailed', { message: err instanceof Error ? err.message : String(err) }) });
    }
  }

  return (
    <div className="stack">
      <h3>{t('prefs.account')}</h3>
      {user && <p className="muted small">{t('home.signedInAs', { name: user.full_name || user.email })}</p>}
      <form className="stack tight" onSubmit={(e) => void saveName(e)}>
        <label className="field" htmlFor={nameId}>
          <span>{t('prefs.displayName')}</span>
        </label>
        <div className="row">
          <input
            id={nameId}
            className="grow"
            value={draft}
            maxLength={50}
            autoComplete="name"
            readOnly={!name.editable}
            aria-describedby={name.editable ? undefined : `${nameId}-hint`}
            onChange={(e) => (setDraft(e.target.value), setNameStatus({ kind: 'idle' }))}
          />
          {name.editable && (
            <button type="submit" className="btn secondary small" disabled={nameStatus.kind === 'busy' || draft.trim() === name.value}>
              {t('common.save')}
            </button>
          )}
        </div>
        {!name.editable && (
          <p id={`${nameId}-hint`} className="muted small">
            {t('prefs.nameFromAccount')}
          </p>
        )}
        <StatusLine status={nameStatus} />
      </form>
      <div className="stack tight">
        <label className="field" htmlFor={langId}>
          <span>{t('lang.label')}</span>
        </label>
        <select id={langId} value={lang} onChange={(e) => void changeLang(e.target.value as Lang)} disabled={langStatus.kind === 'busy'}>
          {LANGS.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.label}
            </option>
          ))}
        </select>
        <p className="muted small">{user ? t('prefs.languageAccount') : t('prefs.languageLocal')}</p>
        <StatusLine status={langStatus} />
      </div>
    </div>
  );
}
