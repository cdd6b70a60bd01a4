// @vitest-environment jsdom
// The uploaded backgrounds in the effects picker, against an in-memory
// files API behind fetch: listed, added (and chosen), refused with the
// reason, removed (and unchosen), and absent when signed out or off.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UploadedFile } from '../api/files';
import { SessionProvider } from '../auth/session';
import { I18nProvider } from '../i18n/i18n';
import { defaultEffects, type EffectChoices } from './choices';
import { EffectsPanel } from './EffectsPanel';
import { useBackgroundUploads } from './useBackgroundUploads';

const me = { id: 'u1', email: 'ann@example.com', full_name: 'Ann', short_name: 'Ann' };
const uploadsOn = { upload_is_enabled: true, max_count_by_user: 2, max_size: 1000, allowed_extensions: ['.jpg', '.png'], allowed_mimetypes: ['image/jpeg', 'image/png'] };

function stored(id: string, title: string): UploadedFile {
  return {
    id,
    created_at: '2026-12-01T10:00:00Z',
    updated_at: '2026-12-01T10:00:00Z',
    title,
    type: 'background_image',
    creator: { id: 'u1', full_name: 'Ann', short_name: 'Ann' },
    deleted_at: null,
    hard_deleted_at: null,
    filename: `${title}.png`,
    upload_state: 'ready',
    mimetype: 'image/png',
    size: 10,
    description: null,
    url: `http://meet.example/media/files/${id}.png`,
    abilities: { destroy: true, media_auth: true, partial_update: true, retrieve: true, update: true, upload_ended: false },
  };
}

interface Server {
  files: UploadedFile[];
  /** What the PUT of the bytes answers. */
  putReply: { status: number; body?: unknown };
  calls: string[];
}

/** serve is a files API in memory: config/, users/me/, files/ and the upload URL. */
function serve(opts: { signedIn?: boolean; config?: object; files?: UploadedFile[] } = {}): Server {
  const srv: Server = { files: [...(opts.files ?? [])], putReply: { status: 200 }, calls: [] };
  const json = (status: number, body?: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      srv.calls.push(`${method} ${url.replace(/\?.*/, '')}`);
      if (url.endsWith('/config/')) return json(200, opts.config ?? { background_image: uploadsOn });
      if (url.endsWith('/users/me/')) return opts.signedIn === false ? json(401, { detail: 'no' }) : json(200, me);
      if (url.startsWith('/api/v1.0/files/?')) return json(200, { count: srv.files.length, next: null, previous: null, results: srv.files });
      if (url === '/api/v1.0/files/' && method === 'POST') {
        const name = JSON.parse(init!.body as string).filename as string;
        return json(201, { ...stored('new1', name.replace(/\.\w+$/, '')), upload_state: 'pending', url: null, policy: 'http://meet.example/put/new1' });
      }
      if (url === 'http://meet.example/put/new1') return json(srv.putReply.status, srv.putReply.body);
      if (url === '/api/v1.0/files/new1/upload-ended/') {
        const f = stored('new1', 'holiday');
        srv.files.unshift(f);
        return json(200, f);
      }
      const del = url.match(/^\/api\/v1\.0\/files\/(\w+)\/$/);
      if (del && method === 'DELETE') {
        srv.files = srv.files.filter((f) => f.id !== del[1]);
        return json(204);
      }
      return json(599, { detail: `unexpected ${method} ${url}` });
    }),
  );
  return srv;
}

/** Picker holds the choices like the prejoin screen does and reports each change. */
function Picker({ initial, seen }: { initial: EffectChoices; seen: (e: EffectChoices) => void }) {
  const [effects, setEffects] = useState(initial);
  const uploads = useBackgroundUploads(effects.video, () => setEffects((e) => ({ ...e, video: { kind: 'none' } })));
  seen(effects);
  return <EffectsPanel value={effects} onChange={setEffects} support={{ video: true, noise: true }} videoState="off" uploads={uploads} />;
}

function renderPicker(initial: EffectChoices = defaultEffects) {
  let last = initial;
  render(
    <I18nProvider lang="en">
      <SessionProvider>
        <Picker initial={initial} seen={(e) => (last = e)} />
      </SessionProvider>
    </I18nProvider>,
  );
  return () => last;
}

const png = (name: string, size = 10, type = 'image/png') => new File([new Uint8Array(size)], name, { type });
const pick = (file: File) => act(async () => void fireEvent.change(screen.getByTestId('background-upload-input'), { target: { files: [file] } }));

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.unstubAllGlobals());

