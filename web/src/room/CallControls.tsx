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
import { useT } from '../i18n/i18n';

export type Panel = 'chat' | 'participants' | 'settings' | 'info' | null;

interface Props {
  panel: Panel;
  onToggle: (p: Exclude<Panel, null>) => void;
  isHost: boolean;
  waitingCount: number;
}

/** CallControls is the bottom bar: devices, screen share, layout, panels and leave. */
export function CallControls({ panel, onToggle, isHost, waitingCount }: Props) {
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
          <TrackToggle source={Track.Source.Microphone} aria-label={t('conf.microphone')}>
            <span className="hide-narrow">{t('conf.microphone')}</span>
          </TrackToggle>
          <div className="lk-button-group-menu">
            <MediaDeviceMenu kind="audioinput" aria-label={t('conf.deviceMenu', { device: t('conf.microphone') })} />
          </div>
        </div>
      )}
      {canPublish(Track.Source.Camera) && (
        <div className="lk-button-group">
          <TrackToggle source={Track.Source.Camera} aria-label={t('conf.camera')}>
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
      <LayoutToggle />
      <button type="button" className="lk-button" aria-pressed={panel === 'info'} onClick={() => onToggle('info')}>
        {t('info.button')}
      </button>
      <button type="button" className="lk-button" aria-pressed={panel === 'chat'} onClick={() => onToggle('chat')}>
        {t('conf.chat')}
      </button>
      <button
        type="button"
        className="lk-button"
        aria-pressed={panel === 'participants'}
        onClick={() => onToggle('participants')}
        data-testid="participants-toggle"
      >
        {t('conf.participants')}
        {isHost && waitingCount > 0 && (
          <span className="badge" aria-label={t('participants.lobby', { count: waitingCount })}>
            {waitingCount}
          </span>
        )}
      </button>
      {isHost && (
        <button type="button" className="lk-button" aria-pressed={panel === 'settings'} onClick={() => onToggle('settings')}>
          {t('conf.settings')}
        </button>
      )}
      <DisconnectButton className="lk-disconnect-button">{t('conf.leave')}</DisconnectButton>
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
    <button type="button" className="lk-button" onClick={toggle} aria-label={`${t('conf.layout')}: ${focused ? t('conf.grid') : t('conf.focus')}`}>
      {focused ? t('conf.grid') : t('conf.focus')}
    </button>
  );
}
