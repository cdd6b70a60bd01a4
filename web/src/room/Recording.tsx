import { useEffect, useState } from 'react';
import { useParticipants, useRoomInfo } from '@livekit/components-react';
import { startRecording, stopRecording } from '../api/incall';
import { isHostRole } from '../call/moderation';
import { isRecordingActive, recordingFromMetadata, type RecordingMode, type RecordingState } from '../call/recording';
import { useT } from '../i18n/i18n';
import { useCall } from './CallContext';
import { Icon } from './icons';
import { usePopup } from './usePopup';

/** useRecording follows the room's recording state (room metadata). */
export function useRecording(): RecordingState {
  const { metadata } = useRoomInfo();
  return recordingFromMetadata(metadata);
}

/** RecordingIndicator is the persistent badge everyone sees while a recording runs. */
export function RecordingIndicator({ state }: { state: RecordingState }) {
  const t = useT();
  if (!isRecordingActive(state)) return null;
  const text =
    state.status === 'starting'
      ? t('rec.indicatorStarting')
      : state.status === 'saving'
        ? t('rec.indicatorSaving')
        : state.mode === 'transcript'
          ? t('rec.indicatorTranscript')
          : t('rec.indicator');
  return (
    <div className="recording-indicator" role="status" data-status={state.status}>
      <span className="dot" aria-hidden="true" />
      {text}
    </div>
  );
}

/**
 * RecordingControl is the control bar's record button. Hosts choose a mode
 * (when the server offers more than one), start and stop; others may ask
 * the hosts to start one.
 */
export function RecordingControl({ state }: { state: RecordingState }) {
  const t = useT();
  const call = useCall();
  const participants = useParticipants();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<RecordingMode>(call.recordingModes[0] ?? 'screen_recording');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { root, button } = usePopup(open, () => setOpen(false));
  const active = isRecordingActive(state);

  // Close the chooser once the recording actually starts.
  useEffect(() => {
    if (state.status === 'started') setOpen(false);
  }, [state.status]);

  if (!call.roomId || call.recordingModes.length === 0) return null;

  async function start() {
    setBusy(true);
    setError(null);
    try {
      await startRecording(call.roomId!, mode);
    } catch (err) {
      setError(t('rec.error', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }
  async function stop() {
    setBusy(true);
    setError(null);
    try {
      await stopRecording(call.roomId!);
      setOpen(false);
    } catch (err) {
      setError(t('rec.stopError', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }
  function ask() {
    const hosts = participants.filter((p) => !p.isLocal && isHostRole(p.attributes.room_role)).map((p) => p.identity);
    call.send({ type: 'recordingRequest' }, hosts);
    call.notify({ text: t('rec.requestSent'), key: 'rec-request' });
    setOpen(false);
  }

  if (!call.isHost && active) return null;
  if (call.isHost && active) {
    return (
      <button type="button" className="lk-button record-button" aria-pressed="true" disabled={busy || state.status === 'saving'} onClick={() => void stop()} title={t('rec.stop')}>
        <Icon name="stop" />
        <span className="label">{busy ? t('rec.stopping') : t('rec.stop')}</span>
      </button>
    );
  }
  return (
    <div className="recording-control" ref={root}>
      <button ref={button} type="button" className="lk-button record-button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen((o) => !o)} aria-label={t('rec.button')} title={t('rec.button')}>
        <Icon name="record" />
        <span className="label">{t('rec.button')}</span>
      </button>
      {open && (
        <div className="menu-popover recording-popover stack" role="dialog" aria-label={t('rec.title')}>
          <h3>{t('rec.title')}</h3>
          {call.isHost ? (
            <>
              {call.recordingModes.length > 1 && (
                <fieldset className="stack">
                  {call.recordingModes.map((m) => (
                    <label key={m} className="choice">
                      <input type="radio" name="recording-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                      <span>
                        <strong>{t(`rec.mode.${m}`)}</strong>
                        <br />
                        <span className="muted small">{t(`rec.mode.${m}.hint`)}</span>
                      </span>
                    </label>
                  ))}
                </fieldset>
              )}
              <p className="muted small">{t('rec.hint')}</p>
              <button type="button" className="btn primary" disabled={busy || state.status !== 'idle'} onClick={() => void start()}>
                {busy || state.status === 'starting' ? t('rec.asking') : t('rec.start')}
              </button>
            </>
          ) : (
            <button type="button" className="btn primary" onClick={ask}>
              {t('rec.request')}
            </button>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
