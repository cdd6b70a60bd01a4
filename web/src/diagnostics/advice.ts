// What each result means in plain words and what to ask for, and the
// verdict over all checks shown at the top of the page.
import type { MessageKey } from '../i18n/dict';
import type { CheckId, CheckState, Code, Vars } from './model';

/** Translate is the i18n lookup (useT() on the page, translate() in tests). */
export type Translate = (key: MessageKey, vars?: Vars) => string;

// Results that come with something to do. Every other result is
// self-explanatory (a pass, or a feature this server does not offer).
const WITH_ADVICE = {
  'browser.noWebRTC': true,
  'browser.noGetUserMedia': true,
  'browser.insecure': true,
  'media.noCamera': true,
  'media.noMicrophone': true,
  'media.none': true,
  'media.denied': true,
  'media.busy': true,
  'media.error': true,
  'signalling.insecure': true,
  'signalling.failed': true,
  'signalling.token': true,
  'udp.notDirect': true,
  'udp.blocked': true,
  'tcp.blocked': true,
  'turn.blocked': true,
  'publishAudio.silent': true,
  'publishAudio.failed': true,
  'publishVideo.black': true,
  'publishVideo.failed': true,
  'route.relayed': true,
  'route.slow': true,
  timeout: true,
  error: true,
} as const satisfies Partial<Record<Code, true>>;

type AdviceCode = keyof typeof WITH_ADVICE;

/** hasAdvice reports whether a result comes with advice. */
export function hasAdvice(code: Code): code is AdviceCode {
  return code in WITH_ADVICE;
}

// These assignments fail to compile when a key is missing from the tables.
function resultKey(code: Code): MessageKey {
  const key: `diag.result.${Code}` = `diag.result.${code}`;
  return key;
}
function adviceKey(code: AdviceCode): MessageKey {
  const key: `diag.advice.${AdviceCode}` = `diag.advice.${code}`;
  return key;
}
/** checkName is a check's title. */
export function checkName(t: Translate, id: CheckId): string {
  const key: `diag.check.${CheckId}` = `diag.check.${id}`;
  return t(key);
}

const CANDIDATE_TYPES = ['host', 'srflx', 'prflx', 'relay'] as const;
type CandidateType = (typeof CANDIDATE_TYPES)[number];

// Translates the vars that name something: a check or a candidate type.
function readableVars(t: Translate, vars: Vars = {}): Vars {
  const out: Vars = { ...vars };
  if (typeof vars.check === 'string') out.check = checkName(t, vars.check as CheckId);
  if (typeof vars.type === 'string' && (CANDIDATE_TYPES as readonly string[]).includes(vars.type)) {
    const key: `diag.candidate.${CandidateType}` = `diag.candidate.${vars.type as CandidateType}`;
    out.type = t(key);
  }
  return out;
}

/** Explanation is a finished check in words. */
export interface Explanation {
  /** What happened. */
  text: string;
  /** What to do about it, or whom to ask; empty when nothing is needed. */
  advice: string;
}

/** explain puts a check's result into words; nothing while it has none. */
export function explain(t: Translate, s: CheckState): Explanation | null {
  if (!s.code) return null;
  const vars = readableVars(t, s.vars);
  return { text: t(resultKey(s.code), vars), advice: hasAdvice(s.code) ? t(adviceKey(s.code), vars) : '' };
}

/** Verdict sums up the whole test. */
export type Verdict = 'running' | 'ok' | 'warnings' | 'problems' | 'blocked';

/** Counts are how many checks ended each way. */
export interface Counts {
  passed: number;
  warnings: number;
  failed: number;
  skipped: number;
}

/** countStates counts the finished checks by status. */
export function countStates(states: readonly CheckState[]): Counts {
  const c: Counts = { passed: 0, warnings: 0, failed: 0, skipped: 0 };
  for (const s of states) {
    if (s.status === 'passed') c.passed++;
    else if (s.status === 'warning') c.warnings++;
    else if (s.status === 'failed') c.failed++;
    else if (s.status === 'skipped') c.skipped++;
  }
  return c;
}

const works = (s?: CheckState) => s?.status === 'passed' || s?.status === 'warning';

/**
 * verdict is "blocked" when calls cannot work at all (no WebRTC, no
 * signalling, or no media path by UDP, TCP or relay), "problems" when a
 * check failed, "warnings" when one warned, "ok" otherwise.
 */
export function verdict(states: readonly CheckState[]): Verdict {
  if (states.some((s) => s.status === 'pending' || s.status === 'running')) return 'running';
  const by = new Map(states.map((s) => [s.id, s]));
  const failed = (id: CheckId) => by.get(id)?.status === 'failed';
  if (failed('browser') || failed('signalling')) return 'blocked';
  const paths = (['udp', 'tcp', 'turn'] as const).filter((id) => by.has(id));
  if (paths.length && !paths.some((id) => works(by.get(id)))) return 'blocked';
  if (states.some((s) => s.status === 'failed')) return 'problems';
  if (states.some((s) => s.status === 'warning')) return 'warnings';
  return 'ok';
}

/** summary is the sentence at the top of the page and of the report. */
export function summary(t: Translate, v: Verdict): string {
  const key: `diag.summary.${Verdict}` = `diag.summary.${v}`;
  return t(key);
}
