// The connection test's vocabulary: which checks exist, the states a check
// goes through and the result codes each one may end with. Free of React
// and of livekit-client so that the sequencing, the advice and the report
// are tested in Node.

/** CHECK_IDS lists the checks in the order they run and are shown. */
export const CHECK_IDS = ['browser', 'media', 'signalling', 'udp', 'tcp', 'turn', 'publishAudio', 'publishVideo', 'route'] as const;

/** CheckId names one check. */
export type CheckId = (typeof CHECK_IDS)[number];

/** Status is where a check stands; skipped covers "not offered" and "not run". */
export type Status = 'pending' | 'running' | 'passed' | 'warning' | 'failed' | 'skipped';

/** FinalStatus is the status of a finished check. */
export type FinalStatus = Exclude<Status, 'pending' | 'running'>;

/**
 * CODES lists every result a check may end with. Each has a sentence
 * (and, for problems, advice) in advice.ts.
 */
export const CODES = [
  'browser.ok',
  'browser.noWebRTC',
  'browser.noGetUserMedia',
  'browser.insecure',
  'media.ok',
  'media.noCamera',
  'media.noMicrophone',
  'media.none',
  'media.denied',
  'media.busy',
  'media.error',
  'signalling.ok',
  'signalling.insecure',
  'signalling.failed',
  'signalling.off',
  'signalling.token',
  'udp.ok',
  'udp.notDirect',
  'udp.blocked',
  'tcp.ok',
  'tcp.notOffered',
  'tcp.blocked',
  'turn.ok',
  'turn.noTls',
  'turn.notOffered',
  'turn.blocked',
  'publishAudio.ok',
  'publishAudio.silent',
  'publishAudio.noDevice',
  'publishAudio.failed',
  'publishVideo.ok',
  'publishVideo.black',
  'publishVideo.noDevice',
  'publishVideo.failed',
  'route.ok',
  'route.relayed',
  'route.slow',
  'route.none',
  'notRun',
  'timeout',
  'error',
] as const;

/** Code is one check result. */
export type Code = (typeof CODES)[number];

/** Vars fill the placeholders of a result's sentence and advice. */
export type Vars = Record<string, string | number>;

/** Outcome is what a finished check reports. */
export interface Outcome {
  status: FinalStatus;
  code: Code;
  vars?: Vars;
  /** Technical lines for the report (candidates, library messages). */
  log?: string[];
  /** Measurements other checks and the report may use. */
  data?: CheckData;
}

/** CheckData holds the measurements a check took. */
export interface CheckData {
  /** The candidate type of the local end of the selected pair (host, srflx, prflx, relay). */
  candidateType?: string;
  /** udp or tcp, from the browser's end of the selected pair. */
  protocol?: string;
  /** The transport to the TURN server when the selected candidate is relayed. */
  relayProtocol?: string;
  /** Median round-trip time to the media server, in milliseconds. */
  rttMs?: number;
  /** The media server's own candidates ("udp 192.0.2.1:7882"). */
  serverCandidates?: string[];
  /** The ICE servers the media server offered (turn:, turns:, stun: URLs). */
  iceServers?: string[];
  /** Devices found (camera and microphone labels, counts). */
  cameras?: number;
  microphones?: number;
}

/** CheckState is one row of the page and of the report. */
export interface CheckState {
  id: CheckId;
  status: Status;
  code?: Code;
  vars?: Vars;
  log: string[];
  data?: CheckData;
  /** How long the check took, in milliseconds. */
  ms?: number;
}

/** initialStates is every check, pending. */
export function initialStates(ids: readonly CheckId[] = CHECK_IDS): CheckState[] {
  return ids.map((id) => ({ id, status: 'pending', log: [] }));
}
