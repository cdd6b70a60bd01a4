import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  LayoutContextProvider,
  RoomAudioRenderer,
  StartAudio,
  useConnectionState,
  useCreateLayoutContext,
  useDataChannel,
  useLocalParticipant,
  useRoomContext,
} from '@livekit/components-react';
import { ConnectionState, RoomEvent } from 'livekit-client';
import { renameSelf, startRecording } from '../api/incall';
import type { AccessLevel, PublishSource, Room, WaitingParticipant } from '../api/types';
import { useSession } from '../auth/session';
import { everyoneCanMute } from '../call/moderation';
import { availableModes } from '../call/recording';
import type { RoomSettingsSignal } from '../call/signals';
import type { NoiseState } from '../effects/audio';
import type { EffectChoices } from '../effects/choices';
import { EffectsPanel } from '../effects/EffectsPanel';
import { support } from '../effects/support';
import type { BackgroundUploads } from '../effects/useBackgroundUploads';
import type { VideoEffectState } from '../effects/video';
import { useT } from '../i18n/i18n';
import { saveDisplayName } from '../lib/displayName';
import { useWaitingList } from '../lobby/hooks';
import type { NameControl } from '../settings/AccountTab';
import { Modal } from '../settings/Modal';
import { SettingsDialog, type SettingsTab } from '../settings/SettingsDialog';
import { ShortcutHelp } from '../settings/ShortcutList';
import { useSettings } from '../settings/useSettings';
import { CallContext, type CallApi } from './CallContext';
import { CallControls, keysOf, type Panel } from './CallControls';
import { canFullscreen, toggleFullscreen, useIsFullscreen } from './fullscreen';
import { useHand } from './HandsAndReactions';
import type { MoreItem } from './MoreMenu';
import { PipWindow, usePictureInPicture } from './PictureInPicture';
import { SidePanel } from './SidePanel';
import { useCallMedia } from './useCallMedia';
import { useCallShortcuts } from './useCallShortcuts';
import { useSilentMic } from './useSilentMic';
import { useSoundCue } from './useSoundCues';
import { ChatPanel } from './ChatPanel';
import { ReactionsOverlay } from './HandsAndReactions';
import { HostSettings } from './HostSettings';
import { KnockToast } from './KnockToast';
import { AloneShareCard, MeetingInfo } from './MeetingInfo';
import { Notices } from './Notices';
import { ParticipantsPanel } from './ParticipantsPanel';
import { RecordingIndicator, useRecording } from './Recording';
import { RoomMembers } from './RoomMembers';
import { StageLayout } from './StageLayout';
import { useCallEvents, useNotices } from './useCallEvents';
import { isHostRole, useLocalRole } from './useHostRole';

const decoder = new TextDecoder();

/** isParticipantWaiting reports whether a data message is the server's "someone knocked" signal. */
export function isParticipantWaiting(payload: Uint8Array): boolean {
  try {
    const msg = JSON.parse(decoder.decode(payload)) as { type?: unknown };
    return msg.type === 'participantWaiting';
  } catch {
    return false;
  }
}

/** EffectsControl is the call's effects choice and what became of it. */
export interface EffectsControl {
  value: EffectChoices;
  onChange: (next: EffectChoices) => void;
  videoState: VideoEffectState;
  noiseState?: NoiseState;
  /** The person's own background images (null: uploads are off). */
  uploads?: BackgroundUploads | null;
}

