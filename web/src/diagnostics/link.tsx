// The way to the connection test from other pages, shown only when the
// server has the test turned on. Kept apart from the page so that linking
// to it does not load livekit-client.
import { useConfig } from '../auth/session';
import { useT } from '../i18n/i18n';
import { navigate } from '../lib/router';

/** CONNECTION_TEST_PATH is the connection test's page (La Suite Meet's path); never a meeting. */
export const CONNECTION_TEST_PATH = '/test-connection';

/** ConnectionTestLink links to the test when it is enabled; newTab keeps a call or prejoin screen open. */
export function ConnectionTestLink({ label, newTab = false }: { label: 'diag.link' | 'diag.prejoinLink'; newTab?: boolean }) {
  const t = useT();
  const config = useConfig();
  if (!config?.diagnostics?.connection_test_enabled) return null;
  if (newTab) {
    return (
      <a href={CONNECTION_TEST_PATH} target="_blank" rel="noopener" className="diag-link">
        {t(label)}
      </a>
    );
  }
  return (
    <a href={CONNECTION_TEST_PATH} className="diag-link" onClick={(e) => (e.preventDefault(), navigate(CONNECTION_TEST_PATH))}>
      {t(label)}
    </a>
  );
}
