import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  createLocalAudioTrack,
  createLocalTracks,
  createLocalVideoTrack,
  Room as LKRoom,
  Track,
  type LocalAudioTrack,
  type LocalTrack,
  type LocalVideoTrack,
} from 'livekit-client';
import { useSession } from '../auth/session';
import { ConnectionTestLink } from '../diagnostics/link';
import { applyAudioEffects, type NoiseState } from '../effects/audio';
import { BACKGROUND_IDS } from '../effects/backgrounds';
import { audioCapture, loadEffects, saveEffects, type EffectChoices } from '../effects/choices';
import { EffectsPanel } from '../effects/EffectsPanel';
import { useBackgroundUploads } from '../effects/useBackgroundUploads';
import { support } from '../effects/support';
import { videoController, type VideoEffectState } from '../effects/video';
import { useT } from '../i18n/i18n';
import { loadDisplayName, MAX_NAME, saveDisplayName } from '../lib/displayName';
import type { MediaControls } from '../settings/media';
import { SettingsDialog } from '../settings/SettingsDialog';
import { settingsStore, useSettings } from '../settings/useSettings';
import type { JoinChoices, PreviewTracks } from './choices';
import { Icon } from './icons';
import { joinLabel, recordingNotice, whoIsIn } from './preview';
import { useMicLevel } from './useMicLevel';
import { useRoomPreview } from './useRoomPreview';
import { captureResolution } from './videoQuality';

interface Props {
  slug: string;
  busy: boolean;
  error: string | null;
  /** Called with the choices and the open tracks, which the callee then owns. */
  onJoin: (choices: JoinChoices, tracks: PreviewTracks) => void;
}

