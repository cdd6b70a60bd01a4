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
import { Icon, type IconName } from './icons';
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
        <PanelButton id="effects" panel={panel} onToggle={onToggle} icon="sparkle" label={t('effects.button')} title={t('effects.title')} testId="effects-toggle" />
      )}
      <LayoutToggle />
      <PanelButton id="info" panel={panel} onToggle={onToggle} icon="info" label={t('info.button')} testId="info-toggle" />
      <PanelButton
        id="chat"
        panel={panel}
        onToggle={onToggle}
        icon="chat"
        label={t('conf.chat')}
        fullLabel={unread > 0 ? `${t('conf.chat')} (${t('chat.unread', { count: unread })})` : undefined}
        keys={keysOf('chat')}
        testId="chat-toggle"
        badge={unread > 0 && panel !== 'chat' ? unread : 0}
      />
      <PanelButton
        id="participants"
        panel={panel}
        onToggle={onToggle}
        icon="people"
        label={t('conf.participants')}
        fullLabel={isHost && waitingCount > 0 ? `${t('conf.participants')} (${t('participants.lobby', { count: waitingCount })})` : undefined}
        keys={keysOf('participants')}
        testId="participants-toggle"
        badge={isHost ? waitingCount : 0}
      />
      {isHost && <PanelButton id="settings" panel={panel} onToggle={onToggle} icon="gear" label={t('conf.settings')} />}
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

interface PanelButtonProps {
  id: Exclude<Panel, null>;
  panel: Panel;
  onToggle: (p: Exclude<Panel, null>) => void;
  icon: IconName;
  /** The short label under the icon. */
  label: string;
  /** The tooltip (the label when absent). */
  title?: string;
  /** The accessible name when it says more than the title (e.g. an unread count). */
  fullLabel?: string;
  keys?: string;
  testId?: string;
  /** A count shown on the button; 0 shows none. */
  badge?: number;
}

/** PanelButton opens and closes one side panel; it is pressed while its panel is open. */
function PanelButton({ id, panel, onToggle, icon, label, title = label, fullLabel, keys, testId, badge = 0 }: PanelButtonProps) {
  return (
    <button
      type="button"
      className="lk-button"
      aria-pressed={panel === id}
      onClick={() => onToggle(id)}
      aria-keyshortcuts={keys}
      aria-label={fullLabel ?? title}
      title={title}
      data-testid={testId}
    >
      <Icon name={icon} />
      <span className="label">{label}</span>
      {badge > 0 && (
        <span className="badge" aria-hidden="true">
          {badge}
        </span>
      )}
    </button>
  );
}

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
