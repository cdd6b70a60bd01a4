import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { getRoom } from '../api/endpoints';
import type { LiveKitCredentials, Room } from '../api/types';
import { useSession } from '../auth/session';
import { useT } from '../i18n/i18n';
import { usePreloadedComponent } from '../lib/preload';
import { warmUpWebRTC } from '../lib/warmup';
import { stopPreviewTracks, type JoinChoices, type PreviewTracks } from '../room/choices';
import { EndedScreen } from '../room/EndedScreen';
import { LobbyScreen } from '../room/LobbyScreen';
import { PrejoinScreen } from '../room/PrejoinScreen';
import { AppHeader } from './HomePage';

// The LiveKit components and their styles are the heaviest part of the app:
// split off, and fetched while the person is still on prejoin or in the lobby
// so that being admitted is instant.
const loadConference = () => import('../room/Conference');

// The LiveKit token only ever lives in this component's state: never in the
// URL, never in web storage.
type Stage =
  | { kind: 'prejoin' }
  | { kind: 'lobby'; room: Room & { id: string }; choices: JoinChoices; tracks: PreviewTracks }
  | { kind: 'conference'; room: Room; livekit: LiveKitCredentials; choices: JoinChoices; tracks: PreviewTracks }
  | { kind: 'ended'; choices: JoinChoices; reason?: string };

export default function RoomPage({ slug }: { slug: string }) {
  const t = useT();
  const { config } = useSession();
  const [stage, setStage] = useState<Stage>({ kind: 'prejoin' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const conference = usePreloadedComponent(loadConference);
  useEffect(() => void warmUpWebRTC(), []);
  // Camera and microphone opened on the prejoin screen: owned by this page
  // from the moment the person asks to join (they travel with the stage),
  // released when the call ends or the page goes.
  const handedOver = useRef<PreviewTracks>({});
  useEffect(() => () => stopPreviewTracks(handedOver.current), []);
  useEffect(() => {
    if (stage.kind === 'ended') stopPreviewTracks(handedOver.current);
  }, [stage.kind]);

  const join = useCallback(
    async (choices: JoinChoices, preview?: PreviewTracks) => {
      const tracks = preview ?? {};
      handedOver.current = tracks;
      setBusy(true);
      setError(null);
      try {
        const room = await getRoom(slug, choices.username);
        if (room.livekit) setStage({ kind: 'conference', room, livekit: room.livekit, choices, tracks });
        else if (room.id) setStage({ kind: 'lobby', room: { ...room, id: room.id }, choices, tracks });
        else setError(t('room.authRequired'));
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setError(t('room.authRequired'));
        else if (err instanceof ApiError && err.status === 404) setError(t('room.notFound'));
        else setError(t('common.error', { message: err instanceof Error ? err.message : String(err) }));
        setStage({ kind: 'prejoin' });
      } finally {
        setBusy(false);
      }
    },
    [slug, t],
  );

  const onAccepted = useCallback(
    (livekit: LiveKitCredentials) =>
      setStage((s) => (s.kind === 'lobby' ? { kind: 'conference', room: s.room, livekit, choices: s.choices, tracks: s.tracks } : s)),
    [],
  );

  const onLeave = useCallback(
    (reason?: string) => setStage((s) => (s.kind === 'conference' ? { kind: 'ended', choices: s.choices, reason } : s)),
    [],
  );

  const Conference = conference.component;
  switch (stage.kind) {
    case 'prejoin':
      return (
        <>
          <AppHeader />
          <PrejoinScreen slug={slug} busy={busy} error={error} onJoin={(c, preview) => void join(c, preview)} />
        </>
      );
    case 'lobby':
    case 'conference':
      // The call screen is mounted, hidden and not yet connected, while the
      // guest waits in the lobby: being let in then only has to connect and
      // show it, not build it.
      return (
        <>
          {stage.kind === 'lobby' && (
            <LobbyScreen
              room={stage.room}
              username={stage.choices.username}
              preview={stage.choices.videoEnabled ? stage.tracks.video : undefined}
              onAccepted={onAccepted}
            />
          )}
          {Conference ? (
            <Conference
              room={stage.room}
              livekit={stage.kind === 'conference' ? stage.livekit : undefined}
              choices={stage.choices}
              tracks={stage.tracks}
              iceServers={config?.livekit?.ice_servers}
              onLeave={onLeave}
            />
          ) : (
            stage.kind === 'conference' && (
              <p className="center muted" role={conference.error ? 'alert' : 'status'}>
                {conference.error ? t('common.error', { message: conference.error }) : t('conf.connecting')}
              </p>
            )
          )}
        </>
      );
    case 'ended':
      return <EndedScreen reason={stage.reason} onRejoin={() => void join(stage.choices)} />;
  }
}