describe('uploaded backgrounds in the picker', () => {
  it('lists the person’s images after the built-in ones and chooses one', async () => {
    serve({ files: [stored('f1', 'beach')] });
    const current = renderPicker();
    const beach = (await screen.findByLabelText('beach')) as HTMLInputElement;
    expect(screen.getAllByRole('radio')).toHaveLength(9);
    fireEvent.click(beach);
    expect(current().video).toEqual({ kind: 'upload', id: 'f1', url: '/media/files/f1.png' });
    expect(screen.getByText('Your own images: JPG, PNG, up to 1 KB. Only you see this list.')).toBeTruthy();
  });

  it('adds an image in three steps and chooses it', async () => {
    const srv = serve();
    const current = renderPicker();
    await screen.findByText('Add an image');
    await pick(png('holiday.png'));
    await waitFor(() => expect(current().video).toEqual({ kind: 'upload', id: 'new1', url: '/media/files/new1.png' }));
    expect(srv.calls.filter((c) => !c.startsWith('GET'))).toEqual(['POST /api/v1.0/files/', 'PUT http://meet.example/put/new1', 'POST /api/v1.0/files/new1/upload-ended/']);
    expect((screen.getByLabelText('holiday') as HTMLInputElement).checked).toBe(true);
  });

  it('says why the server refused an image and keeps the choice', async () => {
    const srv = serve();
    srv.putReply = { status: 400, body: { file: ['The file content does not match its extension.'] } };
    const current = renderPicker({ ...defaultEffects, video: { kind: 'blur', strength: 'light' } });
    await screen.findByText('Add an image');
    await pick(png('fake.png'));
    expect((await screen.findByRole('alert')).textContent).toBe('This file is not a valid image, or its content does not match its name.');
    expect(current().video).toEqual({ kind: 'blur', strength: 'light' });
    expect(screen.queryByTestId('uploaded-background')).toBeNull();
  });

  it('refuses a file over the size before sending anything', async () => {
    const srv = serve();
    renderPicker();
    await screen.findByText('Add an image');
    await pick(png('huge.png', 2000));
    expect((await screen.findByRole('alert')).textContent).toBe('This image is larger than 1 KB: choose a smaller one.');
    expect(srv.calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  });

  it('removes an image; removing the chosen one goes back to no effect', async () => {
    const srv = serve({ files: [stored('f1', 'beach'), stored('f2', 'city')] });
    const current = renderPicker({ ...defaultEffects, video: { kind: 'upload', id: 'f1', url: '/media/files/f1.png' } });
    await screen.findByLabelText('beach');
    // Two images is this server's limit: adding is off and the note says why.
    expect((screen.getByTestId('background-upload-input') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('You have 2 images, the most you can keep. Remove one to add another.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove beach' }));
    await waitFor(() => expect(current().video).toEqual({ kind: 'none' }));
    expect(srv.files.map((f) => f.id)).toEqual(['f2']);
    expect(screen.queryByLabelText('beach')).toBeNull();
    expect((screen.getByTestId('background-upload-input') as HTMLInputElement).disabled).toBe(false);
  });

  it('drops a remembered image that was deleted elsewhere', async () => {
    serve({ files: [stored('f2', 'city')] });
    const current = renderPicker({ ...defaultEffects, video: { kind: 'upload', id: 'f1', url: '/media/files/f1.png' } });
    await screen.findByLabelText('city');
    await waitFor(() => expect(current().video).toEqual({ kind: 'none' }));
  });

  it('signed out: asks to sign in, lists nothing and drops a remembered image', async () => {
    const srv = serve({ signedIn: false });
    const current = renderPicker({ ...defaultEffects, video: { kind: 'upload', id: 'f1', url: '/media/files/f1.png' } });
    await screen.findByText('Sign in to use your own images as a background.');
    await waitFor(() => expect(current().video).toEqual({ kind: 'none' }));
    expect(screen.queryByTestId('background-upload-input')).toBeNull();
    expect(srv.calls.some((c) => c.includes('/files/'))).toBe(false);
  });

  it('uploads off: no add tile, no note, no request', async () => {
    const srv = serve({ config: { background_image: { ...uploadsOn, upload_is_enabled: false } } });
    renderPicker();
    await waitFor(() => expect(srv.calls).toContain('GET /api/v1.0/config/'));
    await screen.findByLabelText('Seaside');
    expect(screen.queryByText('Add an image')).toBeNull();
    expect(screen.queryByText(/Sign in to use/)).toBeNull();
    expect(srv.calls.some((c) => c.includes('/files/'))).toBe(false);
  });
});
