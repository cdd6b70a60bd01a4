// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/i18n';
import { defaultEffects, type EffectChoices } from './choices';
import { EffectsPanel } from './EffectsPanel';
import type { Support } from './support';
import type { VideoEffectState } from './video';

function renderPanel(opts: { value?: EffectChoices; support?: Support; state?: VideoEffectState; lang?: 'en' | 'fr' } = {}) {
  const onChange = vi.fn();
  render(
    <I18nProvider lang={opts.lang ?? 'en'}>
      <EffectsPanel
        value={opts.value ?? defaultEffects}
        onChange={onChange}
        support={opts.support ?? { video: true, noise: true }}
        videoState={opts.state ?? 'off'}
      />
    </I18nProvider>,
  );
  return onChange;
}

describe('EffectsPanel', () => {
  it('offers no effect, two blurs and the built-in backgrounds, with the current one checked', () => {
    renderPanel({ value: { ...defaultEffects, video: { kind: 'blur', strength: 'strong' } } });
    const radios = screen.getAllByRole('radio');
    expect(radios).toHaveLength(8);
    expect((screen.getByLabelText('Strong blur') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('None') as HTMLInputElement).checked).toBe(false);
  });

  it('sends every change out and keeps the other choices', () => {
    const onChange = renderPanel();
    fireEvent.click(screen.getByLabelText('Light blur'));
    expect(onChange).toHaveBeenLastCalledWith({ ...defaultEffects, video: { kind: 'blur', strength: 'light' } });
    fireEvent.click(screen.getByLabelText('Seaside'));
    expect(onChange).toHaveBeenLastCalledWith({ ...defaultEffects, video: { kind: 'image', id: 'sea' } });
    fireEvent.click(screen.getByRole('switch', { name: /Noise suppression/ }));
    expect(onChange).toHaveBeenLastCalledWith({ ...defaultEffects, noiseSuppression: false });
    fireEvent.click(screen.getByRole('switch', { name: 'Echo cancellation' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...defaultEffects, echoCancellation: false });
  });

  it('says plainly when the effect was turned off for a slow device', () => {
    renderPanel({ state: 'slow', lang: 'fr' });
    expect(screen.getByRole('status').textContent).toBe('L’effet d’arrière-plan a été désactivé, car votre appareil n’arrivait pas à suivre.');
  });

  it('disables what the browser cannot run and says so', () => {
    renderPanel({ support: { video: false, noise: false } });
    expect(screen.getByText('Background effects are not available in this browser.')).toBeTruthy();
    // The fieldset is disabled, which disables every radio in it.
    for (const r of screen.getAllByRole('radio')) expect(r.matches(':disabled')).toBe(true);
    const noise = screen.getByRole('switch', { name: /Noise suppression/ }) as HTMLInputElement;
    expect(noise.disabled).toBe(true);
    expect(noise.checked).toBe(false);
  });
});
