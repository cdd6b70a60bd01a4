import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  LayoutContextProvider,
  RoomAudioRenderer,
  StartAudio,
  useConnectionState,
  useCreateLayoutContext,
  useDataChannel,
} from '@livekit/components-react';
import { ConnectionState } from 'livekit-client';
import { startRecording } from '../api/incall';
import type { AccessLevel, PublishSource, Room, WaitingParticipant } from '../api/types';
import { useSession } from '../auth/session';
import { everyoneCanMute } from '../call/moderation';
import { availableModes } from '../call/recording';
import type { RoomSettingsSignal } from '../call/signals';
import type { NoiseState } from '../effects/audio';
import type { EffectChoices } from '../effects/choices';
import { EffectsPanel } from '../effects/EffectsPanel';
import { support } from '../effects/support';
import type { VideoEffectState } from '../effects/video';
import { useT } from '../i18n/i18n';
import { useWaitingList } from '../lobby/hooks';
import { CallContext, type CallApi } from './CallContext';
import { CallControls, type Panel } from './CallControls';
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

  const onKnock = useCallback((newcomers: WaitingParticipant[]) => setKnock(newcomers), []);
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
  const effectsState = effects?.videoState;
  useEffect(() => {
    if (effectsState === 'slow') notify({ text: t('effects.slow'), key: 'effects', sticky: true });
    if (effectsState === 'failed') notify({ text: t('effects.failed'), key: 'effects' });
  }, [effectsState, notify, t]);

  const toggle = (p: Exclude<Panel, null>) => setPanel((cur) => (cur === p ? null : p));
  const reconnecting = connection === ConnectionState.Reconnecting || connection === ConnectionState.SignalReconnecting;

  return (
    <CallContext.Provider value={api}>
      <LayoutContextProvider value={layout}>
        <div className="conf-shell" data-panel-open={panel !== null} data-connection-state={connection}>
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
            />
          </div>
          {/* Chat stays mounted so messages received while it is closed are kept. */}
          <aside className="side-panel" hidden={panel !== 'chat'} aria-label={t('conf.chat')}>
            <PanelHeader title={t('conf.chat')} onClose={() => setPanel(null)} />
            <ChatPanel open={panel === 'chat'} onOpen={() => setPanel('chat')} onUnread={setUnread} />
          </aside>
          {panel === 'participants' && (
            <aside className="side-panel" aria-label={t('conf.participants')}>
              <ParticipantsPanel
                isHost={isHost}
                waiting={waiting.participants}
                onDecide={waiting.decide}
                onAdmitAll={waiting.admitAll}
                onClose={() => setPanel(null)}
              />
            </aside>
          )}
          {panel === 'settings' && isHost && room.id && (
            <aside className="side-panel" aria-label={t('settings.title')}>
              <PanelHeader title={t('settings.title')} onClose={() => setPanel(null)} />
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
            </aside>
          )}
          {panel === 'effects' && effects && (
            <aside className="side-panel" aria-label={t('effects.title')}>
              <PanelHeader title={t('effects.title')} onClose={() => setPanel(null)} />
              <EffectsPanel value={effects.value} onChange={effects.onChange} support={support()} videoState={effects.videoState} noiseState={effects.noiseState} />
            </aside>
          )}
          {panel === 'info' && (
            <aside className="side-panel" aria-label={t('info.title')}>
              <PanelHeader title={t('info.title')} onClose={() => setPanel(null)} />
              <MeetingInfo room={room} canInvite={isHost} />
            </aside>
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
