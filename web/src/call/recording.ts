// The recording state every participant sees, read from the LiveKit room
// metadata the server maintains: recording_status (starting, started,
// saving) and recording_mode, both absent when nothing is recorded.

/** RecordingMode is what a recording produces. */
export type RecordingMode = 'screen_recording' | 'transcript';

/** RecordingStatus is the room's recording state as participants see it. */
export type RecordingStatus = 'idle' | 'starting' | 'started' | 'saving';

/** RecordingState is the parsed room metadata. */
export interface RecordingState {
  status: RecordingStatus;
  mode?: RecordingMode;
}

const STATUSES: readonly string[] = ['starting', 'started', 'saving'];

/** recordingFromMetadata parses the room metadata; anything unexpected reads as idle. */
export function recordingFromMetadata(metadata: string | undefined): RecordingState {
  if (!metadata) return { status: 'idle' };
  try {
    const m = JSON.parse(metadata) as Record<string, unknown>;
    if (!m || typeof m !== 'object') return { status: 'idle' };
    const status = typeof m.recording_status === 'string' && STATUSES.includes(m.recording_status) ? (m.recording_status as RecordingStatus) : 'idle';
    if (status === 'idle') return { status };
    const mode = m.recording_mode === 'transcript' || m.recording_mode === 'screen_recording' ? m.recording_mode : undefined;
    return mode ? { status, mode } : { status };
  } catch {
    return { status: 'idle' };
  }
}

/** isRecordingActive reports whether the call is being recorded or about to be (the indicator shows). */
export function isRecordingActive(s: RecordingState): boolean {
  return s.status !== 'idle';
}

/** RecordingChange is a transition worth a notice. */
export type RecordingChange = 'started' | 'stopped' | 'failed' | null;

/**
 * recordingChange reports the transition from prev to next worth telling
 * everyone: recording begins (started) or ends (idle after anything).
 * starting → started is one "started"; started → saving → idle one "stopped";
 * starting → idle is a recording that could not start.
 */
export function recordingChange(prev: RecordingState, next: RecordingState): RecordingChange {
  if (next.status === 'started' && prev.status !== 'started') return 'started';
  if (prev.status !== 'idle' && prev.status !== 'saving' && next.status === 'saving') return 'stopped';
  if (prev.status === 'starting' && next.status === 'idle') return 'failed';
  if (prev.status === 'started' && next.status === 'idle') return 'stopped';
  return null;
}

/** availableModes keeps the modes this front end knows, in the server's order. */
export function availableModes(fromConfig: readonly string[] | undefined): RecordingMode[] {
  return (fromConfig ?? ['screen_recording']).filter((m): m is RecordingMode => m === 'screen_recording' || m === 'transcript');
}
