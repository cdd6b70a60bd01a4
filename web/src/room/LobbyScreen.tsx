import { useEffect, useRef } from 'react';
import type { LocalVideoTrack } from 'livekit-client';
import { loginUrl } from '../api/endpoints';
import type { LiveKitCredentials, Room } from '../api/types';
import { useSession } from '../auth/session';
import { useT } from '../i18n/i18n';
import { useGuestLobby } from '../lobby/hooks';
import { navigate } from '../lib/router';
import { markMilestone } from '../lib/timing';
import { useSettings } from '../settings/useSettings';

interface Props {
  room: Room & { id: string };
  username: string;
  /** The camera kept open from the prejoin screen, shown while waiting. */
  preview?: LocalVideoTrack;
  onAccepted: (livekit: LiveKitCredentials) => void;
}

export function LobbyScreen({ room, username, preview, onAccepted }: Props) {
  const t = useT();
  const [settings] = useSettings();
  const { user, config } = useSession();
  const { state, retry } = useGuestLobby(room.id, username);
  const videoEl = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const el = videoEl.current;
    if (!preview || !el) return;
    preview.attach(el);
    return () => void preview.detach(el);
  }, [preview]);

  useEffect(() => {
    if (state.phase !== 'accepted') return;
    markMilestone('lobby-accepted');
    onAccepted(state.livekit);
  }, [state, onAccepted]);

  const canSignIn = !user && (config?.authentication?.oidc || config?.authentication?.local);
  const signIn = () => (config?.authentication?.oidc ? location.assign(loginUrl(location.href)) : navigate('/'));

  let title: string;
  let body: string;
  let ended = false;
  switch (state.phase) {
    case 'denied':
      title = t('lobby.deniedTitle');
      body = t('lobby.denied');
      ended = true;
      break;
    case 'timeout':
      title = t('lobby.timeoutTitle');
      body = t('lobby.timeout');
      ended = true;
      break;
    case 'error':
      title = t('lobby.waitingTitle');
      body = t('common.error', { message: state.message });
      ended = true;
      break;
    default:
      title = t('lobby.waitingTitle');
      body = t('lobby.waiting');
  }

  return (
    <main className="center-page">
      <section className="card stack narrow" aria-live="polite" data-lobby-phase={state.phase}>
        {preview && <video ref={videoEl} muted playsInline autoPlay className={settings.mirror ? 'lobby-preview mirror' : 'lobby-preview'} aria-label={t('prejoin.camera')} />}
        {!ended && <div className="spinner" aria-hidden="true" />}
        <h1>{title}</h1>
        <p role={ended ? 'alert' : 'status'}>{body}</p>
        {state.phase === 'waiting' && state.transport === 'polling' && <p className="muted small">{t('lobby.polling')}</p>}
        {room.access_level === 'trusted' && canSignIn && !ended && (
          <div className="hint stack">
            <p>{t('lobby.trustedHint')}</p>
            <button type="button" className="btn secondary" onClick={signIn}>
              {t('lobby.signIn')}
            </button>
          </div>
        )}
        <div className="row wrap">
          {ended && (
            <button type="button" className="btn primary" onClick={retry}>
              {t('lobby.askAgain')}
            </button>
          )}
          <button type="button" className="btn secondary" onClick={() => navigate('/')}>
            {t('lobby.leave')}
          </button>
        </div>
      </section>
    </main>
  );
}
