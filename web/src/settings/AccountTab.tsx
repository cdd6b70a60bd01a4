import { useId, useState, type FormEvent } from 'react';
import { useSession } from '../auth/session';
import { LANGS, type Lang, type MessageKey } from '../i18n/dict';
import { useI18n, useT } from '../i18n/i18n';

/** NameControl is the display name shown in the Account tab and how to change it. */
export interface NameControl {
  value: string;
  /** Whether the name can be changed here (a signed-in name may be the account's). */
  editable: boolean;
  save: (name: string) => Promise<void>;
}

// Statuses keep the message's key, not its text: the language may change
// while a save is under way (that is what the language save does).
type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done' | 'error'; key: MessageKey; message?: string };

function StatusLine({ status }: { status: Status }) {
  const t = useT();
  if (status.kind === 'done') return <p className="success small" role="status">{t(status.key)}</p>;
  if (status.kind === 'error') return <p className="error small" role="alert">{t(status.key, { message: status.message ?? '' })}</p>;
  return null;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

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
      setNameStatus({ kind: 'error', key: 'prejoin.nameRequired' });
      return;
    }
    setNameStatus({ kind: 'busy' });
    try {
      await name.save(v);
      setNameStatus({ kind: 'done', key: 'common.saved' });
    } catch (err) {
      setNameStatus({ kind: 'error', key: 'prefs.nameFailed', message: errorText(err) });
    }
  }

  async function changeLang(l: Lang) {
    // setLang saves the choice to the signed-in account (see I18nProvider).
    const saving = setLang(l);
    if (!saving) {
      setLangStatus({ kind: 'idle' });
      return;
    }
    setLangStatus({ kind: 'busy' });
    try {
      await saving;
      setLangStatus({ kind: 'done', key: 'prefs.languageSaved' });
    } catch (err) {
      setLangStatus({ kind: 'error', key: 'prefs.languageFailed', message: errorText(err) });
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
