// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Room } from '../api/types';
import { I18nProvider } from '../i18n/i18n';
import { AloneShareCard, MeetingInfo, meetingLink } from './MeetingInfo';

const remotes = vi.hoisted(() => ({ list: [] as unknown[] }));
vi.mock('@livekit/components-react', () => ({ useRemoteParticipants: () => remotes.list }));
vi.setConfig({ testTimeout: 20_000 });

const room: Room = { id: 'r1', slug: 'abc-defg-hij', access_level: 'public' };
const wrap = (ui: React.ReactNode) => render(<I18nProvider lang="en">{ui}</I18nProvider>);

beforeEach(() => {
  remotes.list = [];
});

it('builds the link from the origin and the slug', () => expect(meetingLink('abc-defg-hij', 'https://meet.example')).toBe('https://meet.example/abc-defg-hij'));

describe('AloneShareCard', () => {
  it('shows the link and code while alone, and goes once hidden', () => {
    wrap(<AloneShareCard room={room} />);
    expect((screen.getByLabelText('Meeting link') as HTMLInputElement).value).toBe(`${location.origin}/abc-defg-hij`);
    expect(screen.getByText('abc-defg-hij')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Invite by e-mail' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Hide' }));
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('is not shown once someone else is in the call, nor while the info panel covers it', () => {
    remotes.list = [{ identity: 'bob' }];
    const { unmount } = wrap(<AloneShareCard room={room} />);
    expect(screen.queryByRole('region')).toBeNull();
    unmount();
    remotes.list = [];
    wrap(<AloneShareCard room={room} covered />);
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('offers hosts the invitation panel', () => {
    const onMore = vi.fn();
    wrap(<AloneShareCard room={room} onMore={onMore} />);
    fireEvent.click(screen.getByRole('button', { name: 'Invite by e-mail' }));
    expect(onMore).toHaveBeenCalledOnce();
  });
});

describe('MeetingInfo', () => {
  it('has the invitation form for hosts only', () => {
    const { unmount } = wrap(<MeetingInfo room={room} canInvite={false} />);
    expect(screen.queryByLabelText('E-mail addresses')).toBeNull();
    unmount();
    wrap(<MeetingInfo room={room} canInvite />);
    expect(screen.getByLabelText('E-mail addresses')).toBeTruthy();
  });
});
