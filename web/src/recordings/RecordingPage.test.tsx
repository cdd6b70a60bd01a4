// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Recording } from '../api/types';
import { SessionProvider } from '../auth/session';
import { I18nProvider } from '../i18n/i18n';
import { RecordingPage } from './RecordingPage';

const ID = '5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60';
const saved: Recording = {
  id: ID,
  room: { id: 'r1', name: 'Weekly sync', slug: 'weekly-sync', access_level: 'restricted' },
  created_at: '2026-03-04T15:06:00Z',
  updated_at: '2026-03-04T15:30:00Z',
  status: 'saved',
  mode: 'screen_recording',
  key: `recordings/${ID}.mp4`,
  is_expired: false,
  expired_at: '2026-04-03T15:06:00Z',
};

/** serve answers the session's calls and GET recordings/{id}/ with the given status and body. */
function serve(status: number, body: unknown, fileStatus = 200) {
  const fn = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === `/api/v1.0/recordings/${ID}/download/` && init?.method === 'HEAD') return new Response(null, { status: fileStatus });
    if (url.endsWith('/config/')) return new Response(JSON.stringify({ authentication: { local: true } }), { status: 200 });
    if (url.endsWith('/users/me/'))
      return status === 401
        ? new Response(JSON.stringify({ detail: 'Authentication credentials were not provided.' }), { status: 401 })
        : new Response(JSON.stringify({ id: 'u1', email: 'o@example.com', full_name: 'Olive', short_name: 'Olive' }), { status: 200 });
    if (url === `/api/v1.0/recordings/${ID}/`) return new Response(JSON.stringify(body), { status });
    return new Response(null, { status: 599 });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

function renderPage(lang: 'en' | 'fr' = 'en') {
  return render(
    <I18nProvider lang={lang}>
      <SessionProvider>
        <RecordingPage id={ID} />
      </SessionProvider>
    </I18nProvider>,
  );
}

// The machine the tests share can be slow: rendering with jsdom takes seconds there.
vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.unstubAllGlobals());

describe('RecordingPage', () => {
  it('plays and offers the download of a saved recording to its owner', async () => {
    serve(200, saved);
    const { container } = renderPage();
    await screen.findByRole('heading', { name: 'Recording of Weekly sync' });
    const video = container.querySelector('video')!;
    expect(video.getAttribute('src')).toBe(`/api/v1.0/recordings/${ID}/download/`);
    const download = screen.getByRole('link', { name: 'Download the recording' });
    expect(download.getAttribute('href')).toBe(`/api/v1.0/recordings/${ID}/download/`);
    expect(download.hasAttribute('download')).toBe(true);
    expect(screen.getByText('April 3, 2026')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Weekly sync' }).getAttribute('href')).toBe('/weekly-sync');
  });

  it.each([
    [200, 'This browser cannot play the recording. You can still download it.', true],
    [404, 'The recording file is not on the server: it may have been removed, or it could not be put together. Ask the server’s administrator.', false],
  ])('when the player fails and the file answers %i, says why and offers the download only if there is a file', async (fileStatus, text, downloadable) => {
    serve(200, saved, fileStatus);
    const { container } = renderPage();
    await screen.findByRole('heading', { name: 'Recording of Weekly sync' });
    fireEvent.error(container.querySelector('video')!);
    expect((await screen.findByRole('alert')).textContent).toBe(text);
    expect(screen.queryByRole('link', { name: 'Download the recording' }) !== null).toBe(downloadable);
    expect(container.querySelector('video') !== null).toBe(downloadable);
  });

  it('says when a recording never expires', async () => {
    serve(200, { ...saved, expired_at: null });
    renderPage('fr');
    await screen.findByRole('heading', { name: 'Enregistrement de Weekly sync' });
    expect(screen.getByText('Conservé jusqu’à ce que vous le supprimiez')).toBeTruthy();
  });

  it('asks an anonymous visitor to sign in', async () => {
    serve(401, { detail: 'Authentication credentials were not provided.' });
    renderPage();
    await screen.findByRole('heading', { name: 'This recording is not available' });
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(document.querySelector('video')).toBeNull();
  });

  it.each([
    [404, { detail: 'Not found.' }],
    [403, { detail: 'You do not have permission to perform this action.' }],
  ])('shows "not available" without a sign-in button on %s', async (status, body) => {
    serve(status, body);
    renderPage();
    await screen.findByRole('heading', { name: 'This recording is not available' });
    expect(screen.getByText(/belongs to someone else/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    expect(document.querySelector('video')).toBeNull();
  });

  it.each([
    [{ ...saved, is_expired: true }, /expired on March|expired on April/],
    [{ ...saved, status: 'active' }, /still being prepared/],
    [{ ...saved, status: 'failed_to_start' }, /did not complete/],
  ])('has no player for %#', async (rec, text) => {
    serve(200, rec);
    renderPage();
    await screen.findByRole('heading', { name: 'This recording is not available' });
    expect(screen.getByText(text)).toBeTruthy();
    expect(document.querySelector('video')).toBeNull();
  });
});
