import { useState } from 'react';
import { Track, type Participant } from 'livekit-client';
import { lowerHand, muteTrack, removeParticipant, setParticipantRole } from '../api/incall';
import { menuActions, type MenuAction } from '../call/moderation';
import type { ModerationAction } from '../call/signals';
import type { MessageKey } from '../i18n/dict';
import { useT } from '../i18n/i18n';
import { useCall } from './CallContext';
import { toTarget, useParticipantTick } from './participantState';
import { usePopup } from './usePopup';

const LABELS: Record<MenuAction, MessageKey> = {
  mute: 'mod.mute',
  stopCamera: 'mod.stopCamera',
  stopScreen: 'mod.stopScreen',
  lowerHand: 'mod.lowerHand',
  makeCohost: 'mod.makeCohost',
  removeCohost: 'mod.removeCohost',
  remove: 'mod.remove',
};

/**
 * ParticipantMenu is the "⋮" menu of one participant (participants panel and
 * tiles): the moderation actions the viewer may take, removal confirmed
 * first. The participant acted upon is told by a signal once the server did it.
 */
export function ParticipantMenu({ participant }: { participant: Participant }) {
  const t = useT();
  const call = useCall();
  useParticipantTick(participant);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const name = participant.name || participant.identity;
  const actions = call.roomId ? menuActions({ isHost: call.isHost, everyoneCanMute: call.everyoneCanMute }, toTarget(participant)) : [];

  // Escape closes the menu and not also the panel around it.
  const { root, button } = usePopup(open, () => {
    setOpen(false);
    setConfirming(false);
  });

  if (actions.length === 0) return null;

  async function run(action: MenuAction) {
    if (action === 'remove' && !confirming) {
      setConfirming(true);
      return;
    }
    const roomId = call.roomId!;
    const identity = participant.identity;
    const mute = async (sources: Track.Source[], told: ModerationAction) => {
      for (const s of sources) {
        const pub = participant.getTrackPublication(s);
        if (pub?.trackSid) await muteTrack(roomId, identity, pub.trackSid, call.isHost ? undefined : call.token);
      }
      call.send({ type: 'moderated', action: told }, [identity]);
    };
    setBusy(true);
    try {
      switch (action) {
        case 'mute':
          await mute([Track.Source.Microphone], 'muted');
          break;
        case 'stopCamera':
          await mute([Track.Source.Camera], 'cameraStopped');
          break;
        case 'stopScreen':
          await mute([Track.Source.ScreenShare, Track.Source.ScreenShareAudio], 'screenStopped');
          break;
        case 'lowerHand':
          await lowerHand(roomId, identity);
          call.send({ type: 'moderated', action: 'handLowered' }, [identity]);
          break;
        case 'makeCohost':
        case 'removeCohost':
          await setParticipantRole(roomId, identity, action === 'makeCohost' ? 'administrator' : 'member');
          break;
        case 'remove':
          await removeParticipant(roomId, identity);
          break;
      }
      setOpen(false);
      setConfirming(false);
    } catch (err) {
      call.notify({ text: t('mod.failed', { message: err instanceof Error ? err.message : String(err) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="participant-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('mod.menu', { name })}
        onClick={() => (setOpen((o) => !o), setConfirming(false))}
      >
        ⋮
      </button>
      {open && (
        <div className="menu-popover" role="menu" aria-label={t('mod.menu', { name })}>
          {confirming ? (
            <div className="confirm stack" role="alertdialog" aria-label={t('mod.remove')}>
              <p>{t('mod.confirmRemove', { name })}</p>
              <div className="row">
                {/* eslint-disable-next-line jsx-a11y/no-autofocus -- the user just opened this confirmation: focus moves into it, as the alert dialog pattern requires */}
                <button type="button" className="btn danger small" disabled={busy} onClick={() => void run('remove')} autoFocus>
                  {t('mod.remove')}
                </button>
                <button type="button" className="btn secondary small" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          ) : (
            actions.map((a) => (
              <button key={a} type="button" role="menuitem" className={a === 'remove' ? 'danger' : undefined} disabled={busy} onClick={() => void run(a)}>
                {t(LABELS[a])}
              </button>
            ))
          )}
        </div>
      )}
    </div>
  );
}
