import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n';
import { en } from '../i18n/en';
import { fr } from '../i18n/fr';
import { explain, hasAdvice, summary, verdict } from './advice';
import { CHECK_IDS, CODES, initialStates, type CheckState } from './model';
import { buildReport, reportFileName, reportText } from './report';

const tEn = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en', k, v);
const tFr = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('fr', k, v);

function row(id: CheckState['id'], status: CheckState['status'], code?: CheckState['code'], vars?: CheckState['vars'], extra: Partial<CheckState> = {}): CheckState {
  return { id, status, code, vars, log: [], ...extra };
}

const allPassed = (): CheckState[] =>
  CHECK_IDS.map((id) => row(id, 'passed', `${id}.ok` as CheckState['code']));

describe('verdict', () => {
  it('is running while a check is pending or running', () => {
    expect(verdict(initialStates())).toBe('running');
  });
  it('is ok when everything passed, warnings with a warning, problems with a failure', () => {
    const s = allPassed();
    expect(verdict(s)).toBe('ok');
    s[5] = row('turn', 'skipped', 'turn.notOffered');
    expect(verdict(s)).toBe('ok');
    s[1] = row('media', 'warning', 'media.noCamera');
    expect(verdict(s)).toBe('warnings');
    s[6] = row('publishAudio', 'failed', 'publishAudio.failed');
    expect(verdict(s)).toBe('problems');
  });
  it('is problems, not blocked, when UDP fails but the relay carries media', () => {
    const s = allPassed();
    s[3] = row('udp', 'failed', 'udp.blocked');
    expect(verdict(s)).toBe('problems');
  });
  it('is blocked without signalling, without WebRTC, or with no media path at all', () => {
    const noSignal = allPassed();
    noSignal[2] = row('signalling', 'failed', 'signalling.failed');
    expect(verdict(noSignal)).toBe('blocked');
    const noPath = allPassed();
    noPath[3] = row('udp', 'failed', 'udp.blocked');
    noPath[4] = row('tcp', 'skipped', 'tcp.notOffered');
    noPath[5] = row('turn', 'skipped', 'turn.notOffered');
    expect(verdict(noPath)).toBe('blocked');
    const old = allPassed();
    old[0] = row('browser', 'failed', 'browser.noWebRTC');
    expect(verdict(old)).toBe('blocked');
  });
});

describe('explain', () => {
  it('says what a blocked UDP port means and what to ask the network administrator for', () => {
    const e = explain(tEn, row('udp', 'failed', 'udp.blocked', { host: '203.0.113.7', ports: '7882' }));
    expect(e?.text).toBe('No media connection could be made over UDP: UDP port 7882 on 203.0.113.7 seems blocked.');
    expect(e?.advice).toBe('Ask your network administrator to allow outgoing UDP to 203.0.113.7, port 7882, or ask the server’s administrator to turn on TURN.');
  });
  it('names the check that stopped another one, and the candidate type, in the page language', () => {
    expect(explain(tFr, row('udp', 'skipped', 'notRun', { check: 'signalling' }))?.text).toBe('Non effectué, car « Connexion au serveur média (WebSocket) » n’a pas réussi.');
    expect(explain(tEn, row('route', 'passed', 'route.ok', { type: 'host', protocol: 'UDP', rtt: 3 }))?.text).toBe('Connected directly over UDP; a round trip takes 3 ms.');
  });
  it('gives "not offered" without advice, and nothing for a check not finished', () => {
    expect(explain(tEn, row('turn', 'skipped', 'turn.notOffered'))).toEqual({ text: 'Not offered by this server: it runs no TURN relay.', advice: '' });
    expect(explain(tEn, row('turn', 'running'))).toBeNull();
  });
  it('has a sentence for every result and advice for every failure, in English and French, with the same placeholders', () => {
    for (const code of CODES) {
      const keys = [`diag.result.${code}`, ...(hasAdvice(code) ? [`diag.advice.${code}`] : [])] as (keyof typeof en)[];
      for (const k of keys) {
        expect(en[k], k).toBeTruthy();
        expect(fr[k], k).toBeTruthy();
        const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(holes(fr[k]), k).toEqual(holes(en[k]));
      }
    }
  });
  it('gives advice for every result a failing check can end with', () => {
    const failing = ['browser.noWebRTC', 'media.denied', 'signalling.failed', 'udp.blocked', 'tcp.blocked', 'turn.blocked', 'publishAudio.failed', 'publishVideo.failed', 'timeout', 'error'] as const;
    for (const c of failing) expect(hasAdvice(c), c).toBe(true);
  });
});

