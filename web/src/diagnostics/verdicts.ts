// Turns what the browser measured into a check's outcome: plain data in,
// status and result code out. The measuring itself is in probes.ts.
import type { CheckData, CheckId, CheckState, Outcome } from './model';

/** Capabilities is what the browser offers for calls. */
export interface Capabilities {
  secureContext: boolean;
  rtcPeerConnection: boolean;
  getUserMedia: boolean;
  webSocket: boolean;
}

/** browserOutcome judges whether the browser can take part in calls at all. */
export function browserOutcome(c: Capabilities): Outcome {
  if (!c.rtcPeerConnection || !c.webSocket) return { status: 'failed', code: 'browser.noWebRTC' };
  if (!c.secureContext) return { status: 'failed', code: 'browser.insecure' };
  if (!c.getUserMedia) return { status: 'failed', code: 'browser.noGetUserMedia' };
  return { status: 'passed', code: 'browser.ok' };
}

/** DeviceResult is how opening one kind of device went (a DOMException name when it failed). */
export type DeviceResult = { ok: true; label: string } | { ok: false; error: string; message?: string };

/** mediaOutcome judges the camera and the microphone together. */
export function mediaOutcome(mic: DeviceResult, cam: DeviceResult): Outcome {
  const data: CheckData = { microphones: mic.ok ? 1 : 0, cameras: cam.ok ? 1 : 0 };
  const log = [mic.ok ? `microphone: ${mic.label}` : `microphone: ${mic.error} ${mic.message ?? ''}`.trim(), cam.ok ? `camera: ${cam.label}` : `camera: ${cam.error} ${cam.message ?? ''}`.trim()];
  if (mic.ok && cam.ok) return { status: 'passed', code: 'media.ok', vars: { microphone: mic.label, camera: cam.label }, data, log };
  const errs = [mic, cam].filter((r): r is Extract<DeviceResult, { ok: false }> => !r.ok).map((r) => r.error);
  if (errs.some((e) => e === 'NotAllowedError' || e === 'SecurityError' || e === 'PermissionDeniedError')) {
    return { status: 'failed', code: 'media.denied', data, log };
  }
  if (errs.some((e) => e === 'NotReadableError' || e === 'TrackStartError' || e === 'AbortError')) {
    return { status: 'failed', code: 'media.busy', data, log };
  }
  const missing = (r: DeviceResult) => !r.ok && (r.error === 'NotFoundError' || r.error === 'DevicesNotFoundError' || r.error === 'OverconstrainedError');
  if (missing(mic) && missing(cam)) return { status: 'failed', code: 'media.none', data, log };
  if (mic.ok && missing(cam)) return { status: 'warning', code: 'media.noCamera', data, log };
  if (cam.ok && missing(mic)) return { status: 'warning', code: 'media.noMicrophone', data, log };
  const other = [mic, cam].find((r): r is Extract<DeviceResult, { ok: false }> => !r.ok);
  return { status: 'failed', code: 'media.error', vars: { message: other?.message || other?.error || '' }, data, log };
}

/** ServerCandidate is one ICE candidate the media server offered. */
export interface ServerCandidate {
  protocol: string;
  address: string;
  port: number;
  type: string;
  tcpType?: string;
}

/** Probe is what one connection attempt to the media server found. */
export interface Probe {
  connected: boolean;
  error?: string;
  /** The browser's end of the selected candidate pair. */
  pair?: { candidateType: string; protocol: string; relayProtocol?: string };
  rttMs?: number;
  serverCandidates: ServerCandidate[];
  iceServers: string[];
}

function probeData(p: Probe): CheckData {
  return {
    candidateType: p.pair?.candidateType,
    protocol: p.pair?.protocol,
    relayProtocol: p.pair?.relayProtocol,
    rttMs: p.rttMs,
    serverCandidates: p.serverCandidates.map(describeCandidate),
    iceServers: p.iceServers,
  };
}

function describeCandidate(c: ServerCandidate): string {
  return `${c.protocol} ${c.address}:${c.port} ${c.type}${c.tcpType ? ` ${c.tcpType}` : ''}`;
}

function probeLog(p: Probe): string[] {
  const log = p.serverCandidates.map((c) => `server candidate: ${describeCandidate(c)}`);
  if (p.iceServers.length) log.push(`ICE servers: ${p.iceServers.join(', ')}`);
  if (p.pair) log.push(`selected: ${p.pair.candidateType} ${p.pair.protocol}${p.pair.relayProtocol ? ` (relay over ${p.pair.relayProtocol})` : ''}`);
  if (p.rttMs !== undefined) log.push(`round trip: ${p.rttMs} ms`);
  if (p.error) log.push(`error: ${p.error}`);
  return log;
}

