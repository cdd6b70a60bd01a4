import './recordings.css';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { getRecording, loginUrl, recordingFileUrl } from '../api/endpoints';
import type { Recording } from '../api/types';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';
import { AppHeader } from '../pages/HomePage';
import { formatDate, formatDuration, recordingState, unavailableFor, type Unavailable } from './view';

type Load =
  | { kind: 'loading' }
  | { kind: 'ok'; rec: Recording }
  | { kind: 'unavailable'; why: Unavailable }
  | { kind: 'error'; message: string };

/**
 * RecordingPage is /recordings/<id>, the page the "your recording is ready"
 * e-mail links to: the player, the download and the facts of one recording
 * for its owner; a plain "not available" page for everybody else.
 */
export function RecordingPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    setLoad({ kind: 'loading' });
    getRecording(id).then(
      (rec) => live && setLoad({ kind: 'ok', rec }),
      (err: unknown) => {
        if (!live) return;
        const why = unavailableFor(err);
        if (why) setLoad({ kind: 'unavailable', why });
        else setLoad({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => {
      live = false;
    };
    // A sign-in or sign-out changes the answer.
  }, [id, user?.id]);

  let body;
  switch (load.kind) {
    case 'loading':
      body = (
        <p className="center muted" role="status">
          {t('common.loading')}
        </p>
      );
      break;
    case 'error':
      body = (
        <p className="center error" role="alert">
          {t('common.error', { message: load.message })}
        </p>
      );
      break;
    case 'unavailable':
      body = <NotAvailable text={load.why === 'signin' ? t('rec.unavailableSignIn') : t('rec.unavailableNotFound')} signIn={load.why === 'signin'} />;
      break;
    case 'ok':
      body = <RecordingView rec={load.rec} />;
  }
  return (
    <>
      <AppHeader />
      <main className="recording-page">{body}</main>
    </>
  );
}

function NotAvailable({ text, signIn }: { text: string; signIn?: boolean }) {
  const { t } = useI18n();
  return (
    <section className="card stack narrow-card" aria-labelledby="rec-unavailable">
      <h1 id="rec-unavailable">{t('rec.unavailable')}</h1>
      <p>{text}</p>
      <div className="row wrap">
        {signIn && (
          <button type="button" className="btn primary" onClick={() => location.assign(loginUrl(location.href))}>
            {t('rec.signIn')}
          </button>
        )}
        <a className="btn secondary" href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
          {t('rec.home')}
        </a>
      </div>
    </section>
  );
}

function RecordingView({ rec }: { rec: Recording }) {
  const { t, lang } = useI18n();
  const [duration, setDuration] = useState<string | null>(null);
  // Why the player failed: a format this browser cannot play, or no file on
  // the server at all (the download answers 404, e.g. the tracks could not
  // be mixed) — then there is nothing to download either.
  const [playError, setPlayError] = useState<'unplayable' | 'missing' | null>(null);
  const state = recordingState(rec);
  if (state === 'expired')
    return <NotAvailable text={t('rec.unavailableExpired', { date: formatDate(rec.expired_at ?? rec.updated_at, lang, false) })} />;
  if (state === 'processing') return <NotAvailable text={t('rec.unavailableProcessing')} />;
  if (state === 'failed') return <NotAvailable text={t('rec.unavailableFailed')} />;

  const url = recordingFileUrl(rec.id);
  const audio = rec.mode === 'transcript';
  const room = rec.room.name || rec.room.slug;
  const media = {
    src: url,
    controls: true,
    preload: 'metadata' as const,
    onLoadedMetadata: (e: SyntheticEvent<HTMLMediaElement>) => setDuration(formatDuration(e.currentTarget.duration)),
    onError: () => {
      fetch(url, { method: 'HEAD', credentials: 'same-origin' })
        .then((res) => setPlayError(res.status === 404 ? 'missing' : 'unplayable'))
        .catch(() => setPlayError('unplayable'));
    },
  };
  const missing = playError === 'missing';
  return (
    <article className="stack recording" aria-labelledby="rec-title">
      <h1 id="rec-title">{t(audio ? 'rec.transcriptTitle' : 'rec.pageTitle', { room })}</h1>
      {/* eslint-disable-next-line jsx-a11y/media-has-caption -- a recording has no caption track to offer; the transcript, when there is one, is the text alternative */}
      {!missing && (audio ? <audio {...media} className="recording-player audio" /> : <video {...media} className="recording-player" playsInline />)}
      {playError && (
        <p className="error" role="alert">
          {t(missing ? 'rec.fileMissing' : 'rec.playError')}
        </p>
      )}
      <div className="recording-body">
        <dl className="facts">
          <dt>{t('rec.date')}</dt>
          <dd>{formatDate(rec.created_at, lang)}</dd>
          <dt>{t('rec.duration')}</dt>
          <dd data-testid="recording-duration">{duration ?? '—'}</dd>
          <dt>{t('rec.room')}</dt>
          <dd>
            <a href={`/${rec.room.slug}`} onClick={(e) => (e.preventDefault(), navigate(`/${rec.room.slug}`))}>
              {room}
            </a>
          </dd>
          <dt>{t('rec.expires')}</dt>
          <dd>{rec.expired_at ? formatDate(rec.expired_at, lang, false) : t('rec.neverExpires')}</dd>
        </dl>
        <div className="stack downloads">
          {!missing && (
            <>
              <a className="btn primary" href={url} download>
                {t('rec.download')}
              </a>
              <p className="muted small">{t(audio ? 'rec.downloadAudioHint' : 'rec.downloadHint')}</p>
            </>
          )}
          <p className="muted small">{t('rec.tracksNote')}</p>
          <a href="/recordings" onClick={(e) => (e.preventDefault(), navigate('/recordings'))}>
            {t('rec.all')}
          </a>
        </div>
      </div>
    </article>
  );
}
