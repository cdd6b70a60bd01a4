import './share.css';
import { useState } from 'react';
import { useRemoteParticipants } from '@livekit/components-react';
import type { Room } from '../api/types';
import { useT } from '../i18n/i18n';
import { CopyButton } from '../pages/CopyButton';
import { InviteForm } from './InviteForm';

/** meetingLink is the address people open to join. */
export function meetingLink(slug: string, origin = location.origin): string {
  return `${origin}/${slug}`;
}

function LinkAndCode({ slug, idPrefix }: { slug: string; idPrefix: string }) {
  const t = useT();
  const link = meetingLink(slug);
  return (
    <>
      <div className="row wrap">
        <input
          id={`${idPrefix}-link`}
          className="link-box"
          readOnly
          value={link}
          aria-label={t('share.link')}
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={link} label={t('share.copyLink')} />
      </div>
      <p className="meeting-code">
        <span>{t('share.code')}</span> <strong translate="no">{slug}</strong>
      </p>
    </>
  );
}

/**
 * MeetingInfo is the "meeting info" panel: the link, its copy button and the
 * meeting code for everyone; the e-mail invitation for the room's owners and
 * administrators (canInvite).
 */
export function MeetingInfo({ room, canInvite }: { room: Room; canInvite: boolean }) {
  const t = useT();
  return (
    <div className="meeting-info stack">
      <p>{t('home.shareLink')}</p>
      <LinkAndCode slug={room.slug} idPrefix="info" />
      {canInvite && room.id && <InviteForm roomId={room.id} />}
    </div>
  );
}

/**
 * AloneShareCard tells someone alone in the call how to bring others in,
 * until somebody joins or it is hidden. onMore opens the meeting info panel;
 * while that panel is open (covered) the card steps aside without forgetting
 * that it was hidden.
 */
export function AloneShareCard({ room, onMore, covered = false }: { room: Room; onMore?: () => void; covered?: boolean }) {
  const t = useT();
  const remotes = useRemoteParticipants();
  const [hidden, setHidden] = useState(false);
  if (hidden || covered || remotes.length > 0) return null;
  return (
    <section className="share-card stack" aria-labelledby="share-title">
      <div className="panel-header">
        <h2 id="share-title">{t('share.title')}</h2>
        <button type="button" className="btn icon" onClick={() => setHidden(true)} aria-label={t('share.dismiss')}>
          ×
        </button>
      </div>
      <p>{t('share.alone')}</p>
      <LinkAndCode slug={room.slug} idPrefix="share" />
      {onMore && (
        <div>
          <button type="button" className="btn secondary small" onClick={onMore}>
            {t('share.addPeople')}
          </button>
        </div>
      )}
    </section>
  );
}
