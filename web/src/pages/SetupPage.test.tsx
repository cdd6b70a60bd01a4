// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/i18n';
import { SetupPage } from './SetupPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

function renderSetup(lang: 'en' | 'fr' = 'en', onCreated = vi.fn(async () => {})) {
  history.replaceState(null, '', '/setup#tok3n');
  render(
    <I18nProvider lang={lang}>
      <SetupPage onCreated={onCreated} />
    </I18nProvider>,
  );
  return onCreated;
}

function fill(password: string, again: string) {
  fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Ada Admin' } });
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'admin@example.org' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.change(screen.getByLabelText('Repeat the password'), { target: { value: again } });
  fireEvent.click(screen.getByRole('button', { name: 'Create the account' }));
}

describe('SetupPage', () => {
  it('posts the token from the link with the account and signs in', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify({ id: 'u1' }), { status: 201 }));
    vi.stubGlobal('fetch', fetchMock);
    const onCreated = renderSetup();
    fill('first-password', 'first-password');
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1.0/setup/');
    expect(JSON.parse(init!.body as string)).toEqual({
      token: 'tok3n',
      email: 'admin@example.org',
      full_name: 'Ada Admin',
      password: 'first-password',
    });
  });

  it('refuses different passwords without asking the server', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderSetup();
    fill('first-password', 'other-password');
    expect(screen.getByRole('alert').textContent).toBe('The two passwords differ.');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows field errors and a closed setup', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ password: ['too short'] }), { status: 400 })));
    renderSetup();
    fill('first-password', 'first-password');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The password must have at least 8 characters.'));
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ detail: 'set up' }), { status: 404 })));
    fireEvent.click(screen.getByRole('button', { name: 'Create the account' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('This instance is already set up: sign in with your account.'));
  });

  it('speaks French', () => {
    renderSetup('fr');
    expect(screen.getByRole('heading').textContent).toBe('Configurer Meet');
  });
});
