import { useCallback, useEffect, useState } from 'react';
import {
  Chat,
  ConnectionStateToast,
  LayoutContextProvider,
  RoomAudioRenderer,
  StartAudio,
  useConnectionState,
  useCreateLayoutContext,
  useDataChannel,
} from '@livekit/components-react';
import type { Room, WaitingParticipant } from '../api/types';
import { useT } from '../i18n/i18n';
import { useWaitingList } from '../lobby/hooks';
import { CallControls, type Panel } from './CallControls';
import { HostSettings } from './HostSettings';
import { KnockToast } from './KnockToast';
import { AloneShareCard, MeetingInfo } from './MeetingInfo';
import { ParticipantsPanel } from './ParticipantsPanel';
import { RoomMembers } from './RoomMembers';
import { StageLayout } from './StageLayout';
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

export function ConferenceView({ room: initialRoom }: { room: Room }) {
  const t = useT();
  const layout = useCreateLayoutContext();
  const [room, setRoom] = useState(initialRoom);
  const [panel, setPanel] = useState<Panel>(null);
  const [knock, setKnock] = useState<WaitingParticipant[]>([]);
  const role = useLocalRole();
  const connection = useConnectionState();
  const isHost = room.id !== null && (isHostRole(role) || room.is_administrable === true);

  const onKnock = useCallback((newcomers: WaitingParticipant[]) => setKnock(newcomers), []);
  const waiting = useWaitingList(room.id, isHost, onKnock);

  useDataChannel((msg) => {
    if (isHost && isParticipantWaiting(msg.payload)) waiting.refresh();
  });

  // A knock notice is only useful while that person still waits.
  useEffect(() => {
    setKnock((k) => k.filter((p) => waiting.participants.some((w) => w.id === p.id)));
  }, [waiting.participants]);

  const toggle = (p: Exclude<Panel, null>) => setPanel((cur) => (cur === p ? null : p));

  return (
    <LayoutContextProvider value={layout}>
      <div className="conf-shell" data-panel-open={panel !== null} data-connection-state={connection}>
        <div className="conf-main">
          <StageLayout />
          {connection === 'connected' && <AloneShareCard room={room} covered={panel === 'info'} onMore={isHost ? () => setPanel('info') : undefined} />}
          <CallControls panel={panel} onToggle={toggle} isHost={isHost} waitingCount={waiting.participants.length} />
        </div>
        {/* Chat stays mounted so messages received while it is closed are kept. */}
        <aside className="side-panel" hidden={panel !== 'chat'} aria-label={t('conf.chat')}>
          <PanelHeader title={t('conf.chat')} onClose={() => setPanel(null)} />
          <Chat />
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
            <HostSettings room={{ ...room, id: room.id }} onSaved={setRoom} />
            <RoomMembers roomId={room.id} />
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
      </div>
      <RoomAudioRenderer />
      <StartAudio label={t('conf.startAudio')} className="start-audio" />
      <ConnectionStateToast />
    </LayoutContextProvider>
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
