import { useId } from 'react';
import { useT } from '../i18n/i18n';
import { UploadNotes } from './UploadNotes';
import type { MessageKey } from '../i18n/dict';
import type { NoiseState } from './audio';
import { BACKGROUNDS } from './backgrounds';
import { sameVideoEffect, type EffectChoices, type VideoEffect } from './choices';
import type { Support } from './support';
import { UploadedTiles } from './UploadedTiles';
import type { BackgroundUploads } from './useBackgroundUploads';
import type { VideoEffectState } from './video';
import './effects.css';

interface Props {
  value: EffectChoices;
  onChange: (next: EffectChoices) => void;
  support: Support;
  /** State of the background effect on the camera, shown in plain words. */
  videoState: VideoEffectState;
  noiseState?: NoiseState;
  /** The camera is off: the choice applies when it comes back. */
  cameraOff?: boolean;
  /** The person's own images; absent when the server does not take uploads. */
  uploads?: BackgroundUploads | null;
}

const STATE_TEXT: Partial<Record<VideoEffectState, MessageKey>> = {
  starting: 'effects.starting',
  reduced: 'effects.reduced',
  slow: 'effects.slow',
  failed: 'effects.failed',
};

/**
 * EffectsPanel picks the camera background (none, light or strong blur, a
 * built-in image) and the microphone aids. It holds no state: the value comes
 * in and every change goes out through onChange.
 */
export function EffectsPanel({ value, onChange, support, videoState, noiseState, cameraOff, uploads }: Props) {
  const t = useT();
  const name = useId();
  const options: { effect: VideoEffect; label: string; thumb?: string; className: string }[] = [
    { effect: { kind: 'none' }, label: t('effects.none'), className: 'fx-none' },
    { effect: { kind: 'blur', strength: 'light' }, label: t('effects.blurLight'), className: 'fx-blur-light' },
    { effect: { kind: 'blur', strength: 'strong' }, label: t('effects.blurStrong'), className: 'fx-blur-strong' },
    ...BACKGROUNDS.map((b) => ({ effect: { kind: 'image', id: b.id } as VideoEffect, label: t(`effects.bg.${b.id}` as MessageKey), thumb: b.url, className: 'fx-image' })),
  ];
  const stateKey = STATE_TEXT[videoState];
  const set = (patch: Partial<EffectChoices>) => onChange({ ...value, ...patch });

  return (
    <div className="effects-panel" data-testid="effects-panel">
      <fieldset className="fx-group" disabled={!support.video}>
        <legend>{t('effects.background')}</legend>
        {!support.video && <p className="fx-note">{t('effects.videoUnsupported')}</p>}
        <div className="fx-grid">
          {options.map((o, i) => {
            const checked = sameVideoEffect(o.effect, value.video);
            return (
              <label key={i} className={`fx-tile ${o.className}`} data-checked={checked} title={o.label}>
                <input type="radio" name={name} checked={checked} onChange={() => set({ video: o.effect })} className="visually-hidden" />
                <span className="fx-thumb" aria-hidden="true" style={o.thumb ? { backgroundImage: `url(${o.thumb})` } : undefined} />
                <span className="fx-label">{o.label}</span>
              </label>
            );
          })}
          {uploads && <UploadedTiles uploads={uploads} name={name} value={value.video} choose={(video) => set({ video })} />}
        </div>
        {uploads && <UploadNotes uploads={uploads} />}
        {cameraOff && value.video.kind !== 'none' && <p className="fx-note">{t('effects.cameraOff')}</p>}
        <p className="fx-status" role="status" data-state={videoState}>
          {stateKey ? t(stateKey) : ''}
        </p>
      </fieldset>
      <fieldset className="fx-group">
        <legend>{t('effects.audio')}</legend>
        <label className="fx-switch" data-noise-state={noiseState}>
          <input
            type="checkbox"
            role="switch"
            checked={value.noiseSuppression && support.noise}
            disabled={!support.noise}
            onChange={(e) => set({ noiseSuppression: e.target.checked })}
          />
          <span>
            {t('effects.noise')}
            <small>{support.noise ? t('effects.noiseHint') : t('effects.noiseUnsupported')}</small>
          </span>
        </label>
        {noiseState === 'failed' && <p className="fx-note">{t('effects.noiseFailed')}</p>}
        <label className="fx-switch">
          <input type="checkbox" role="switch" checked={value.echoCancellation} onChange={(e) => set({ echoCancellation: e.target.checked })} />
          <span>{t('effects.echo')}</span>
        </label>
        <label className="fx-switch">
          <input type="checkbox" role="switch" checked={value.autoGainControl} onChange={(e) => set({ autoGainControl: e.target.checked })} />
          <span>{t('effects.gain')}</span>
        </label>
      </fieldset>
    </div>
  );
}
