import './recordings.css';
import { useCallback, useEffect, useState } from 'react';
import { listRecordings, loginUrl } from '../api/endpoints';
import type { Recording } from '../api/types';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';
import { AppHeader } from '../pages/HomePage';
import { formatDate, recordingState } from './view';

/** RecordingsPage is /recordings: the signed-in user's recordings, newest first. */
export function RecordingsPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const [items, setItems] = useState<Recording[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (page: number) => {
    setBusy(true);
    setError(null);
    try {
      const res = await listRecordings(page);
      setItems((cur) => (page === 1 ? res.results : [...(cur ?? []), ...res.results]));
      setNext(res.next ? page + 1 : null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    if (user) void load(1);
  }, [user, load]);

  return (
    <>
      <AppHeader />
      <main className="recording-page stack">
        <h1>{t('rec.listTitle')}</h1>
        {!user ? (
          <div className="card stack narrow-card">
            <p>{t('rec.listSignIn')}</p>
            <div>
              <button type="button" className="btn primary" onClick={() => location.assign(loginUrl(location.href))}>
                {t('rec.signIn')}
              </button>
            </div>
          </div>
        ) : (
          <>
            {items === null && !error && (
              <p className="muted" role="status">
                {t('common.loading')}
              </p>
            )}
            {items?.length === 0 && <p className="muted">{t('rec.listEmpty')}</p>}
            {items && items.length > 0 && (
              <ul className="recording-list">
                {items.map((rec) => (
                  <RecordingRow key={rec.id} rec={rec} />
                ))}
              </ul>
            )}
            {error && (
              <p className="error" role="alert">
                {t('common.error', { message: error })}
              </p>
            )}
            {next !== null && (
              <button type="button" className="btn secondary" disabled={busy} onClick={() => void load(next)}>
                {t('rec.more')}
              </button>
            )}
          </>
        )}
      </main>
    </>
  );
}

function RecordingRow({ rec }: { rec: Recording }) {
  const { t, lang } = useI18n();
  const state = recordingState(rec);
  const href = `/recordings/${rec.id}`;
  return (
    <li className="recording-row">
      <a href={href} onClick={(e) => (e.preventDefault(), navigate(href))}>
        <span className="recording-room">{rec.room.name || rec.room.slug}</span>
        <span className="muted">{formatDate(rec.created_at, lang)}</span>
      </a>
      <span className={`pill ${state}`}>{t(`rec.status.${state}`)}</span>
    </li>
  );
}
