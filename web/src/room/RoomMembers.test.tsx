// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomAccess } from '../api/types';
import { SessionProvider } from '../auth/session';
import { I18nProvider } from '../i18n/i18n';
import { RoomMembers } from './RoomMembers';

const me = { id: 'u-me', email: 'olive@example.com', full_name: 'Olive Owner', short_name: 'Olive' };
const leo = { id: 'u-leo', email: 'leo@example.com', full_name: 'Leo Member', short_name: 'Leo' };
const ana = { id: 'u-ana', email: 'ana@example.com', full_name: 'Ana Admin', short_name: 'Ana' };

type Handler = (url: string, init?: RequestInit) => Response | undefined;

/** serve answers the session's calls and the room's accesses, then asks handler for the rest. */
function serve(accesses: () => RoomAccess[], handler: Handler = () => undefined) {
  const fn = vi.fn(async (url: string, init?: RequestInit) => {
    if (url.endsWith('/config/')) return new Response('{}', { status: 200 });
    if (url.endsWith('/users/me/')) return new Response(JSON.stringify(me), { status: 200 });
    const h = handler(url, init);
    if (h) return h;
    if (url === '/api/v1.0/rooms/r1/' && (init?.method ?? 'GET') === 'GET')
      return new Response(JSON.stringify({ id: 'r1', slug: 'abc-defg-hij', access_level: 'restricted', accesses: accesses() }), { status: 200 });
    return new Response(JSON.stringify({ detail: `unexpected ${init?.method ?? 'GET'} ${url}` }), { status: 599 });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

const acc = (id: string, user: typeof me, role: RoomAccess['role']): RoomAccess => ({ id, user, resource: 'r1', role });

function renderMembers() {
  render(
    <I18nProvider lang="en">
      <SessionProvider>
        <RoomMembers roomId="r1" />
      </SessionProvider>
    </I18nProvider>,
  );
}

const calls = (fn: ReturnType<typeof serve>, method: string) =>
  fn.mock.calls.filter(([, init]) => (init?.method ?? 'GET') === method).map(([url, init]) => [url, init?.body ? JSON.parse(init.body as string) : undefined]);

// The machine the tests share can be slow: rendering with jsdom takes seconds there.
vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.unstubAllGlobals());

describe('RoomMembers', () => {
  it('lists members, owners first, and locks other rows only where the server would refuse', async () => {
    serve(() => [acc('a-leo', leo, 'member'), acc('a-me', me, 'owner')]);
    renderMembers();
    const leoRole = (await screen.findByLabelText('Role of Leo Member')) as HTMLSelectElement;
    expect(leoRole.value).toBe('member');
    expect(leoRole.disabled).toBe(false);
    expect([...leoRole.options].map((o) => o.value)).toEqual(['member', 'administrator', 'owner']);
    const names = [...document.querySelectorAll('.member-name')].map((n) => n.textContent);
    expect(names).toEqual(['Olive Owner (you)', 'Leo Member ']);
  });

  it('adds an existing account found by its exact e-mail, with the chosen role', async () => {
    let list = [acc('a-me', me, 'owner')];
    const fn = serve(
      () => list,
      (url, init) => {
        if (url === '/api/v1.0/users/?q=ana%40example.com')
          return new Response(JSON.stringify({ count: 2, next: null, previous: null, results: [{ ...leo, email: 'ana.b@example.com' }, ana] }), { status: 200 });
        if (url === '/api/v1.0/resource-accesses/' && init?.method === 'POST') {
          list = [...list, acc('a-ana', ana, 'administrator')];
          return new Response(JSON.stringify({ id: 'a-ana', user: ana.id, resource: 'r1', role: 'administrator' }), { status: 201 });
        }
      },
    );
    renderMembers();
    await screen.findByLabelText('Role of Olive Owner');
    fireEvent.change(screen.getByLabelText('Add a person by e-mail'), { target: { value: ' ana@example.com ' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'administrator' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('ana@example.com was added.'));
    expect(calls(fn, 'POST')).toEqual([['/api/v1.0/resource-accesses/', { user: 'u-ana', resource: 'r1', role: 'administrator' }]]);
    expect(((await screen.findByLabelText('Role of Ana Admin')) as HTMLSelectElement).value).toBe('administrator');
  });

  it('says plainly when no account has that e-mail, and creates nothing', async () => {
    const fn = serve(
      () => [acc('a-me', me, 'owner')],
      (url) => (url.startsWith('/api/v1.0/users/') ? new Response(JSON.stringify({ count: 0, next: null, previous: null, results: [] }), { status: 200 }) : undefined),
    );
    renderMembers();
    await screen.findByLabelText('Role of Olive Owner');
    fireEvent.change(screen.getByLabelText('Add a person by e-mail'), { target: { value: 'zoe@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^No account was found for zoe@example.com/));
    expect(calls(fn, 'POST')).toEqual([]);
  });

  it('refuses a malformed address and a present member without asking the server', async () => {
    const fn = serve(() => [acc('a-me', me, 'owner'), acc('a-leo', leo, 'member')]);
    renderMembers();
    await screen.findByLabelText('Role of Leo Member');
    fireEvent.change(screen.getByLabelText('Add a person by e-mail'), { target: { value: 'leo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert').textContent).toBe('Enter a valid e-mail address.');
    fireEvent.change(screen.getByLabelText('Add a person by e-mail'), { target: { value: 'LEO@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert').textContent).toBe('LEO@example.com is already a member.');
    expect(fn.mock.calls.filter(([url]) => String(url).includes('/users/?'))).toEqual([]);
  });

  it('changes a role and removes a member', async () => {
    let list = [acc('a-me', me, 'owner'), acc('a-leo', leo, 'member')];
    const fn = serve(
      () => list,
      (url, init) => {
        if (url === '/api/v1.0/resource-accesses/a-leo/' && init?.method === 'PATCH') {
          list = [list[0], acc('a-leo', leo, 'administrator')];
          return new Response(JSON.stringify({ id: 'a-leo', user: leo.id, resource: 'r1', role: 'administrator' }), { status: 200 });
        }
        if (url === '/api/v1.0/resource-accesses/a-leo/' && init?.method === 'DELETE') {
          list = [list[0]];
          return new Response(null, { status: 204 });
        }
      },
    );
    renderMembers();
    fireEvent.change(await screen.findByLabelText('Role of Leo Member'), { target: { value: 'administrator' } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Leo Member is now Administrator.'));
    expect(calls(fn, 'PATCH')).toEqual([['/api/v1.0/resource-accesses/a-leo/', { role: 'administrator' }]]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove Leo Member' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Leo Member was removed.'));
    expect(screen.queryByLabelText('Role of Leo Member')).toBeNull();
  });

  it('explains a refusal in plain words', async () => {
    serve(
      () => [acc('a-me', me, 'administrator'), acc('a-leo', leo, 'member')],
      (_url, init) =>
        init?.method === 'DELETE' ? new Response(JSON.stringify({ detail: 'You do not have permission to perform this action.' }), { status: 403 }) : undefined,
    );
    renderMembers();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Leo Member' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('You are not allowed to make this change.'));
    expect(screen.getByLabelText('Role of Leo Member')).toBeTruthy();
  });
});
