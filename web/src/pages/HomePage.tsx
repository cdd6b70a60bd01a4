import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { createRoom, loginUrl } from '../api/endpoints';
import type { Room } from '../api/types';
import { useSession } from '../auth/session';
import { ConnectionTestLink } from '../diagnostics/link';
import { useT } from '../i18n/i18n';
import { generateRoomName, parseRoomInput } from '../lib/roomName';
import { navigate } from '../lib/router';
import { CopyButton } from './CopyButton';
import { LanguageSwitch } from './LanguageSwitch';
import { LocalLoginForm } from './LocalLoginForm';

export function AppHeader() {
  const t = useT();
  const { user, config, signOut } = useSession();
  const oidc = config?.authentication?.oidc ?? false;
  return (
    <header className="app-header">
      <a href="/" className="brand" onClick={(e) => (e.preventDefault(), navigate('/'))}>
        {t('app.name')}
      </a>
      <div className="row">
        <LanguageSwitch />
        {user ? (
          <>
            <span className="muted hide-narrow">{t('home.signedInAs', { name: user.full_name || user.email })}</span>
            <button type="button" className="btn secondary" onClick={() => void signOut()}>
              {t('home.signOut')}
            </button>
          </>
        ) : (
          oidc && (
            <button type="button" className="btn secondary" onClick={() => location.assign(loginUrl(location.href))}>
              {t('home.signIn')}
            </button>
          )
        )}
      </div>
    </header>
  );
}

function NewMeeting() {
  const t = useT();
  const [room, setRoom] = useState<Room | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      // A collision on a random 10-letter name is unlikely; try once more.
      let created: Room;
      try {
        created = await createRoom(generateRoomName());
      } catch (err) {
        if (!(err instanceof ApiError && (err.status === 409 || err.status === 400))) throw err;
        created = await createRoom(generateRoomName());
      }
      setRoom(created);
    } catch (err) {
      setError(t('common.error', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }

  const link = room ? `${location.origin}/${room.slug}` : '';
  return (
    <section className="stack">
      <button type="button" className="btn primary big" onClick={create} disabled={busy}>
        {t('home.newMeeting')}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {room && (
        <div className="card stack" role="region" aria-labelledby="ready-title">
          <h2 id="ready-title">{t('home.meetingReady')}</h2>
          <p>{t('home.shareLink')}</p>
          <div className="row wrap">
            <input className="link-box" readOnly value={link} aria-label={t('home.meetingLink')} onFocus={(e) => e.target.select()} />
            <CopyButton text={link} />
          </div>
          <button type="button" className="btn primary" onClick={() => navigate(`/${room.slug}`)}>
            {t('home.joinNow')}
          </button>
        </div>
      )}
    </section>
  );
}

function JoinForm() {
  const t = useT();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  function submit(e: FormEvent) {
    e.preventDefault();
    const slug = parseRoomInput(value);
    if (!slug) {
      setInvalid(true);
      return;
    }
    navigate(`/${slug}`);
  }
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="join-title">
      <h2 id="join-title">{t('home.joinTitle')}</h2>
      <div className="row wrap">
        <label className="field grow">
          <span className="visually-hidden">{t('home.joinLabel')}</span>
          <input
            name="room"
            value={value}
            placeholder={t('home.joinPlaceholder')}
            aria-label={t('home.joinLabel')}
            aria-invalid={invalid}
            aria-describedby={invalid ? 'join-error' : undefined}
            onChange={(e) => (setValue(e.target.value), setInvalid(false))}
          />
        </label>
        <button type="submit" className="btn secondary" disabled={!value.trim()}>
          {t('home.join')}
        </button>
      </div>
      {invalid && (
        <p id="join-error" className="error" role="alert">
          {t('home.joinInvalid')}
        </p>
      )}
    </form>
  );
}

export function HomePage() {
  const t = useT();
  const { user, config } = useSession();
  const local = config?.authentication?.local ?? false;
  const oidc = config?.authentication?.oidc ?? false;
  return (
    <>
      <AppHeader />
      <main className="home">
        <section className="hero stack">
          <h1>{t('home.title')}</h1>
          <p className="muted">{t('home.subtitle')}</p>
          {user ? <NewMeeting /> : <p className="muted">{t('home.newMeetingHint')}</p>}
          {user && config?.recording?.is_enabled && (
            <a href="/recordings" className="my-recordings" onClick={(e) => (e.preventDefault(), navigate('/recordings'))}>
              {t('home.myRecordings')}
            </a>
          )}
          <JoinForm />
        </section>
        {!user && (local || oidc) && (
          <section className="stack">
            {local && <LocalLoginForm />}
            {local && oidc && <p className="center muted">{t('login.or')}</p>}
            {oidc && (
              <button type="button" className="btn secondary" onClick={() => location.assign(loginUrl(location.href))}>
                {t('login.sso')}
              </button>
            )}
          </section>
        )}
      </main>
      <footer className="app-footer">
        <ConnectionTestLink label="diag.link" />
      </footer>
    </>
  );
}
