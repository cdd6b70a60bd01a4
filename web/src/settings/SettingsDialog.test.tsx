// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useEffect, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { updateMe } from '../api/endpoints';
import { apiLanguage, I18nProvider, useI18n } from '../i18n/i18n';
import type { MediaControls } from './media';
import { SettingsDialog } from './SettingsDialog';
import { ShortcutHelp } from './ShortcutList';

const session = vi.hoisted(() => ({ user: null as User | null }));
vi.mock('../auth/session', () => ({ useSession: () => ({ user: session.user, config: null, loading: false, error: null }) }));

const media: MediaControls = {
  micOn: false,
  activeDevice: () => undefined,
  switchDevice: vi.fn(async () => {}),
  setQuality: vi.fn(async () => {}),
};

// The session provider (mocked here) hands the signed-in account to the
// language provider; this does the same for the mocked session.
function FollowAccount() {
  const { followAccount } = useI18n();
  useEffect(() => {
    const user = session.user;
    followAccount(user ? { language: user.language, save: (l) => updateMe(user.id, { language: apiLanguage(l) }) } : null);
  }, [followAccount]);
  return null;
}

function Harness({ help = false }: { help?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <I18nProvider lang="en">
      <FollowAccount />
      <button type="button" onClick={() => setOpen(true)}>
        open
      </button>
      {open &&
        (help ? (
          <ShortcutHelp onClose={() => setOpen(false)} />
        ) : (
          <SettingsDialog onClose={() => setOpen(false)} media={media} name={{ value: 'Ann', editable: true, save: async () => {} }} effects={<p>effects here</p>} />
        ))}
    </I18nProvider>
  );
}

function open() {
  const opener = screen.getByRole('button', { name: 'open' });
  opener.focus();
  fireEvent.click(opener);
  return opener;
}

beforeEach(() => {
  session.user = null;
  localStorage.clear();
});
afterEach(() => vi.unstubAllGlobals());

// The first test pays for loading the dialog's modules: generous on a busy machine.
describe('SettingsDialog', { timeout: 20_000 }, () => {
  it('moves between tabs with the arrow keys, shows the Effects slot, and closes on Escape with focus back on the opener', () => {
    render(<Harness />);
    const opener = open();
    const account = screen.getByRole('tab', { name: 'Account' });
    expect(document.activeElement).toBe(account);
    expect(account.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(account, { key: 'ArrowDown' });
    expect(screen.getByRole('tab', { name: 'Audio' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Audio' }));
    expect(screen.getByRole('tabpanel').getAttribute('data-tab')).toBe('audio');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(screen.getByRole('tabpanel').getAttribute('data-tab')).toBe('shortcuts');
    expect(screen.getByRole('rowheader', { name: 'Turn the microphone on or off' })).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Effects' }));
    expect(screen.getByText('effects here')).toBeTruthy();
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab inside the dialog', () => {
    render(<Harness help />);
    open();
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const close = screen.getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab' });
    expect(document.activeElement).toBe(close); // the only stop: it wraps onto itself
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
  });

  it('a guest’s language applies and stays in this browser, with no request', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(<Harness />);
    open();
    act(() => {
      fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    });
    expect(screen.getByRole('dialog', { name: 'Paramètres' })).toBeTruthy();
    expect(screen.getByText('Mémorisée dans ce navigateur.')).toBeTruthy();
    expect(JSON.parse(localStorage.getItem('meet.settings')!).language).toBe('fr');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('a signed-in user’s language is saved to the account', async () => {
    session.user = { id: 'u1', email: 'ann@example.com', full_name: 'Ann', short_name: 'Ann', language: 'en-us' };
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify({ ...session.user, language: 'fr-fr' }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    render(<Harness />);
    open();
    act(() => {
      fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Langue enregistrée dans votre compte.'));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1.0/users/u1/');
    expect(init?.method).toBe('PATCH');
    expect(JSON.parse(String(init?.body))).toEqual({ language: 'fr-fr' });
  });

  it('a refused save says so, in the new language', async () => {
    session.user = { id: 'u1', email: 'ann@example.com', full_name: 'Ann', short_name: 'Ann' };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ language: ['"xx" is not a valid choice.'] }), { status: 400 })));
    render(<Harness />);
    open();
    act(() => {
      fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('n’a pas pu être enregistrée'));
  });
});
