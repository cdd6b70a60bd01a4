import './diagnostics.css';
import { useEffect, useRef, useState } from 'react';
import { startConnectionTest } from '../api/endpoints';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';
import { AppHeader } from '../pages/HomePage';
import { useMicLevel } from '../room/useMicLevel';
import { checkName, countStates, explain, summary, verdict } from './advice';
import { initialStates, type CheckState } from './model';
import type { Devices } from './probes';
import { buildReport, reportFileName, reportText, statusKey } from './report';
import { runChecks } from './runner';
import { buildSteps, type Credentials } from './steps';

/**
 * ConnectionTestPage is /test-connection: it checks, one after another, what
 * a call needs (browser, devices, signalling, media over UDP, TCP and TURN,
 * publishing) and says in plain words what each failure means and whom to
 * ask. A plain "not found" page when the server has the test turned off.
 */
export default function ConnectionTestPage() {
  const { t } = useI18n();
  const { config } = useSession();
  if (!config?.diagnostics?.connection_test_enabled) {
    return (
      <>
        <AppHeader />
        <main className="diag-off stack">
          <h1>{t('diag.offTitle')}</h1>
          <p>{t('diag.off')}</p>
          <a href="/" className="btn secondary" onClick={(e) => (e.preventDefault(), navigate('/'))}>
            {t('diag.home')}
          </a>
        </main>
      </>
    );
  }
  return <ConnectionTest />;
}

function ConnectionTest() {
  const { t } = useI18n();
  const [states, setStates] = useState<CheckState[]>(() => initialStates());
  const [devices, setDevices] = useState<Devices | null>(null);
  const [run, setRun] = useState(0);
  const [startedAt, setStartedAt] = useState(() => new Date().toISOString());
  const [server, setServer] = useState<string | undefined>();
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');

  useEffect(() => {
    const ctl = new AbortController();
    let opened: Devices | null = null;
    setStartedAt(new Date().toISOString());
    setServer(undefined);
    const steps = buildSteps({
      credentials: async (): Promise<Credentials> => {
        const { livekit } = await startConnectionTest();
        if (!ctl.signal.aborted) setServer(livekit.url);
        return { url: livekit.url, token: livekit.token };
      },
      onDevices: (d) => {
        opened = d;
        if (ctl.signal.aborted) stopDevices(d);
        else setDevices(d);
      },
    });
    void runChecks(steps, (s) => !ctl.signal.aborted && setStates(s), ctl.signal);
    return () => {
      ctl.abort();
      if (opened) stopDevices(opened);
      setDevices(null);
    };
  }, [run]);

  const v = verdict(states);
  const running = v === 'running';
  const counts = countStates(states);
  // Built when asked for: the rows change several times a second while the test runs.
  const report = () => buildReport(t, states, { startedAt, page: location.href, userAgent: navigator.userAgent, server });

  async function copy() {
    try {
      await navigator.clipboard.writeText(reportText(t, report()));
      setCopied('ok');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <>
      <AppHeader />
      <main className="diag">
        <header className="diag-head stack">
          <h1>{t('diag.title')}</h1>
          <p className="muted">{t('diag.intro')}</p>
          <div className={`diag-summary card verdict-${v}`} role="status" aria-live="polite" data-testid="diag-summary" data-verdict={v}>
            <StatusIcon status={v === 'running' ? 'running' : v === 'ok' ? 'passed' : v === 'warnings' ? 'warning' : 'failed'} />
            <div className="stack tight">
              <p className="diag-verdict">{summary(t, v)}</p>
              {!running && <p className="muted small">{t('diag.counts', { ...counts })}</p>}
            </div>
          </div>
          <div className="row wrap">
            <button type="button" className="btn primary" disabled={running} onClick={() => (setCopied(''), setRun((n) => n + 1))}>
              {t('diag.runAgain')}
            </button>
            <button type="button" className="btn secondary" onClick={() => void copy()}>
              {t('diag.copy')}
            </button>
            <button type="button" className="btn secondary" onClick={() => download(reportText(t, report()), 'text/plain', reportFileName(startedAt, 'txt'))}>
              {t('diag.downloadText')}
            </button>
            <button
              type="button"
              className="btn secondary"
              onClick={() => download(JSON.stringify(report(), null, 2), 'application/json', reportFileName(startedAt, 'json'))}
            >
              {t('diag.downloadJson')}
            </button>
          </div>
          <p className="small" role="status">
            {copied === 'ok' ? t('diag.copied') : copied === 'failed' ? t('diag.copyFailed') : ''}
          </p>
        </header>
        <section className="diag-checks" aria-labelledby="diag-checks-title">
          <h2 id="diag-checks-title" className="visually-hidden">
            {t('diag.checks')}
          </h2>
          <ol className="diag-list">
            {states.map((s) => (
              <CheckRow key={s.id} state={s} />
            ))}
          </ol>
        </section>
        <aside className="diag-media card stack">
          <Preview devices={devices} />
        </aside>
      </main>
    </>
  );
}

function stopDevices(d: Devices) {
  d.audio?.stop();
  d.video?.stop();
}

function download(text: string, type: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** seconds shows a duration as "1.2 s" ("1,2 s" in French). */
function seconds(ms: number, lang: string): string {
  return `${(ms / 1000).toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

function CheckRow({ state }: { state: CheckState }) {
  const { t, lang } = useI18n();
  const e = explain(t, state);
  const name = checkName(t, state.id);
  return (
    <li className={`diag-check status-${state.status}`} data-check={state.id} data-status={state.status} data-code={state.code ?? ''}>
      <StatusIcon status={state.status} />
      <div className="diag-check-body">
        <div className="diag-check-title">
          <h3>{name}</h3>
          <span className="diag-badge">
            {t(statusKey(state.status, state.code))}
            {state.ms !== undefined && state.status !== 'skipped' ? <span className="muted"> · {seconds(state.ms, lang)}</span> : null}
          </span>
        </div>
        {e && <p className="diag-result">{e.text}</p>}
        {e?.advice && (
          <p className="diag-advice">
            <strong>{t('diag.whatToDo')}</strong> {e.advice}
          </p>
        )}
        {state.log.length > 0 && (
          <details className="diag-details">
            <summary>{t('diag.details')}</summary>
            <pre>{state.log.join('\n')}</pre>
          </details>
        )}
      </div>
    </li>
  );
}

const ICONS = { pending: '○', running: '', passed: '✓', warning: '!', failed: '✕', skipped: '–' } as const;

function StatusIcon({ status }: { status: keyof typeof ICONS }) {
  return (
    <span className={`diag-icon icon-${status}`} aria-hidden="true">
      {status === 'running' ? <span className="diag-spinner" /> : ICONS[status]}
    </span>
  );
}

function Preview({ devices }: { devices: Devices | null }) {
  const { t } = useI18n();
  const ref = useRef<HTMLVideoElement>(null);
  const level = useMicLevel(devices?.audio);
  const video = devices?.video;
  useEffect(() => {
    const el = ref.current;
    if (!video || !el) return;
    video.attach(el);
    return () => {
      video.detach(el);
    };
  }, [video]);
  return (
    <>
      <div className="preview" aria-label={t('diag.preview')} role="img">
        {video ? <video ref={ref} className="mirror" muted playsInline autoPlay /> : <div className="preview-off">{t('diag.noPreview')}</div>}
      </div>
      <label className="diag-meter">
        <span>{t('diag.micLevel')}</span>
        <meter min={0} max={1} value={level} data-testid="diag-mic-level" />
      </label>
    </>
  );
}