/** portsOf lists the distinct ports of the server's candidates of one protocol ("7882", "7881, 7882"). */
export function portsOf(p: Probe, protocol: 'udp' | 'tcp'): string {
  const ports = [...new Set(p.serverCandidates.filter((c) => c.protocol === protocol).map((c) => c.port))].sort((a, b) => a - b);
  return ports.join(', ');
}

/** addressesOf lists the distinct addresses of the server's candidates of one protocol, or fallback when there are none. */
export function addressesOf(p: Probe, protocol: 'udp' | 'tcp', fallback: string): string {
  const list = [...new Set(p.serverCandidates.filter((c) => c.protocol === protocol && c.type !== 'relay').map((c) => c.address))];
  return list.join(', ') || fallback;
}

/** udpOutcome judges a connection attempt that may use anything but a relay. */
export function udpOutcome(p: Probe, host: string): Outcome {
  const base = { data: probeData(p), log: probeLog(p) };
  const ports = portsOf(p, 'udp') || '?';
  host = addressesOf(p, 'udp', host);
  if (!p.connected) return { status: 'failed', code: 'udp.blocked', vars: { host, ports }, ...base };
  if (p.pair?.protocol === 'udp' && p.pair.candidateType !== 'relay') return { status: 'passed', code: 'udp.ok', vars: { rtt: p.rttMs ?? '?' }, ...base };
  return { status: 'warning', code: 'udp.notDirect', vars: { host, ports }, ...base };
}

/** tcpOutcome judges a connection forced onto ICE over TCP. */
export function tcpOutcome(p: Probe, host: string): Outcome {
  const base = { data: probeData(p), log: probeLog(p) };
  const tcp = p.serverCandidates.filter((c) => c.protocol === 'tcp');
  if (!tcp.length) return { status: 'skipped', code: 'tcp.notOffered', ...base };
  if (p.connected && p.pair?.protocol === 'tcp') return { status: 'passed', code: 'tcp.ok', vars: { rtt: p.rttMs ?? '?' }, ...base };
  return { status: 'failed', code: 'tcp.blocked', vars: { host: addressesOf(p, 'tcp', host), ports: portsOf(p, 'tcp') }, ...base };
}

/** turnServers lists the turn: and turns: URLs among the offered ICE servers. */
export function turnServers(iceServers: readonly string[]): string[] {
  return iceServers.filter((u) => u.startsWith('turn:') || u.startsWith('turns:'));
}

/** turnOutcome judges a connection allowed to use relayed candidates only. */
export function turnOutcome(p: Probe): Outcome {
  const base = { data: probeData(p), log: probeLog(p) };
  const servers = turnServers(p.iceServers);
  if (!servers.length) return { status: 'skipped', code: 'turn.notOffered', ...base };
  const list = servers.map(turnAddress).join(', ');
  if (!p.connected || p.pair?.candidateType !== 'relay') return { status: 'failed', code: 'turn.blocked', vars: { servers: list }, ...base };
  if (!servers.some((u) => u.startsWith('turns:'))) return { status: 'passed', code: 'turn.noTls', vars: { rtt: p.rttMs ?? '?' }, ...base };
  return { status: 'passed', code: 'turn.ok', vars: { rtt: p.rttMs ?? '?' }, ...base };
}

/** turnAddress makes a TURN URL readable for a network administrator: "turn:h:3478?transport=udp" → "h:3478 (UDP)". */
export function turnAddress(url: string): string {
  const m = /^(turns?):([^?]+)(?:\?transport=(\w+))?/.exec(url);
  if (!m) return url;
  const transport = m[1] === 'turns' ? 'TLS' : (m[3] ?? 'udp').toUpperCase();
  return `${m[2]} (${transport})`;
}

/** LibraryCheck is a livekit-client check's result, reduced to what matters here. */
export interface LibraryCheck {
  status: 'success' | 'failed' | 'skipped';
  messages: { level: 'info' | 'warning' | 'error'; message: string }[];
}

function libLog(c: LibraryCheck): string[] {
  return c.messages.map((m) => `${m.level}: ${m.message}`);
}

