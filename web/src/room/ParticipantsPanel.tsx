import { useParticipants } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useState } from 'react';
import { lowerAllHands, muteTrack } from '../api/incall';
import { isHandRaised, sortByHand } from '../call/hands';
import type { WaitingParticipant } from '../api/types';
import { useT } from '../i18n/i18n';
import { CopyButton } from '../pages/CopyButton';
import { PanelHeader } from './ConferenceView';
import { useCall } from './CallContext';
import { Icon } from './icons';
import { ParticipantMenu } from './ParticipantMenu';
import { isPublishing, useAttributesTick } from './participantState';

interface Props {
  isHost: boolean;
  waiting: WaitingParticipant[];
  onDecide: (id: string, allow: boolean) => Promise<unknown>;
  onAdmitAll: () => Promise<unknown>;
  onClose: () => void;
}

export function ParticipantsPanel({ isHost, waiting, onDecide, onAdmitAll, onClose }: Props) {
  const t = useT();
  const call = useCall();
  useAttributesTick();
  // Raised hands first, in the order they went up.
  const participants = sortByHand(useParticipants());
  const anyHand = participants.some(isHandRaised);
  const unmuted = participants.filter((p) => !p.isLocal && isPublishing(p, Track.Source.Microphone));

  async function muteEveryone() {
    const roomId = call.roomId!;
    for (const p of unmuted) {
      const pub = p.getTrackPublication(Track.Source.Microphone);
      if (!pub?.trackSid) continue;
      await muteTrack(roomId, p.identity, pub.trackSid);
      call.send({ type: 'moderated', action: 'muted' }, [p.identity]);
    }
    call.notify({ text: t('mod.mutedAll'), key: 'mute-all' });
  }
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
        {isHost && call.roomId && (unmuted.length > 0 || anyHand) && (
          <div className="row wrap">
            {unmuted.length > 0 && (
              <button type="button" className="btn secondary small" disabled={busy !== null} onClick={() => void run('mute-all', muteEveryone)}>
                {t('mod.muteAll')}
              </button>
            )}
            {anyHand && (
              <button type="button" className="btn secondary small" disabled={busy !== null} onClick={() => void run('hands', () => lowerAllHands(call.roomId!))}>
                {t('mod.lowerAll')}
              </button>
            )}
          </div>
        )}
        <ul className="people">
          {participants.map((p) => {
            const name = p.name || p.identity;
            const role = p.attributes.room_role;
            const guest = p.attributes.is_authenticated === 'false';
            const hand = isHandRaised(p);
            const micOff = !isPublishing(p, Track.Source.Microphone);
            return (
              <li key={p.identity} className="row spread participant-row" data-identity={p.identity} data-hand-raised={hand}>
                <span className="person">
                  <span className="avatar" aria-hidden="true">
                    {initial(name)}
                  </span>
                  <span>
                    {name} {p.isLocal && <span className="muted">{t('participants.you')}</span>}
                    <span className="row small muted tags">
                      {role === 'owner' && <span className="tag">{t('participants.owner')}</span>}
                      {role === 'administrator' && <span className="tag">{t('participants.cohost')}</span>}
                      {guest && <span className="tag">{t('participants.guest')}</span>}
                    </span>
                  </span>
                </span>
                <span className="row">
                  {hand && (
                    <span className="hand" role="img" aria-label={t('participants.handRaised')} title={t('participants.handRaised')}>
                      <Icon name="hand" size={16} />
                    </span>
                  )}
                  {micOff && (
                    <span className="mic-off" role="img" aria-label={t('participants.micOff')} title={t('participants.micOff')}>
                      <Icon name="micOff" size={16} />
                    </span>
                  )}
                  <ParticipantMenu participant={p} />
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
