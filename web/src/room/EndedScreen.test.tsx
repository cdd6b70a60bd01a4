// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/i18n';
import { EndedScreen } from './EndedScreen';

function renderEnded(reason: string | undefined, lang: 'en' | 'fr' = 'en') {
  const onRejoin = vi.fn();
  render(
    <I18nProvider lang={lang}>
      <EndedScreen reason={reason} onRejoin={onRejoin} />
    </I18nProvider>,
  );
  return onRejoin;
}

describe('EndedScreen', () => {
  it('tells a removed participant so, without a rejoin button', () => {
    renderEnded('PARTICIPANT_REMOVED');
    expect(screen.getByRole('heading').textContent).toBe('You were removed from the call');
    expect(screen.queryByRole('button', { name: 'Rejoin' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Back to home' })).toBeTruthy();
  });
  it('says in French that another tab took over', () => {
    renderEnded('DUPLICATE_IDENTITY', 'fr');
    expect(screen.getByText('Vous avez rejoint cette réunion depuis un autre onglet ou appareil.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Rejoindre à nouveau' })).toBeTruthy();
  });
  it('never shows a raw connection error', () => {
    renderEnded('could not establish pc connection');
    expect(screen.queryByText(/pc connection/)).toBeNull();
    expect(screen.getByText('Could not connect to the meeting. Check your connection and try again.')).toBeTruthy();
  });
  it('is a plain "you left" after leaving', () => {
    renderEnded(undefined);
    expect(screen.getByRole('heading').textContent).toBe('You left the meeting');
  });
});