describe('report', () => {
  const meta = { startedAt: '2026-12-05T21:30:00.000Z', page: 'https://meet.example.org/test-connection', userAgent: 'TestBrowser/1', server: 'wss://meet.example.org/rtc' };
  const states: CheckState[] = [
    row('browser', 'passed', 'browser.ok', undefined, { ms: 1 }),
    row('signalling', 'passed', 'signalling.ok', { host: 'meet.example.org' }, { ms: 410, log: ['info: Connected to server, version 1.9.0.'] }),
    row('udp', 'failed', 'udp.blocked', { host: '203.0.113.7', ports: '7882' }, { ms: 12000, data: { serverCandidates: ['udp 203.0.113.7:7882 host'] } }),
    row('turn', 'passed', 'turn.noTls', { rtt: 35 }, { ms: 900, data: { candidateType: 'relay', protocol: 'udp', rttMs: 35 } }),
  ];

  it('holds every check with its status, result, advice, timing and measurements', () => {
    const r = buildReport(tEn, states, meta);
    expect(r).toMatchObject({ title: 'Meet connection test report', started_at: meta.startedAt, server: meta.server, verdict: 'problems', counts: { passed: 3, warnings: 0, failed: 1, skipped: 0 } });
    expect(r.summary).toBe(summary(tEn, 'problems'));
    expect(r.checks.map((c) => [c.id, c.status, c.code])).toEqual([
      ['browser', 'passed', 'browser.ok'],
      ['signalling', 'passed', 'signalling.ok'],
      ['udp', 'failed', 'udp.blocked'],
      ['turn', 'passed', 'turn.noTls'],
    ]);
    expect(r.checks[2]).toMatchObject({ name: 'Media over UDP', duration_ms: 12000, data: { serverCandidates: ['udp 203.0.113.7:7882 host'] } });
    expect(r.checks[2].advice).toContain('allow outgoing UDP to 203.0.113.7, port 7882');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('reads as plain text, one block per check, advice and details included', () => {
    const text = reportText(tEn, buildReport(tEn, states, meta));
    expect(text.split('\n').slice(0, 7)).toEqual([
      'Meet connection test report',
      '===========================',
      'Date: 2026-12-05T21:30:00.000Z',
      'Page: https://meet.example.org/test-connection',
      'Media server: wss://meet.example.org/rtc',
      'Browser: TestBrowser/1',
      '',
    ]);
    expect(text).toContain('Passed: 3 · warnings: 0 · failed: 1 · not run or not offered: 0');
    expect(text).toContain('[PASSED] Connection to the media server (WebSocket) (410 ms)\n  The browser reached the media server at meet.example.org.\n    info: Connected to server, version 1.9.0.');
    expect(text).toContain('[FAILED] Media over UDP (12000 ms)\n  No media connection could be made over UDP');
    expect(text).toContain('  What to do: Ask your network administrator to allow outgoing UDP to 203.0.113.7, port 7882');
  });

  it('is written in French on a French page', () => {
    const text = reportText(tFr, buildReport(tFr, states, meta));
    expect(text).toContain('Rapport du test de connexion Meet');
    expect(text).toContain('[ÉCHEC] Média en UDP');
    expect(text).toContain('Que faire : Demandez à votre administrateur réseau');
  });

  it('labels what the server does not offer as such, not as "not run"', () => {
    const text = reportText(tEn, buildReport(tEn, [row('tcp', 'skipped', 'tcp.notOffered'), row('udp', 'skipped', 'notRun', { check: 'signalling' })], meta));
    expect(text).toContain('[NOT OFFERED] Media over TCP\n  Not offered by this server: it takes media over UDP only.');
    expect(text).toContain('[NOT RUN] Media over UDP\n  Not run, because “Connection to the media server (WebSocket)” did not pass.');
  });

  it('names downloads after the start time', () => {
    expect(reportFileName(meta.startedAt, 'json')).toBe('meet-connection-test-2026-12-05T21-30-00.json');
  });
});
