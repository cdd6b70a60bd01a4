import {
  DisconnectButton,
  MediaDeviceMenu,
  TrackToggle,
  useLayoutContext,
  useLocalParticipantPermissions,
  usePinnedTracks,
  useTracks,
} from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useState } from 'react';
import type { RecordingState } from '../call/recording';
import type { ReactionId } from '../call/signals';
import { useT } from '../i18n/i18n';
import { ariaKeys, chordFor, type ShortcutId } from '../call/shortcuts';
import { isMac } from '../settings/ShortcutList';
import { HandButton, ReactionsButton, type Hand } from './HandsAndReactions';
import { Icon } from './icons';
import { MoreMenu, type MoreItem } from './MoreMenu';
import { RecordingControl } from './Recording';

export type Panel = 'chat' | 'participants' | 'settings' | 'info' | 'effects' | null;

interface Props {
  panel: Panel;
  onToggle: (p: Exclude<Panel, null>) => void;
  isHost: boolean;
  waitingCount: number;
  recording: RecordingState;
  /** onReaction shows the local person's own reaction (data messages do not come back to their sender). */
  onReaction: (r: ReactionId) => void;
  /** Chat messages received while the chat was closed. */
  unread: number;
  hand: Hand;
  reactionsOpen: boolean;
  onReactionsOpen: (open: boolean) => void;
  /** The entries of the "More options" menu. */
  more: MoreItem[];
}

/** keysOf spells an action's shortcut for aria-keyshortcuts. */
export function keysOf(id: ShortcutId): string | undefined {
  const c = chordFor(id);
  return c ? ariaKeys(c, isMac()) : undefined;
}

