// What the recording pages show, decided from the API's answers: kept apart
// from the components so that every case is unit tested.
import { ApiError } from '../api/client';
import type { Recording, RecordingStatus } from '../api/types';

/** RecordingRoute is what a /recordings… path asks for. */
export type RecordingRoute = { kind: 'list' } | { kind: 'detail'; id: string };

/**
 * parseRecordingsPath reads "/recordings/" (the list) and "/recordings/<id>"
 * (the link e-mailed when a recording is ready); any other path is null.
 */
export function parseRecordingsPath(path: string): RecordingRoute | null {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'recordings' || parts.length > 2) return null;
  if (parts.length === 1) return { kind: 'list' };
  return { kind: 'detail', id: decodeURIComponent(parts[1]) };
}

const SAVED: ReadonlySet<RecordingStatus> = new Set([
  'saved',
  'notification_succeeded',
  'external_process_successful',
  'external_process_failed',
]);
const PROCESSING: ReadonlySet<RecordingStatus> = new Set(['initiated', 'active', 'stopped']);

/** RecordingState sums up whether a recording can be watched. */
export type RecordingState = 'ready' | 'processing' | 'expired' | 'failed';

/** recordingState mirrors the server's rule: only saved, unexpired recordings have a file to serve. */
export function recordingState(rec: Pick<Recording, 'status' | 'is_expired'>): RecordingState {
  if (rec.is_expired) return 'expired';
  if (SAVED.has(rec.status)) return 'ready';
  if (PROCESSING.has(rec.status)) return 'processing';
  return 'failed';
}

/**
 * Unavailable is why the page cannot show a recording: "signin" when nobody
 * is signed in (the API says 401), "notfound" for everything the server
 * keeps hidden (404: missing, someone else's, recordings switched off; 403:
 * a member who is not its owner).
 */
export type Unavailable = 'signin' | 'notfound';

/** unavailableFor maps a failed GET recordings/{id}/ to what the page says; other errors are not "unavailable". */
export function unavailableFor(err: unknown): Unavailable | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 401) return 'signin';
  if (err.status === 403 || err.status === 404) return 'notfound';
  return null;
}

/** formatDuration writes seconds as m:ss or h:mm:ss; unknown or endless durations are null. */
export function formatDuration(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** formatDate writes an API timestamp in the page's language, with the time when asked. */
export function formatDate(iso: string, lang: string, withTime = true, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    ...(timeZone ? { timeZone } : {}),
  }).format(d);
}
