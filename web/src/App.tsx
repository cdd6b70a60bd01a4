import { lazy, Suspense } from 'react';
import { SessionProvider, useSession } from './auth/session';
import { I18nProvider, useT } from './i18n/i18n';
import { CONNECTION_TEST_PATH } from './diagnostics/link';
import { usePath } from './lib/router';
import { HomePage } from './pages/HomePage';
import { SetupPage } from './pages/SetupPage';
import { RecordingPage } from './recordings/RecordingPage';
import { RecordingsPage } from './recordings/RecordingsPage';
import { parseRecordingsPath } from './recordings/view';
import { useAccountLanguage } from './settings/useAccountLanguage';

// The room page carries livekit-client and the LiveKit components: load it
// only when someone opens a meeting.
const RoomPage = lazy(() => import('./pages/RoomPage'));
// The connection test uses livekit-client too.
const ConnectionTestPage = lazy(() => import('./diagnostics/ConnectionTestPage'));

function Routes() {
  const path = usePath();
  const { loading, error, reload } = useSession();
  const t = useT();
  useAccountLanguage();
  if (loading) return <p className="center muted" role="status">{t('common.loading')}</p>;
  if (error) return <p className="center error" role="alert">{t('common.error', { message: error })}</p>;
  const slug = decodeURIComponent(path.replace(/^\/+|\/+$/g, ''));
  if (!slug) return <HomePage />;
  // The first-run link is /setup#<token>; without a token, /setup stays a
  // meeting name like any other.
  if (slug === 'setup' && location.hash.length > 1) return <SetupPage onCreated={reload} />;
  if ('/' + slug === CONNECTION_TEST_PATH) {
    return (
      <Suspense fallback={<p className="center muted" role="status">{t('common.loading')}</p>}>
        <ConnectionTestPage />
      </Suspense>
    );
  }
  const rec = parseRecordingsPath(path);
  if (rec) return rec.kind === 'list' ? <RecordingsPage /> : <RecordingPage key={rec.id} id={rec.id} />;
  return (
    <Suspense fallback={<p className="center muted" role="status">{t('common.loading')}</p>}>
      <RoomPage key={slug} slug={slug} />
    </Suspense>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Routes />
      </SessionProvider>
    </I18nProvider>
  );
}
