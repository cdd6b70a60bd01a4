import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { getRoom } from '../api/endpoints';
import type { LiveKitCredentials, Room } from '../api/types';
import { useT } from '../i18n/i18n';
import type { JoinChoices } from '../room/choices';
import { EndedScreen } from '../room/EndedScreen';
import { LobbyScreen } from '../room/LobbyScreen';
import { PrejoinScreen } from '../room/PrejoinScreen';
import { AppHeader } from './HomePage';

// The LiveKit components and their styles are the heaviest part of the app:
// split off, and fetched while the person is still on prejoin or in the lobby
// so that being admitted is instant.
const loadConference = () => import('../room/Conference');
const Conference = lazy(loadConference);

// The LiveKit token only ever lives in this component's state: never in the
// URL, never in web storage.
type Stage =
  | { kind: 'prejoin' }
  | { kind: 'lobby'; room: Room & { id: string }; choices: JoinChoices }
  | { kind: 'conference'; room: Room; livekit: LiveKitCredentials; choices: JoinChoices }
  | { kind: 'ended'; choices: JoinChoices; reason?: string };

export default function RoomPage({ slug }: { slug: string }) {
  const t = useT();
  const [stage, setStage] = useState<Stage>({ kind: 'prejoin' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadConference();
  }, []);

  const join = useCallback(
    async (choices: JoinChoices) => {
      setBusy(true);
      setError(null);
      try {
        const room = await getRoom(slug, choices.username);
        if (room.livekit) setStage({ kind: 'conference', room, livekit: room.livekit, choices });
        else if (room.id) setStage({ kind: 'lobby', room: { ...room, id: room.id }, choices });
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
      setStage((s) => (s.kind === 'lobby' ? { kind: 'conference', room: s.room, livekit, choices: s.choices } : s)),
    [],
  );

  const onLeave = useCallback(
    (reason?: string) => setStage((s) => (s.kind === 'conference' ? { kind: 'ended', choices: s.choices, reason } : s)),
    [],
  );

  switch (stage.kind) {
    case 'prejoin':
      return (
        <>
          <AppHeader />
          <PrejoinScreen slug={slug} busy={busy} error={error} onJoin={(c) => void join(c)} />
        </>
      );
    case 'lobby':
      return <LobbyScreen room={stage.room} username={stage.choices.username} onAccepted={onAccepted} />;
    case 'conference':
      return (
        <Suspense fallback={<p className="center muted" role="status">{t('conf.connecting')}</p>}>
          <Conference room={stage.room} livekit={stage.livekit} choices={stage.choices} onLeave={onLeave} />
        </Suspense>
      );
    case 'ended':
      return <EndedScreen reason={stage.reason} onRejoin={() => void join(stage.choices)} />;
  }
}