export function PrejoinScreen({ slug, busy, error, onJoin }: Props) {
  const t = useT();
  const { user } = useSession();
  const [name, setName] = useState(() => loadDisplayName());
  const [audio, setAudio] = useState<LocalAudioTrack>();
  const [video, setVideo] = useState<LocalVideoTrack>();
  const [audioOn, setAudioOn] = useState(true);
  const [videoOn, setVideoOn] = useState(true);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [cams, setCams] = useState<MediaDeviceInfo[]>([]);
  const [micId, setMicId] = useState<string>();
  const [camId, setCamId] = useState<string>();
  const [mediaError, setMediaError] = useState<string | null>(null);
  // Set once opening a device has failed; until then an unopened device is
  // still expected to work (someone may click Join before the preview is up).
  const [failed, setFailed] = useState({ audio: false, video: false });
  const [nameMissing, setNameMissing] = useState(false);
  // Whether opening the devices has finished (successfully or not): until
  // then "no device" would be a false alarm while the camera starts.
  const [devicesReady, setDevicesReady] = useState(false);
  const videoEl = useRef<HTMLVideoElement>(null);
  // Tracks handed to onJoin are no longer this screen's to stop.
  const handedOver = useRef<PreviewTracks>({});
  const level = useMicLevel(audioOn ? audio : undefined);
  const [effects, setEffects] = useState<EffectChoices>(() => loadEffects(BACKGROUND_IDS));
  const uploads = useBackgroundUploads(effects.video, () => setEffects((e) => ({ ...e, video: { kind: 'none' } })));
  const [videoState, setVideoState] = useState<VideoEffectState>('off');
  const [noiseState, setNoiseState] = useState<NoiseState>();
  const [settings, updateSettings] = useSettings();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const preview = useRoomPreview(slug, !!user);
  const who = whoIsIn(preview);
  const recording = recordingNotice(preview);

  // Open camera and microphone once; release them when the screen goes.
  useEffect(() => {
    let live = true;
    let opened: LocalTrack[] = [];
    (async () => {
      // The devices and resolution chosen last time, if they are still there
      // (ideal, not exact: an unplugged device falls back to another).
      const saved = settingsStore().get();
      // The microphone's processing follows the effect choices (RNNoise
      // replaces the browser's own noise suppression).
      const fx = loadEffects(BACKGROUND_IDS);
      const audioOpts = {
        ...audioCapture(fx, fx.noiseSuppression && support().noise),
        ...(saved.audioInput ? { deviceId: { ideal: saved.audioInput } } : {}),
      };
      const videoOpts = { resolution: captureResolution(saved.videoQuality), ...(saved.videoInput ? { deviceId: { ideal: saved.videoInput } } : {}) };
      try {
        opened = await createLocalTracks({ audio: audioOpts, video: videoOpts });
      } catch (err) {
        setMediaError(err instanceof Error ? err.message : String(err));
        // One device may work without the other.
        for (const make of [() => createLocalAudioTrack(audioOpts), () => createLocalVideoTrack(videoOpts)]) {
          try {
            opened.push(await make());
          } catch {
            // Reported above.
          }
        }
      }
      if (!live) {
        opened.forEach((tr) => tr.stop());
        return;
      }
      for (const tr of opened) {
        if (tr.kind === Track.Kind.Audio) setAudio(tr as LocalAudioTrack);
        else setVideo(tr as LocalVideoTrack);
      }
      setFailed({
        audio: !opened.some((tr) => tr.kind === Track.Kind.Audio),
        video: !opened.some((tr) => tr.kind === Track.Kind.Video),
      });
      const [m, c] = await Promise.all([LKRoom.getLocalDevices('audioinput', false), LKRoom.getLocalDevices('videoinput', false)]);
      if (!live) return;
      setMics(m);
      setCams(c);
      setDevicesReady(true);
    })();
    return () => {
      live = false;
      const { audio: a, video: v } = handedOver.current;
      opened.filter((tr) => tr !== a && tr !== v).forEach((tr) => tr.stop());
    };
  }, []);

  useEffect(() => {
    const el = videoEl.current;
    if (!video || !el || !videoOn) return;
    video.attach(el);
    return () => void video.detach(el);
  }, [video, videoOn]);

  useEffect(() => {
    if (!video) return;
    if (videoOn) void video.unmute();
    else void video.mute();
  }, [video, videoOn]);
  useEffect(() => {
    if (!audio) return;
    if (audioOn) void audio.unmute();
    else void audio.mute();
  }, [audio, audioOn]);

  // The preview shows the chosen effects; the same tracks (and their processors) are handed to the call.
  useEffect(() => {
    if (!video || !videoOn || !support().video) return;
    void videoController(video, setVideoState).apply(effects.video);
  }, [video, videoOn, effects.video]);
  useEffect(() => {
    if (!audio) return;
    let live = true;
    void applyAudioEffects(audio, effects).then((s) => live && setNoiseState(s));
    return () => void (live = false);
    // Runs on any change of the choices: applying is a no-op when the microphone already matches.
  }, [audio, effects]);
  // An effect the device could not keep up with is unselected (the panel says why).
  useEffect(() => {
    if (videoState === 'slow') setEffects((e) => ({ ...e, video: { kind: 'none' } }));
  }, [videoState]);
  useEffect(() => saveEffects(effects), [effects]);

  async function pickMic(id: string) {
    setMicId(id);
    updateSettings({ audioInput: id });
    await audio?.setDeviceId(id);
  }
  async function pickCam(id: string) {
    setCamId(id);
    updateSettings({ videoInput: id });
    await video?.setDeviceId(id);
  }

  // The settings dialog acts on the preview tracks.
  const media = useMemo<MediaControls>(
    () => ({
      micTrack: audio,
      camTrack: videoOn ? video : undefined,
      micOn: audioOn && audio !== undefined,
      activeDevice: (kind) =>
        kind === 'audioinput'
          ? (micId ?? audio?.mediaStreamTrack.getSettings().deviceId)
          : kind === 'videoinput'
            ? (camId ?? video?.mediaStreamTrack.getSettings().deviceId)
            : (settings.audioOutput ?? undefined),
      async switchDevice(kind, id) {
        if (kind === 'audioinput') {
          setMicId(id);
          updateSettings({ audioInput: id });
          await audio?.setDeviceId(id);
        } else if (kind === 'videoinput') {
          setCamId(id);
          updateSettings({ videoInput: id });
          await video?.setDeviceId(id);
        } else updateSettings({ audioOutput: id });
      },
      async setQuality(q) {
        await video?.restartTrack({ resolution: captureResolution(q), deviceId: camId ?? video.mediaStreamTrack.getSettings().deviceId });
      },
    }),
    [audio, video, audioOn, videoOn, micId, camId, settings.audioOutput, updateSettings],
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    const username = user ? user.full_name || user.email : name.trim();
    if (!username) {
      setNameMissing(true);
      return;
    }
    if (!user) saveDisplayName(username);
    handedOver.current = { audio, video };
    onJoin(
      {
        username,
        audioEnabled: audioOn && !failed.audio,
        videoEnabled: videoOn && !failed.video,
        audioDeviceId: micId ?? audio?.getSourceTrackSettings().deviceId,
        videoDeviceId: camId ?? video?.getSourceTrackSettings().deviceId,
        effects,
      },
      handedOver.current,
    );
  }

  // The same picker sits in the page and in the settings dialog's Effects tab.
  const effectsPanel = (
    <EffectsPanel
      value={effects}
      onChange={setEffects}
      support={support()}
      videoState={videoState}
      noiseState={noiseState}
      cameraOff={!videoOn || failed.video}
      uploads={uploads}
    />
  );

  return (
    <main className="prejoin">
      <div className="preview">
        {video && videoOn ? (
          <video ref={videoEl} muted playsInline autoPlay className={settings.mirror ? 'mirror' : undefined} aria-label={t('prejoin.camera')} />
        ) : (
          <div className="preview-off">{videoOn && !devicesReady && !failed.video ? t('prejoin.starting') : t('prejoin.cameraOff')}</div>
        )}
        <label className="meter">
          <span className="visually-hidden">{t('prejoin.level')}</span>
          <meter min={0} max={1} value={level} aria-label={t('prejoin.level')} />
        </label>
      </div>
      <form className="card stack" onSubmit={submit} aria-labelledby="prejoin-title">
        <h1 id="prejoin-title">{t('prejoin.title')}</h1>
        <p className="muted">{t('prejoin.room', { slug })}</p>
        {recording && (
          <p className="prejoin-recording" role="status">
            <span className="rec-dot" aria-hidden="true" />
            <span>
              <strong>{t(recording.key)}</strong> {t('prejoin.recordingHint')}
            </span>
          </p>
        )}
        {who && (
          <p className="prejoin-who" aria-live="polite">
            {t(who.key, who.vars)}
          </p>
        )}
        {!user && (
          <label className="field">
            <span>{t('prejoin.name')}</span>
            <input
              name="username"
              autoComplete="name"
              maxLength={MAX_NAME}
              value={name}
              aria-invalid={nameMissing}
              onChange={(e) => (setName(e.target.value), setNameMissing(false))}
            />
          </label>
        )}
        {nameMissing && (
          <p className="error" role="alert">
            {t('prejoin.nameRequired')}
          </p>
        )}
        <div className="row wrap device-toggles">
          <button
            type="button"
            className="device-toggle"
            aria-pressed={audioOn && !failed.audio}
            disabled={failed.audio}
            onClick={() => setAudioOn((on) => !on)}
            aria-label={t('prejoin.microphone')}
          >
            {audioOn && !failed.audio ? t('prejoin.micOn') : t('prejoin.micOffShort')}
          </button>
          <button
            type="button"
            className="device-toggle"
            aria-pressed={videoOn && !failed.video}
            disabled={failed.video}
            onClick={() => setVideoOn((on) => !on)}
            aria-label={t('prejoin.camera')}
          >
            {videoOn && !failed.video ? t('prejoin.cameraOn') : t('prejoin.cameraOffShort')}
          </button>
          <button type="button" className="device-toggle settings-open" onClick={() => setSettingsOpen(true)} data-testid="prejoin-settings">
            <Icon name="gear" size={16} /> {t('prefs.open')}
          </button>
        </div>
        <DeviceSelect ready={devicesReady} label={t('prejoin.microphone')} devices={mics} value={micId ?? audio?.getSourceTrackSettings().deviceId} onChange={pickMic} />
        <DeviceSelect ready={devicesReady} label={t('prejoin.camera')} devices={cams} value={camId ?? video?.getSourceTrackSettings().deviceId} onChange={pickCam} />
        <details className="effects-details" data-testid="effects-details">
          <summary>{t('effects.title')}</summary>
          {effectsPanel}
        </details>
        {mediaError && (
          <p className="warning">
            {t('prejoin.blocked', { message: mediaError })} <ConnectionTestLink label="diag.prejoinLink" newTab />
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary big" disabled={busy}>
          {busy ? t('prejoin.joining') : t(joinLabel(preview))}
        </button>
      </form>
      {settingsOpen && (
        <SettingsDialog
          onClose={() => setSettingsOpen(false)}
          media={media}
          effects={effectsPanel}
          name={{
            value: user ? user.full_name || user.email : name,
            editable: !user,
            save: async (n) => {
              setName(n);
              setNameMissing(false);
              saveDisplayName(n);
            },
          }}
        />
      )}
    </main>
  );
}

function DeviceSelect(props: { ready: boolean; label: string; devices: MediaDeviceInfo[]; value?: string; onChange: (id: string) => void }) {
  const t = useT();
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value ?? ''} disabled={props.devices.length === 0} onChange={(e) => props.onChange(e.target.value)}>
        {props.devices.length === 0 && <option value="">{props.ready ? t('prejoin.noDevice') : t('common.loading')}</option>}
        {props.devices.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `${props.label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}
