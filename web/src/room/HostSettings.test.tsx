// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Room } from '../api/types';
import { I18nProvider } from '../i18n/i18n';
import { HostSettings } from './HostSettings';

const room: Room & { id: string } = {
  id: 'r1',
  slug: 'abc-defg-hij',
  access_level: 'restricted',
  configuration: { can_publish_sources: ['camera', 'microphone', 'screen_share'] },
};

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

function renderSettings(onSaved = vi.fn()) {
  render(
    <I18nProvider lang="en">
      <HostSettings room={room} onSaved={onSaved} />
    </I18nProvider>,
  );
  return onSaved;
}

describe('HostSettings', () => {
  it('shows the current values', () => {
    renderSettings();
    expect((screen.getByLabelText('Everyone not invited waits in the lobby') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Camera') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Screen audio') as HTMLInputElement).checked).toBe(false);
  });

  it('PATCHes access level and publish sources with the CSRF header', async () => {
    document.cookie = 'csrftoken=t0k';
    const fetchMock = vi.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(JSON.stringify({ ...room, access_level: 'public', configuration: { can_publish_sources: ['camera', 'microphone'] } }), {
          status: 200,
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onSaved = renderSettings();
    fireEvent.click(screen.getByLabelText('Anyone with the link'));
    fireEvent.click(screen.getByLabelText('Screen'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Saved.'));
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1.0/rooms/r1/');
    expect(init!.method).toBe('PATCH');
    expect((init!.headers as Record<string, string>)['X-CSRFToken']).toBe('t0k');
    expect(JSON.parse(init!.body as string)).toEqual({
      access_level: 'public',
      configuration: { can_publish_sources: ['camera', 'microphone'] },
    });
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ access_level: 'public' }));
  });

  it('shows the server error and keeps the form', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ detail: 'You do not have permission.' }), { status: 403 })));
    const onSaved = renderSettings();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('You do not have permission.'));
    expect(onSaved).not.toHaveBeenCalled();
  });
});
