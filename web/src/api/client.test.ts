// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiFetch, readCookie } from './client';
import { createRoom, getRoom, patchRoom } from './endpoints';

function mockFetch(status: number, body?: unknown) {
  const fn = vi.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
  vi.stubGlobal('fetch', fn);
  return fn;
}

function headersOf(fn: ReturnType<typeof mockFetch>, call = 0): Record<string, string> {
  return fn.mock.calls[call][1]!.headers as Record<string, string>;
}

describe('readCookie', () => {
  it.each([
    ['csrftoken=abc; other=1', 'abc'],
    ['other=1;  csrftoken=x%20y', 'x y'],
    ['xcsrftoken=no', ''],
    ['', ''],
  ])('%s', (src, want) => expect(readCookie('csrftoken', src)).toBe(want));
});

describe('apiFetch', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=tok123';
  });
  afterEach(() => {
    document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    vi.unstubAllGlobals();
  });

  it('sends the CSRF header and same-origin credentials on unsafe methods', async () => {
    const fn = mockFetch(201, { id: 'r1', slug: 'abc-defg-hij' });
    await createRoom('abc-defg-hij');
    const [url, init] = fn.mock.calls[0];
    expect(url).toBe('/api/v1.0/rooms/');
    expect(init!.method).toBe('POST');
    expect(init!.credentials).toBe('same-origin');
    expect(headersOf(fn)['X-CSRFToken']).toBe('tok123');
    expect(headersOf(fn)['Content-Type']).toBe('application/json');
    expect(JSON.parse(init!.body as string)).toEqual({ name: 'abc-defg-hij' });
  });

  it('sends the CSRF header on PATCH', async () => {
    const fn = mockFetch(200, { id: 'r1' });
    await patchRoom('r1', { access_level: 'public' });
    expect(fn.mock.calls[0][1]!.method).toBe('PATCH');
    expect(headersOf(fn)['X-CSRFToken']).toBe('tok123');
  });

  it('does not send it on GET, and encodes query values', async () => {
    const fn = mockFetch(200, { slug: 'x' });
    await getRoom('my room', 'Zoë & co');
    expect(fn.mock.calls[0][0]).toBe('/api/v1.0/rooms/my%20room/?username=Zo%C3%AB%20%26%20co');
    expect(headersOf(fn)['X-CSRFToken']).toBeUndefined();
    expect(fn.mock.calls[0][1]!.credentials).toBe('same-origin');
  });

  it('returns undefined for 204', async () => {
    mockFetch(204);
    await expect(apiFetch('/logout/', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('turns {"detail"} into an ApiError', async () => {
    mockFetch(401, { detail: 'Invalid credentials.' });
    const err = await apiFetch('/x/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message).toBe('Invalid credentials.');
  });

  it('keeps validation errors per field', async () => {
    mockFetch(400, { name: ['This field is required.'] });
    const err = (await apiFetch('/x/', { method: 'POST', body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(err.fields).toEqual({ name: ['This field is required.'] });
    expect(err.message).toBe('This field is required.');
  });

  it('copes with a non-JSON error body', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502 })));
    const err = (await apiFetch('/x/').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.message).toBe('HTTP 502');
  });
});
