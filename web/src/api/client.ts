// One fetch wrapper for every REST call: same-origin cookies, the CSRF header
// on unsafe methods, JSON in and out, and errors as ApiError.

export const API_BASE = '/api/v1.0';

export class ApiError extends Error {
  readonly status: number;
  /** Field errors from a validation failure ({"field": ["message"]}). */
  readonly fields: Record<string, string[]>;

  constructor(status: number, message: string, fields: Record<string, string[]> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fields = fields;
  }
}

/** readCookie returns the value of a readable cookie, or '' when absent. */
export function readCookie(name: string, source: string = document.cookie): string {
  for (const part of source.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return '';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra headers, e.g. the LiveKit token of the in-call actions. */
  headers?: Record<string, string>;
}

/** apiFetch calls API_BASE + path and returns the decoded JSON (undefined for 204). */
export async function apiFetch<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE_METHODS.has(method)) {
    // The server checks this header against the csrftoken cookie on every
    // unsafe request from a signed-in browser.
    const token = readCookie('csrftoken');
    if (token) headers['X-CSRFToken'] = token;
  }
  const res = await fetch(API_BASE + path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    credentials: 'same-origin',
    signal: opts.signal,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) throw toApiError(res.status, data);
  return data as T;
}

export function toApiError(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object') {
    const obj = data as Record<string, unknown>;
    for (const key of ['detail', 'error', 'message']) {
      if (typeof obj[key] === 'string') return new ApiError(status, obj[key] as string);
    }
    const fields: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (Array.isArray(v)) fields[k] = v.map(String);
    }
    const first = Object.values(fields)[0]?.[0];
    if (first) return new ApiError(status, first, fields);
  }
  return new ApiError(status, `HTTP ${status}`);
}
