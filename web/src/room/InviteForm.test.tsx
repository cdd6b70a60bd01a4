// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/i18n';
import { InviteForm } from './InviteForm';

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: unknown) {
  const fn = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

function send(text: string, lang: 'en' | 'fr' = 'en') {
  render(
    <I18nProvider lang={lang}>
      <InviteForm roomId="r1" />
    </I18nProvider>,
  );
  const box = screen.getByRole('textbox') as HTMLTextAreaElement;
  fireEvent.change(box, { target: { value: text } });
  fireEvent.submit(box.form!);
  return box;
}

describe('InviteForm', () => {
  it('posts the addresses and confirms', async () => {
    const fn = answer(200, { status: 'success', message: 'invitations sent' });
    const box = send('ana@example.com,  leo@example.com\nana@example.com');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Invitation sent to ana@example.com, leo@example.com.'));
    const [url, init] = fn.mock.calls[0];
    expect(url).toBe('/api/v1.0/rooms/r1/invite/');
    expect(init!.method).toBe('POST');
    expect(JSON.parse(init!.body as string)).toEqual({ emails: ['ana@example.com', 'leo@example.com'] });
    expect(box.value).toBe('');
  });

  it('names bad addresses without calling the server', () => {
    const fn = answer(200, {});
    send('ana@example.com, leo');
    expect(screen.getByRole('alert').textContent).toBe('These addresses are not valid: leo');
    expect(fn).not.toHaveBeenCalled();
  });

  it('says that mail is not set up (503)', async () => {
    answer(503, { detail: 'E-mail is not configured on this server: invitations cannot be sent.' });
    send('ana@example.com', 'fr');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^L’envoi d’e-mails n’est pas configuré/));
  });

  it('says who did not get it (502) and keeps them to try again', async () => {
    answer(502, { detail: 'The mail server stopped accepting the invitations. Sent to: ana@example.com. Not sent to: leo@example.com, zoe@example.com.' });
    const box = send('ana@example.com leo@example.com zoe@example.com');
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'The mail server stopped part way. Sent to: ana@example.com. Not sent to: leo@example.com, zoe@example.com.',
      ),
    );
    expect(box.value).toBe('leo@example.com, zoe@example.com');
  });
});