/** signallingOutcome judges livekit-client's WebSocket check. */
export function signallingOutcome(c: LibraryCheck, host: string, secure: boolean): Outcome {
  if (c.status !== 'success') return { status: 'failed', code: 'signalling.failed', vars: { host }, log: libLog(c) };
  if (!secure) return { status: 'warning', code: 'signalling.insecure', vars: { host }, log: libLog(c) };
  return { status: 'passed', code: 'signalling.ok', vars: { host }, log: libLog(c) };
}

/** publishOutcome judges livekit-client's audio or video publishing check. */
export function publishOutcome(kind: 'audio' | 'video', c: LibraryCheck, hasDevice: boolean): Outcome {
  const log = libLog(c);
  if (!hasDevice) return { status: 'skipped', code: kind === 'audio' ? 'publishAudio.noDevice' : 'publishVideo.noDevice', log };
  const packets = c.messages.map((m) => /published (\d+) \w+ packets/.exec(m.message)?.[1]).find(Boolean);
  if (c.status === 'success') {
    return { status: 'passed', code: kind === 'audio' ? 'publishAudio.ok' : 'publishVideo.ok', vars: { packets: packets ?? '?' }, log };
  }
  const errors = c.messages.filter((m) => m.level === 'error').map((m) => m.message);
  if (kind === 'audio' && errors.length && errors.every((e) => /detect audio/i.test(e))) {
    return { status: 'warning', code: 'publishAudio.silent', log };
  }
  if (kind === 'video' && errors.length && errors.every((e) => /black frames/i.test(e))) {
    return { status: 'warning', code: 'publishVideo.black', log };
  }
  return {
    status: 'failed',
    code: kind === 'audio' ? 'publishAudio.failed' : 'publishVideo.failed',
    vars: { message: errors.join('; ') || '?' },
    log,
  };
}

/** SLOW_RTT_MS is the round trip above which calls lag noticeably. */
export const SLOW_RTT_MS = 300;

/**
 * routeOutcome reports the path media took in the best connection the
 * earlier checks made (direct UDP first, then TCP, then the relay).
 */
export function routeOutcome(done: ReadonlyMap<CheckId, CheckState>): Outcome {
  const best = (['udp', 'tcp', 'turn'] as const)
    .map((id) => done.get(id))
    .find((s) => (s?.status === 'passed' || s?.status === 'warning') && s.data?.candidateType);
  if (!best?.data?.candidateType) return { status: 'failed', code: 'route.none' };
  const d = best.data;
  const type = d.candidateType ?? '?';
  const vars = { type, protocol: (d.relayProtocol ?? d.protocol ?? '?').toUpperCase(), rtt: d.rttMs ?? '?' };
  const data: CheckData = { candidateType: d.candidateType, protocol: d.protocol, relayProtocol: d.relayProtocol, rttMs: d.rttMs };
  if (d.rttMs !== undefined && d.rttMs > SLOW_RTT_MS) return { status: 'warning', code: 'route.slow', vars, data };
  if (type === 'relay') return { status: 'warning', code: 'route.relayed', vars, data };
  return { status: 'passed', code: 'route.ok', vars, data };
}

/** Pair is the browser's end of a selected candidate pair and its round trip. */
export interface Pair {
  candidateType: string;
  protocol: string;
  relayProtocol?: string;
  rttMs?: number;
}

// The selected candidate pair of whichever transport carries media.
/** pairFromStats finds the selected candidate pair in a stats report (Chrome's transport stats, or Firefox's "selected" flag). */
export function pairFromStats(report: { forEach: (fn: (s: Record<string, unknown>) => void) => void }): Pair | undefined {
  const all = new Map<string, Record<string, unknown>>();
  report.forEach((s: Record<string, unknown>) => all.set(String(s.id), s));
  let pair: Record<string, unknown> | undefined;
  for (const s of all.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pair = all.get(s.selectedCandidatePairId);
  }
  if (!pair) {
    for (const s of all.values()) {
      if (s.type === 'candidate-pair' && (s.selected === true || (s.nominated === true && s.state === 'succeeded'))) pair = s;
    }
  }
  if (!pair) return undefined;
  const local = all.get(String(pair.localCandidateId));
  if (!local) return undefined;
  return {
    candidateType: String(local.candidateType ?? '?'),
    protocol: String(local.protocol ?? '?'),
    relayProtocol: typeof local.relayProtocol === 'string' ? local.relayProtocol : undefined,
    rttMs: typeof pair.currentRoundTripTime === 'number' ? Math.round(pair.currentRoundTripTime * 1000) : undefined,
  };
}

