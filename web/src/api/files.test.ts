// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { deleteBackground, imageURL, listBackgrounds, uploadBackground, type UploadedFile } from './files';

const policy = 'http://meet.test/api/v1.0/files/f1/upload/?expires=1&signature=abc';

function file(state: UploadedFile['upload_state'], url: string | null): UploadedFile {
  return {
    id: 'f1',
    created_at: '2026-03-04T05:06:07Z',
    updated_at: '2026-03-04T05:06:07Z',
    title: 'beach',
    type: 'background_image',
    creator: { id: 'u1', full_name: 'Alice Doe', short_name: 'alice' },
    deleted_at: null,
    hard_deleted_at: null,
    filename: 'beach.png',
    upload_state: state,
    mimetype: 'image/png',
    size: state === 'ready' ? 3 : null,
    description: null,
    url,
    abilities: { destroy: true, media_auth: true, partial_update: false, retrieve: true, update: false, upload_ended: false },
  };
}

type Reply = { status: number; body?: unknown };

/** serve answers each fetch with the next reply and records the calls. */
function serve(...replies: Reply[]) {
  const fn = vi.fn(async (_url: string, _init?: RequestInit) => {
    const r = replies.shift();
    if (!r) throw new Error('unexpected fetch');
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

describe('files API client', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=tok123';
  });
  afterEach(() => {
    document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    vi.unstubAllGlobals();
  });

  it('lists ready backgrounds', async () => {
    const page = { count: 1, next: null, previous: null, results: [file('ready', 'http://meet.test/media/files/f1.png')] };
    const fn = serve({ status: 200, body: page });
    await expect(listBackgrounds(2)).resolves.toEqual(page);
    expect(fn.mock.calls[0][0]).toBe('/api/v1.0/files/?type=background_image&upload_state=ready&page=2');
  });

  it('uploads in three steps: create, PUT to the policy, upload-ended', async () => {
    const ready = file('ready', 'http://meet.test/media/files/f1.png');
    const fn = serve({ status: 201, body: { ...file('pending', null), policy } }, { status: 200 }, { status: 200, body: ready });
    const img = new File([new Uint8Array([0x89, 0x50, 0x4e])], 'beach.png', { type: 'image/png' });
    const got = await uploadBackground(img);
    expect(got).toEqual(ready);
    expect(imageURL(got)).toBe('http://meet.test/media/files/f1.png');

    const [createURL, create] = fn.mock.calls[0];
    expect(createURL).toBe('/api/v1.0/files/');
    expect(create!.method).toBe('POST');
    expect(JSON.parse(create!.body as string)).toEqual({ type: 'background_image', filename: 'beach.png' });
    expect((create!.headers as Record<string, string>)['X-CSRFToken']).toBe('tok123');

    const [putURL, put] = fn.mock.calls[1];
    expect(putURL).toBe(policy);
    expect(put!.method).toBe('PUT');
    expect(put!.body).toBe(img);
    expect(put!.credentials).toBe('omit');
    expect((put!.headers as Record<string, string>)['Content-Type']).toBe('image/png');

    const [endURL, end] = fn.mock.calls[2];
    expect(endURL).toBe('/api/v1.0/files/f1/upload-ended/');
    expect(end!.method).toBe('POST');
  });

  it('rejects a refused image with the field and reason, without a cleanup call', async () => {
    const fn = serve(
      { status: 201, body: { ...file('pending', null), policy } },
      { status: 400, body: { file: ['The file type is not allowed.'] } },
    );
    const txt = new File(['hello'], 'notes.png', { type: 'image/png' });
    const err = await uploadBackground(txt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).fields).toEqual({ file: ['The file type is not allowed.'] });
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('deletes the pending file when the PUT fails otherwise', async () => {
    const fn = serve(
      { status: 201, body: { ...file('pending', null), policy } },
      { status: 403, body: { detail: 'Invalid or expired upload URL.' } },
      { status: 204 },
    );
    const err = await uploadBackground(new File(['x'], 'a.png')).catch((e: unknown) => e);
    expect((err as ApiError).message).toBe('Invalid or expired upload URL.');
    expect(fn.mock.calls[2][0]).toBe('/api/v1.0/files/f1/');
    expect(fn.mock.calls[2][1]!.method).toBe('DELETE');
  });

  it('reports the count limit from create', async () => {
    serve({ status: 403, body: { detail: 'You have reached the maximum number of files for this type.' } });
    const err = await uploadBackground(new File(['x'], 'a.png')).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(403);
  });

  it('deletes a background', async () => {
    const fn = serve({ status: 204 });
    await expect(deleteBackground('f 1')).resolves.toBeUndefined();
    expect(fn.mock.calls[0][0]).toBe('/api/v1.0/files/f%201/');
    expect(fn.mock.calls[0][1]!.method).toBe('DELETE');
  });

  it('has no image URL before the file is ready', () => {
    expect(imageURL(file('pending', null))).toBeNull();
  });
});
