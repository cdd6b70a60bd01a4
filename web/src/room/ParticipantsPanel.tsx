import { useParticipants } from '@livekit/components-react';
import { useState } from 'react';
import type { WaitingParticipant } from '../api/types';
import { useT } from '../i18n/i18n';
import { CopyButton } from '../pages/CopyButton';
import { PanelHeader } from './ConferenceView';
import { isHostRole } from './useHostRole';

interface Props {
  isHost: boolean;
  waiting: WaitingParticipant[];
  onDecide: (id: string, allow: boolean) => Promise<unknown>;
  onAdmitAll: () => Promise<unknown>;
  onClose: () => void;
}

export function ParticipantsPanel({ isHost, waiting, onDecide, onAdmitAll, onClose }: Props) {
  const t = useT();
  const participants = useParticipants();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(key: string, fn: () => Promise<unknown>) {
    setBusy(key);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(t('common.error', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="participants stack">
      <PanelHeader title={t('participants.title', { count: participants.length })} onClose={onClose} />
      <CopyButton text={location.origin + location.pathname} label={t('conf.copyLink')} />
      {isHost && waiting.length > 0 && (
        <section aria-labelledby="lobby-title" className="lobby-section stack">
          <div className="row spread">
            <h3 id="lobby-title">{t('participants.lobby', { count: waiting.length })}</h3>
            {waiting.length > 1 && (
              <button type="button" className="btn secondary small" disabled={busy !== null} onClick={() => void run('all', onAdmitAll)}>
                {t('participants.admitAll')}
              </button>
            )}
          </div>
          <ul className="people">
            {waiting.map((p) => (
              <li key={p.id} className="row spread" data-waiting-id={p.id}>
                <span className="person">
                  <span className="avatar" data-color={p.color ?? ''} aria-hidden="true">
                    {initial(p.username)}
                  </span>
                  {p.username}
                </span>
                <span className="row">
                  <button
                    type="button"
                    className="btn primary small"
                    disabled={busy !== null}
                    aria-label={`${t('participants.admit')} ${p.username}`}
                    onClick={() => void run(p.id, () => onDecide(p.id, true))}
                  >
                    {t('participants.admit')}
                  </button>
                  <button
                    type="button"
                    className="btn secondary small"
                    disabled={busy !== null}
                    aria-label={`${t('participants.deny')} ${p.username}`}
                    onClick={() => void run(p.id, () => onDecide(p.id, false))}
                  >
                    {t('participants.deny')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="incall-title" className="stack">
        <h3 id="incall-title">{t('participants.inCall')}</h3>
        <ul className="people">
          {participants.map((p) => {
            const name = p.name || p.identity;
            const host = isHostRole(p.attributes.room_role);
            const guest = p.attributes.is_authenticated === 'false';
            return (
              <li key={p.identity} className="row spread">
                <span className="person">
                  <span className="avatar" aria-hidden="true">
                    {initial(name)}
                  </span>
                  {name} {p.isLocal && <span className="muted">{t('participants.you')}</span>}
                </span>
                <span className="row small muted">
                  {host && <span className="tag">{t('participants.host')}</span>}
                  {guest && <span className="tag">{t('participants.guest')}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}

function initial(name: string): string {
  return (name.trim()[0] ?? '?').toUpperCase();
}