/** CallControls is the bottom bar: devices, screen share, layout, panels and leave. */
export function CallControls({ panel, onToggle, isHost, waitingCount, recording, onReaction, unread, hand, reactionsOpen, onReactionsOpen, more }: Props) {
  const t = useT();
  const perms = useLocalParticipantPermissions();
  const canPublish = (source: Track.Source) => {
    if (!perms?.canPublish) return false;
    const allowed = perms.canPublishSources ?? [];
    // An empty list means every source is allowed (LiveKit semantics).
    return allowed.length === 0 || allowed.some((s) => Number(s) === sourceToProto[source]);
  };
  const [sharing, setSharing] = useState(false);

  return (
    <div className="lk-control-bar call-controls" role="toolbar" aria-label={t('conf.layout')}>
      {canPublish(Track.Source.Microphone) && (
        <div className="lk-button-group">
          <TrackToggle source={Track.Source.Microphone} aria-label={t('conf.microphone')} aria-keyshortcuts={keysOf('mic')}>
            <span className="hide-narrow">{t('conf.microphone')}</span>
          </TrackToggle>
          <div className="lk-button-group-menu">
            <MediaDeviceMenu kind="audioinput" aria-label={t('conf.deviceMenu', { device: t('conf.microphone') })} />
          </div>
        </div>
      )}
      {canPublish(Track.Source.Camera) && (
        <div className="lk-button-group">
          <TrackToggle source={Track.Source.Camera} aria-label={t('conf.camera')} aria-keyshortcuts={keysOf('camera')}>
            <span className="hide-narrow">{t('conf.camera')}</span>
          </TrackToggle>
          <div className="lk-button-group-menu">
            <MediaDeviceMenu kind="videoinput" aria-label={t('conf.deviceMenu', { device: t('conf.camera') })} />
          </div>
        </div>
      )}
      {canPublish(Track.Source.ScreenShare) && typeof navigator.mediaDevices?.getDisplayMedia === 'function' && (
        <TrackToggle
          source={Track.Source.ScreenShare}
          captureOptions={{ audio: canPublish(Track.Source.ScreenShareAudio), selfBrowserSurface: 'include' }}
          onChange={(on) => setSharing(on)}
          aria-label={sharing ? t('conf.stopShare') : t('conf.shareScreen')}
        >
          <span className="hide-narrow">{sharing ? t('conf.stopShare') : t('conf.shareScreen')}</span>
        </TrackToggle>
      )}
      <HandButton hand={hand} keys={keysOf('hand') ?? ''} />
      <ReactionsButton onSent={onReaction} open={reactionsOpen} onOpenChange={onReactionsOpen} />
      <RecordingControl state={recording} />
      {(canPublish(Track.Source.Camera) || canPublish(Track.Source.Microphone)) && (
        <button
          type="button"
          className="lk-button"
          aria-pressed={panel === 'effects'}
          onClick={() => onToggle('effects')}
          aria-label={t('effects.title')}
          title={t('effects.title')}
          data-testid="effects-toggle"
        >
          <Icon name="sparkle" />
          <span className="label">{t('effects.button')}</span>
        </button>
      )}
      <LayoutToggle />
      <button
        type="button"
        className="lk-button"
        aria-pressed={panel === 'info'}
        onClick={() => onToggle('info')}
        aria-label={t('info.button')}
        title={t('info.button')}
        data-testid="info-toggle"
      >
        <Icon name="info" />
        <span className="label">{t('info.button')}</span>
      </button>
      <button
        type="button"
        className="lk-button"
        aria-pressed={panel === 'chat'}
        onClick={() => onToggle('chat')}
        aria-keyshortcuts={keysOf('chat')}
        aria-label={unread > 0 ? `${t('conf.chat')} (${t('chat.unread', { count: unread })})` : t('conf.chat')}
        data-testid="chat-toggle"
        title={t('conf.chat')}
      >
        <Icon name="chat" />
        <span className="label">{t('conf.chat')}</span>
        {unread > 0 && panel !== 'chat' && (
          <span className="badge" aria-hidden="true">
            {unread}
          </span>
        )}
      </button>
      <button
        type="button"
        className="lk-button"
        aria-pressed={panel === 'participants'}
        onClick={() => onToggle('participants')}
        aria-keyshortcuts={keysOf('participants')}
        data-testid="participants-toggle"
        title={t('conf.participants')}
        aria-label={isHost && waitingCount > 0 ? `${t('conf.participants')} (${t('participants.lobby', { count: waitingCount })})` : t('conf.participants')}
      >
        <Icon name="people" />
        <span className="label">{t('conf.participants')}</span>
        {isHost && waitingCount > 0 && (
          <span className="badge" aria-hidden="true">
            {waitingCount}
          </span>
        )}
      </button>
      {isHost && (
        <button type="button" className="lk-button" aria-pressed={panel === 'settings'} onClick={() => onToggle('settings')} aria-label={t('conf.settings')} title={t('conf.settings')}>
          <Icon name="gear" />
          <span className="label">{t('conf.settings')}</span>
        </button>
      )}
      <MoreMenu items={more} />
      <DisconnectButton className="lk-disconnect-button" aria-keyshortcuts={keysOf('leave')}>
        {t('conf.leave')}
      </DisconnectButton>
    </div>
  );
}

// livekit-client's Track.Source names vs the protocol enum in permissions.
const sourceToProto: Partial<Record<Track.Source, number>> = {
  [Track.Source.Camera]: 1,
  [Track.Source.Microphone]: 2,
  [Track.Source.ScreenShare]: 3,
  [Track.Source.ScreenShareAudio]: 4,
};

function LayoutToggle() {
  const t = useT();
  const layout = useLayoutContext();
  const pinned = usePinnedTracks(layout);
  const cameras = useTracks([{ source: Track.Source.Camera, withPlaceholder: true }], { onlySubscribed: false });
  const focused = pinned.length > 0;
  function toggle() {
    if (focused) {
      layout.pin.dispatch?.({ msg: 'clear_pin' });
      return;
    }
    const target = cameras.find((c) => !c.participant.isLocal && c.participant.isSpeaking) ?? cameras.find((c) => !c.participant.isLocal) ?? cameras[0];
    if (target) layout.pin.dispatch?.({ msg: 'set_pin', trackReference: target });
  }
  return (
    <button
      type="button"
      className="lk-button"
      onClick={toggle}
      aria-label={`${t('conf.layout')}: ${focused ? t('conf.grid') : t('conf.focus')}`}
      title={`${t('conf.layout')}: ${focused ? t('conf.grid') : t('conf.focus')}`}
    >
      <Icon name={focused ? 'grid' : 'focus'} />
      <span className="label">{focused ? t('conf.grid') : t('conf.focus')}</span>
    </button>
  );
}