export function ConferenceView({ room: initialRoom, token = '', effects }: { room: Room; token?: string; effects?: EffectsControl }) {
  const t = useT();
  const { config } = useSession();
  const layout = useCreateLayoutContext();
  const [room, setRoom] = useState(initialRoom);
  const [panel, setPanel] = useState<Panel>(null);
  const [knock, setKnock] = useState<WaitingParticipant[]>([]);
  const role = useLocalRole();
  const connection = useConnectionState();
  const isHost = room.id !== null && (isHostRole(role) || room.is_administrable === true);
  const recording = useRecording();
  const { notices, notify, dismiss } = useNotices();
  const [unread, setUnread] = useState(0);
  const [settingsVersion, setSettingsVersion] = useState(0);

  const cue = useSoundCue();
  const onKnock = useCallback(
    (newcomers: WaitingParticipant[]) => {
      setKnock(newcomers);
      if (newcomers.length > 0) cue('knock');
    },
    [cue],
  );
  const waiting = useWaitingList(room.id, isHost, onKnock);

  useDataChannel((msg) => {
    if (isHost && isParticipantWaiting(msg.payload)) waiting.refresh();
  });

  // A knock notice is only useful while that person still waits.
  useEffect(() => {
    setKnock((k) => k.filter((p) => waiting.participants.some((w) => w.id === p.id)));
  }, [waiting.participants]);

  const applySettings = useCallback(
    (s: RoomSettingsSignal) =>
      setRoom((r) => ({
        ...r,
        access_level: s.access_level as AccessLevel,
        configuration: { ...r.configuration, can_publish_sources: s.can_publish_sources as PublishSource[] },
      })),
    [],
  );
  const recordingModes = useMemo(() => (config?.recording?.is_enabled ? availableModes(config.recording.available_modes) : []), [config]);
  const events = useCallEvents({
    isHost,
    recording,
    notify,
    onHandRaised: () => cue('hand'),
    onRoomSettings: (s) => {
      const before = room;
      applySettings(s);
      // Another host saved: reload the form with their values.
      setSettingsVersion((v) => v + 1);
      if (before.access_level !== s.access_level) notify({ text: t('settings.changedAccess', { level: t(`settings.${s.access_level as AccessLevel}`) }), key: 'settings-access' });
      if ((before.configuration?.can_publish_sources ?? []).join() !== s.can_publish_sources.join()) notify({ text: t('settings.changedPublish'), key: 'settings-publish' });
    },
    onRecordingRequest: (from) =>
      notify({
        text: t('rec.requestNotice', { name: from.name || from.identity }),
        key: 'rec-request',
        sticky: true,
        action: {
          label: t('rec.start'),
          run: () =>
            void startRecording(room.id!, recordingModes[0] ?? 'screen_recording').catch((err: unknown) =>
              notify({ text: t('rec.error', { message: err instanceof Error ? err.message : String(err) }), key: 'rec' }),
            ),
        },
      }),
  });

  const api = useMemo<CallApi>(
    () => ({
      roomId: room.id,
      token,
      isHost,
      everyoneCanMute: everyoneCanMute(room.configuration),
      recordingModes,
      notify,
      send: events.send,
    }),
    [room.id, room.configuration, token, isHost, recordingModes, notify, events.send],
  );

  // Say plainly when an effect had to be turned off; the panel says it too.
  // The same picker sits in the side panel and in the settings dialog's Effects tab.
  const effectsPanel = effects && (
    <EffectsPanel
      value={effects.value}
      onChange={effects.onChange}
      support={support()}
      videoState={effects.videoState}
      noiseState={effects.noiseState}
      uploads={effects.uploads}
    />
  );
  const effectsState = effects?.videoState;
  useEffect(() => {
    if (effectsState === 'slow') notify({ text: t('effects.slow'), key: 'effects', sticky: true });
    if (effectsState === 'failed') notify({ text: t('effects.failed'), key: 'effects' });
  }, [effectsState, notify, t]);

  const toggle = useCallback((p: Exclude<Panel, null>) => setPanel((cur) => (cur === p ? null : p)), []);
  const closePanel = useCallback(() => setPanel(null), []);
  const reconnecting = connection === ConnectionState.Reconnecting || connection === ConnectionState.SignalReconnecting;
  const inCall = connection === ConnectionState.Connected || reconnecting;

  // Comfort: personal settings, shortcuts, picture-in-picture, full screen.
  const lkRoom = useRoomContext();
  const { localParticipant } = useLocalParticipant();
  const [settings] = useSettings();
  const [dialog, setDialog] = useState<{ kind: 'settings'; tab: SettingsTab } | { kind: 'help' } | { kind: 'leave' } | null>(null);
  const closeDialog = useCallback(() => setDialog(null), []);
  const [reactionsOpen, setReactionsOpen] = useState(false);
  const hand = useHand(api);
  const media = useCallMedia();
  const pip = usePictureInPicture();
  const shell = useRef<HTMLDivElement>(null);
  const fullscreen = useIsFullscreen(shell);
  const silent = useSilentMic(media.micTrack, media.micOn && inCall);
  const [silentDismissed, setSilentDismissed] = useState(false);
  if (!silent && silentDismissed) setSilentDismissed(false);

  useCallShortcuts(
    {
      hand: hand.toggle,
      chat: () => toggle('chat'),
      participants: () => toggle('participants'),
      reactions: () => setReactionsOpen((o) => !o),
      leave: () => setDialog({ kind: 'leave' }),
      help: () => setDialog({ kind: 'help' }),
    },
    inCall,
  );

  // A sound when someone joins.
  useEffect(() => {
    const onJoin = () => cue('join');
    lkRoom.on(RoomEvent.ParticipantConnected, onJoin);
    return () => void lkRoom.off(RoomEvent.ParticipantConnected, onJoin);
  }, [lkRoom, cue]);

  const name: NameControl = {
    value: localParticipant.name || localParticipant.identity,
    editable: room.id !== null && token !== '',
    save: async (n) => {
      await renameSelf(room.id!, token, n);
      if (localParticipant.attributes.is_authenticated !== 'true') saveDisplayName(n);
    },
  };
  const more: MoreItem[] = [
    { id: 'settings', label: t('prefs.open'), run: () => setDialog({ kind: 'settings', tab: 'account' }) },
    ...(pip.supported ? [{ id: 'pip', label: pip.open ? t('more.pipClose') : t('more.pip'), run: pip.toggle }] : []),
    ...(canFullscreen()
      ? [{ id: 'fullscreen', label: fullscreen ? t('more.exitFullscreen') : t('more.fullscreen'), run: () => void toggleFullscreen(shell.current) }]
      : []),
    { id: 'shortcuts', label: t('keys.title'), keys: '?', run: () => setDialog({ kind: 'help' }) },
  ];

  return (
    <CallContext.Provider value={api}>
      <LayoutContextProvider value={layout}>
        <div ref={shell} className="conf-shell" data-panel-open={panel !== null} data-connection-state={connection} data-mirror={settings.mirror}>
          <div className="conf-main">
            <div className="stage-wrap">
              <StageLayout />
              <ReactionsOverlay items={events.reactions} onDone={events.reactionDone} />
              {connection === 'connected' && (
                <AloneShareCard room={room} covered={panel === 'info'} onMore={isHost ? () => setPanel('info') : undefined} />
              )}
              <div className="call-status">
                <RecordingIndicator state={recording} />
                {reconnecting ? (
                  <div className="connection-banner" role="status">
                    {t('conn.reconnecting')}
                  </div>
                ) : (
                  events.unstable && (
                    <div className="connection-banner warn" role="status">
                      {t('conn.unstable')}
                    </div>
                  )
                )}
              </div>
            </div>
            <CallControls
              panel={panel}
              onToggle={toggle}
              isHost={isHost}
              waitingCount={waiting.participants.length}
              recording={recording}
              onReaction={(r) => events.float(r, t('chat.you'))}
              unread={unread}
              hand={hand}
              reactionsOpen={reactionsOpen}
              onReactionsOpen={setReactionsOpen}
              more={more}
            />
            {silent && !silentDismissed && (
              <div className="silent-hint" role="status">
                <span>{t('silent.hint')}</span>
                <button type="button" className="btn secondary small" onClick={() => setDialog({ kind: 'settings', tab: 'audio' })}>
                  {t('silent.check')}
                </button>
                <button type="button" className="btn icon" onClick={() => setSilentDismissed(true)} aria-label={t('common.close')}>
                  ×
                </button>
              </div>
            )}
          </div>
          {/* Chat stays mounted so messages received while it is closed are kept. */}
          <SidePanel open={panel === 'chat'} label={t('conf.chat')} onClose={closePanel} focus=".chat-form input">
            <PanelHeader title={t('conf.chat')} onClose={closePanel} />
            <ChatPanel open={panel === 'chat'} onOpen={() => setPanel('chat')} onUnread={setUnread} onMessage={() => cue('chat')} />
          </SidePanel>
          {panel === 'participants' && (
            <SidePanel open label={t('conf.participants')} onClose={closePanel}>
              <ParticipantsPanel
                isHost={isHost}
                waiting={waiting.participants}
                onDecide={waiting.decide}
                onAdmitAll={waiting.admitAll}
                onClose={closePanel}
              />
            </SidePanel>
          )}
          {panel === 'settings' && isHost && room.id && (
            <SidePanel open label={t('settings.title')} onClose={closePanel}>
              <PanelHeader title={t('settings.title')} onClose={closePanel} />
              <HostSettings
                key={settingsVersion}
                room={{ ...room, id: room.id }}
                onSaved={(r) => {
                  setRoom(r);
                  events.send({
                    type: 'roomSettings',
                    access_level: r.access_level,
                    can_publish_sources: r.configuration?.can_publish_sources ?? [],
                  });
                }}
              />
              <RoomMembers roomId={room.id} />
            </SidePanel>
          )}
          {panel === 'effects' && effects && (
            <aside className="side-panel" aria-label={t('effects.title')}>
              <PanelHeader title={t('effects.title')} onClose={() => setPanel(null)} />
              {effectsPanel}
            </aside>
          )}
          {panel === 'info' && (
            <SidePanel open label={t('info.title')} onClose={closePanel}>
              <PanelHeader title={t('info.title')} onClose={closePanel} />
              <MeetingInfo room={room} canInvite={isHost} />
            </SidePanel>
          )}
          {isHost && knock.length > 0 && (
            <KnockToast
              newcomers={knock}
              onAdmit={(id) => void waiting.decide(id, true)}
              onView={() => (setPanel('participants'), setKnock([]))}
              onDismiss={() => setKnock([])}
            />
          )}
          <Notices notices={notices} onDismiss={dismiss} />
          {dialog?.kind === 'settings' && (
            <SettingsDialog
              onClose={closeDialog}
              media={media}
              name={name}
              initialTab={dialog.tab}
              effects={effectsPanel}
            />
          )}
          {dialog?.kind === 'help' && <ShortcutHelp onClose={closeDialog} />}
          {dialog?.kind === 'leave' && (
            <Modal title={t('leave.title')} onClose={closeDialog} role="alertdialog">
              <div className="row">
                <button type="button" className="btn danger" onClick={() => void lkRoom.disconnect()} aria-keyshortcuts={keysOf('leave')} data-autofocus>
                  {t('leave.confirm')}
                </button>
                <button type="button" className="btn secondary" onClick={closeDialog}>
                  {t('common.cancel')}
                </button>
              </div>
            </Modal>
          )}
          {pip.window && <PipWindow target={pip.window} />}
        </div>
        <RoomAudioRenderer />
        <StartAudio label={t('conf.startAudio')} className="start-audio" />
      </LayoutContextProvider>
    </CallContext.Provider>
  );
}

export function PanelHeader({ title, onClose }: { title: string; onClose: () => void }) {
  const t = useT();
  return (
    <div className="panel-header">
      <h2>{title}</h2>
      <button type="button" className="btn icon" onClick={onClose} aria-label={t('common.close')}>
        ×
      </button>
    </div>
  );
}
