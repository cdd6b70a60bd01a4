import { useEffect, useId, useRef, useState } from 'react';
import type { MessageKey } from '../i18n/dict';
import { useT } from '../i18n/i18n';
import { useMicLevel } from '../room/useMicLevel';
import { useDevices, type MediaControls } from './media';
import { canChooseSpeaker, playSound } from './sounds';
import { VIDEO_QUALITIES, type VideoQuality } from './store';
import { useSettings } from './useSettings';

function DevicePicker({ kind, label, media }: { kind: MediaDeviceKind; label: string; media: MediaControls }) {
  const t = useT();
  const id = useId();
  const devices = useDevices(kind);
  const [settings] = useSettings();
  const stored = kind === 'audioinput' ? settings.audioInput : kind === 'videoinput' ? settings.videoInput : settings.audioOutput;
  const [error, setError] = useState<string | null>(null);
  const active = media.activeDevice(kind) ?? stored ?? '';
  const value = devices?.some((d) => d.deviceId === active) ? active : (devices?.[0]?.deviceId ?? '');

  async function change(deviceId: string) {
    setError(null);
    try {
      await media.switchDevice(kind, deviceId);
    } catch (err) {
      setError(t('prefs.deviceFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
  }

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={!devices || devices.length === 0} onChange={(e) => void change(e.target.value)} data-kind={kind}>
        {(!devices || devices.length === 0) && <option value="">{devices ? t('prejoin.noDevice') : t('common.loading')}</option>}
        {devices?.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** AudioTab: microphone with its level, speaker with a test sound, push-to-talk. */
export function AudioTab({ media }: { media: MediaControls }) {
  const t = useT();
  const [settings, update] = useSettings();
  const level = useMicLevel(media.micOn ? media.micTrack : undefined);
  const [playing, setPlaying] = useState(false);

  async function test() {
    setPlaying(true);
    try {
      await playSound('test', settings.audioOutput ?? '');
    } finally {
      setPlaying(false);
    }
  }

  return (
    <div className="stack">
      <h3>{t('prefs.audio')}</h3>
      <DevicePicker kind="audioinput" label={t('prejoin.microphone')} media={media} />
      <div className="level-row">
        <meter min={0} max={1} value={level} aria-label={t('prejoin.level')} className="level" />
        {!media.micOn && <span className="muted small">{t('prefs.micOffNoLevel')}</span>}
      </div>
      {canChooseSpeaker() ? <DevicePicker kind="audiooutput" label={t('prefs.speaker')} media={media} /> : <p className="muted small">{t('prefs.speakerUnsupported')}</p>}
      <div className="row">
        <button type="button" className="btn secondary small" onClick={() => void test()} disabled={playing}>
          {playing ? t('prefs.playing') : t('prefs.testSound')}
        </button>
      </div>
      <label className="toggle">
        <input type="checkbox" checked={settings.pushToTalk} onChange={(e) => update({ pushToTalk: e.target.checked })} />
        <span>{t('prefs.pushToTalk')}</span>
      </label>
    </div>
  );
}

const QUALITY_LABELS: Record<VideoQuality, MessageKey> = {
  high: 'prefs.qualityHigh',
  standard: 'prefs.qualityStandard',
  low: 'prefs.qualityLow',
};

/** VideoTab: camera with a preview, the resolution sent, and the mirrored self-view. */
export function VideoTab({ media }: { media: MediaControls }) {
  const t = useT();
  const [settings, update] = useSettings();
  const video = useRef<HTMLVideoElement>(null);
  const track = media.camTrack;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = video.current;
    if (!track || !el) return;
    track.attach(el);
    return () => void track.detach(el);
  }, [track]);

  async function quality(q: VideoQuality) {
    update({ videoQuality: q });
    setError(null);
    try {
      await media.setQuality(q);
    } catch (err) {
      setError(t('prefs.deviceFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
  }

  return (
    <div className="stack">
      <h3>{t('prefs.video')}</h3>
      <DevicePicker kind="videoinput" label={t('prejoin.camera')} media={media} />
      <div className="settings-preview">
        {track ? (
          <video ref={video} muted playsInline autoPlay className={settings.mirror ? 'mirror' : undefined} aria-label={t('prefs.preview')} />
        ) : (
          <p className="muted small">{t('prejoin.cameraOff')}</p>
        )}
      </div>
      <fieldset>
        <legend>{t('prefs.quality')}</legend>
        {VIDEO_QUALITIES.map((q) => (
          <label key={q} className="choice">
            <input type="radio" name="video-quality" value={q} checked={settings.videoQuality === q} onChange={() => void quality(q)} />
            <span>{t(QUALITY_LABELS[q])}</span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <label className="toggle">
        <input type="checkbox" checked={settings.mirror} onChange={(e) => update({ mirror: e.target.checked })} />
        <span>{t('prefs.mirror')}</span>
      </label>
    </div>
  );
}
