// The report a user copies or downloads for their network administrator:
// the same facts as the page, as JSON and as plain text.
import { checkName, countStates, explain, summary, verdict, type Counts, type Translate, type Verdict } from './advice';
import type { CheckData, CheckId, CheckState, Code, Status } from './model';

/** ReportMeta is the context of a test run. */
export interface ReportMeta {
  /** When the run started (RFC 3339). */
  startedAt: string;
  /** The page's address. */
  page: string;
  userAgent: string;
  /** The media server's signalling URL, when the server gave one. */
  server?: string;
}

/** ReportCheck is one check in the report. */
export interface ReportCheck {
  id: CheckId;
  name: string;
  status: Status;
  code?: Code;
  result: string;
  advice: string;
  duration_ms?: number;
  data?: CheckData;
  details: string[];
}

/** Report is the whole test, ready for JSON.stringify. */
export interface Report {
  title: string;
  started_at: string;
  page: string;
  user_agent: string;
  server?: string;
  verdict: Verdict;
  summary: string;
  counts: Counts;
  checks: ReportCheck[];
}

/** buildReport gathers the rows and their explanations in the page's language. */
export function buildReport(t: Translate, states: readonly CheckState[], meta: ReportMeta): Report {
  const v = verdict(states);
  return {
    title: t('diag.report.title'),
    started_at: meta.startedAt,
    page: meta.page,
    user_agent: meta.userAgent,
    ...(meta.server ? { server: meta.server } : {}),
    verdict: v,
    summary: summary(t, v),
    counts: countStates(states),
    checks: states.map((s) => {
      const e = explain(t, s);
      return {
        id: s.id,
        name: checkName(t, s.id),
        status: s.status,
        ...(s.code ? { code: s.code } : {}),
        result: e?.text ?? '',
        advice: e?.advice ?? '',
        ...(s.ms !== undefined ? { duration_ms: s.ms } : {}),
        ...(s.data ? { data: s.data } : {}),
        details: s.log,
      };
    }),
  };
}

/** reportText lays the report out as plain text, one block per check. */
export function reportText(t: Translate, r: Report): string {
  const lines = [
    r.title,
    '='.repeat(r.title.length),
    `${t('diag.report.date')}: ${r.started_at}`,
    `${t('diag.report.page')}: ${r.page}`,
    ...(r.server ? [`${t('diag.report.server')}: ${r.server}`] : []),
    `${t('diag.report.browser')}: ${r.user_agent}`,
    '',
    r.summary,
    t('diag.counts', { ...r.counts }),
    '',
  ];
  for (const c of r.checks) {
    const status = t(statusKey(c.status, c.code)).toUpperCase();
    lines.push(`[${status}] ${c.name}${c.duration_ms !== undefined ? ` (${c.duration_ms} ms)` : ''}`);
    if (c.result) lines.push(`  ${c.result}`);
    if (c.advice) lines.push(`  ${t('diag.whatToDo')} ${c.advice}`);
    for (const d of c.details) lines.push(`    ${d}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** statusKey is the label of a status; a feature the server does not offer is "not offered" rather than "not run". */
export function statusKey(s: Status, code?: Code): `diag.status.${Status | 'notOffered'}` {
  if (code === 'tcp.notOffered' || code === 'turn.notOffered') return 'diag.status.notOffered';
  return `diag.status.${s}`;
}

/** reportFileName names a downloaded report after its date: meet-connection-test-2026-12-05T21-30-00.json. */
export function reportFileName(startedAt: string, ext: 'txt' | 'json'): string {
  return `meet-connection-test-${startedAt.slice(0, 19).replace(/:/g, '-')}.${ext}`;
}
