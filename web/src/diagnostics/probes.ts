// The measuring half of the connection test, in the browser: devices,
// livekit-client's own checks (WebSocket, publishing) and connection
// probes that report the candidate pair WebRTC selected. The judging half
// is in verdicts.ts.
import {
  Checker,
  CheckStatus,
  ConnectionCheck,
  createAudioAnalyser,
  createLocalAudioTrack,
  createLocalVideoTrack,
  Room,
  RoomEvent,
  type CheckInfo,
  type InstantiableCheck,
  type LocalAudioTrack,
  type LocalVideoTrack,
} from 'livekit-client';
import { pairFromStats, type Capabilities, type DeviceResult, type LibraryCheck, type Pair, type Probe, type ServerCandidate } from './verdicts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** capabilities reads what this browser offers for calls. */
export function capabilities(): Capabilities {
  return {
    secureContext: window.isSecureContext,
    rtcPeerConnection: typeof RTCPeerConnection === 'function',
    getUserMedia: typeof navigator.mediaDevices?.getUserMedia === 'function',
    webSocket: typeof WebSocket === 'function',
  };
}

/** Devices are the opened microphone and camera, kept for the preview and the level meter. */
export interface Devices {
  mic: DeviceResult;
  cam: DeviceResult;
  audio?: LocalAudioTrack;
  video?: LocalVideoTrack;
}

function failure(err: unknown): DeviceResult {
  if (err instanceof Error) return { ok: false, error: err.name, message: err.message };
  return { ok: false, error: 'Error', message: String(err) };
}

/** openDevices opens the microphone, then the camera, each on its own so that one missing does not hide the other. */
export async function openDevices(): Promise<Devices> {
  const out: Devices = { mic: { ok: false, error: 'NotFoundError' }, cam: { ok: false, error: 'NotFoundError' } };
  try {
    out.audio = await createLocalAudioTrack();
    out.mic = { ok: true, label: out.audio.mediaStreamTrack.label || '?' };
  } catch (err) {
    out.mic = failure(err);
  }
  try {
    out.video = await createLocalVideoTrack();
    out.cam = { ok: true, label: out.video.mediaStreamTrack.label || '?' };
  } catch (err) {
    out.cam = failure(err);
  }
  return out;
}

function toLibraryCheck(info: CheckInfo): LibraryCheck {
  const status = info.status === CheckStatus.SUCCESS ? 'success' : info.status === CheckStatus.SKIPPED ? 'skipped' : 'failed';
  return { status, messages: info.logs.map((l) => ({ level: l.level, message: l.message })) };
}

/**
 * libraryCheck runs livekit-client's WebSocket check, or a publishing check
 * built on its Checker. Its own publishing checks count the packets after a
 * fixed 3 or 5 s, which a slow network or a busy computer misses; these wait
 * for the packets with a deadline instead.
 */
export async function libraryCheck(url: string, token: string, which: 'websocket' | 'publishAudio' | 'publishVideo'): Promise<LibraryCheck> {
  const cc = new ConnectionCheck(url, token);
  const info = which === 'websocket' ? await cc.checkWebsocket() : await cc.createAndRunCheck(publishCheck(which === 'publishAudio' ? 'audio' : 'video'));
  return toLibraryCheck(info);
}

const PACKETS_TIMEOUT_MS = 15_000;
const PACKETS_ENOUGH = 50;
const SAMPLE_MS = 100;
const SAMPLE_FOR_MS = 2_000;

function publishCheck(kind: 'audio' | 'video'): InstantiableCheck<Checker> {
  return class PublishCheck extends Checker {
    get description(): string {
      return `Can publish ${kind}`;
    }

    protected async perform(): Promise<void> {
      const room = await this.connect();
      const track = kind === 'audio' ? await createLocalAudioTrack() : await createLocalVideoTrack();
      try {
        if (kind === 'audio' && (await isSilent(track as LocalAudioTrack))) throw new Error('unable to detect audio from microphone');
        if (kind === 'video') {
          if (await isBlack(track.mediaStreamTrack)) this.appendError('camera appears to be producing only black frames');
          else this.appendMessage('received video frames');
        }
        await room.localParticipant.publishTrack(track);
        const packets = await packetsSent(track.sender, kind);
        if (!packets) throw new Error(`no ${kind} packets were sent within ${PACKETS_TIMEOUT_MS / 1000} s`);
        this.appendMessage(`published ${packets} ${kind} packets`);
      } finally {
        track.stop();
      }
    }
  };
}

// Waits until the sender has sent a second's worth of packets, or the deadline.
async function packetsSent(sender: RTCRtpSender | undefined, kind: 'audio' | 'video'): Promise<number> {
  const deadline = Date.now() + PACKETS_TIMEOUT_MS;
  let sent = 0;
  while (Date.now() < deadline) {
    const stats = await sender?.getStats();
    stats?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'outbound-rtp' && (s.kind ?? s.mediaType) === kind && typeof s.packetsSent === 'number') sent = Math.max(sent, s.packetsSent);
    });
    if (sent >= PACKETS_ENOUGH) break;
    await wait(SAMPLE_MS * 2);
  }
  return sent;
}

// A microphone is silent when its level stays at zero for two seconds.
async function isSilent(track: LocalAudioTrack): Promise<boolean> {
  const { calculateVolume, cleanup } = createAudioAnalyser(track, { cloneTrack: true });
  try {
    for (let t = 0; t < SAMPLE_FOR_MS; t += SAMPLE_MS) {
      if (calculateVolume() > 0) return false;
      await wait(SAMPLE_MS);
    }
    return true;
  } finally {
    await cleanup();
  }
}

// A camera is black when no frame of the next two seconds has a lit pixel.
async function isBlack(track: MediaStreamTrack): Promise<boolean> {
  const clone = track.clone();
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([clone]);
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 36;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  try {
    await video.play();
    if (!ctx) return false;
    for (let t = 0; t < SAMPLE_FOR_MS; t += SAMPLE_MS * 2) {
      if (video.videoWidth) {
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) if (d[i] || d[i + 1] || d[i + 2]) return false;
      }
      await wait(SAMPLE_MS * 2);
    }
    return true;
  } finally {
    clone.stop();
    video.srcObject = null;
  }
}

/** ProbeMode says which ICE candidates a probe may use. */
export type ProbeMode = 'any' | 'tcp' | 'relay';

const CONNECT_TIMEOUT_MS = 12_000;
const RECONNECT_TIMEOUT_MS = 10_000;
const RTT_SAMPLES = 3;
const RTT_INTERVAL_MS = 400;


/**
 * probe joins the test room once and reports the server's candidates, the
 * ICE servers it offered, the selected candidate pair and the round trip.
 * 'relay' lets WebRTC use TURN candidates only; 'tcp' asks the server to
 * move the connection onto ICE over TCP when it offers TCP candidates.
 */
export async function probe(url: string, token: string, mode: ProbeMode): Promise<Probe> {
  const room = new Room();
  const serverCandidates: ServerCandidate[] = [];
  room.on(RoomEvent.SignalConnected, () => {
    const client = room.engine.client;
    const prev = client.onTrickle;
    client.onTrickle = (sd, target) => {
      if (sd.candidate) {
        const c = new RTCIceCandidate(sd);
        if (c.address && c.port && c.protocol) {
          serverCandidates.push({ protocol: c.protocol, address: c.address, port: c.port, type: c.type ?? '?', tcpType: c.tcpType ?? undefined });
        }
      }
      prev?.(sd, target);
    };
  });
  const result: Probe = { connected: false, serverCandidates, iceServers: [] };
  try {
    await room.connect(url, token, {
      autoSubscribe: false,
      maxRetries: 0,
      peerConnectionTimeout: CONNECT_TIMEOUT_MS,
      ...(mode === 'relay' ? { rtcConfig: { iceTransportPolicy: 'relay' } } : {}),
    });
    result.iceServers = iceServersOf(room);
    let pair = await waitForPair(room);
    if (mode === 'tcp' && serverCandidates.some((c) => c.protocol === 'tcp') && pair?.protocol !== 'tcp') {
      await forceTcp(room);
      pair = await waitForPair(room, (p) => p.protocol === 'tcp');
    }
    result.connected = pair !== undefined;
    if (pair) {
      result.pair = { candidateType: pair.candidateType, protocol: pair.protocol, relayProtocol: pair.relayProtocol };
      result.rttMs = await medianRtt(room);
    }
  } catch (err) {
    result.iceServers = result.iceServers.length ? result.iceServers : iceServersOf(room);
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    await room.disconnect().catch(() => {});
  }
  return result;
}

function iceServersOf(room: Room): string[] {
  return (room.engine?.latestJoinResponse?.iceServers ?? []).flatMap((s) => s.urls);
}

async function forceTcp(room: Room): Promise<void> {
  const reconnected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reconnection over TCP within ${RECONNECT_TIMEOUT_MS / 1000} s`)), RECONNECT_TIMEOUT_MS);
    room.once(RoomEvent.Reconnected, () => (clearTimeout(timer), resolve()));
  });
  await room.simulateScenario('force-tcp');
  await reconnected;
}

const PAIR_TIMEOUT_MS = 5_000;
const PAIR_POLL_MS = 200;

// The statistics may name the selected pair a moment after the connection
// is reported up: ask again until one (that fits) shows or time runs out.
async function waitForPair(room: Room, fits: (p: Pair) => boolean = () => true): Promise<Pair | undefined> {
  const deadline = Date.now() + PAIR_TIMEOUT_MS;
  for (;;) {
    const pair = await selectedPair(room);
    if ((pair && fits(pair)) || Date.now() > deadline) return pair;
    await wait(PAIR_POLL_MS);
  }
}

// The selected candidate pair of whichever transport carries media.
async function selectedPair(room: Room): Promise<Pair | undefined> {
  const pcm = room.engine?.pcManager;
  if (!pcm) return undefined;
  for (const transport of [pcm.publisher, pcm.subscriber]) {
    const report = await transport?.getStats();
    if (!report) continue;
    const pair = pairFromStats(report);
    if (pair) return pair;
  }
  return undefined;
}

async function medianRtt(room: Room): Promise<number | undefined> {
  const samples: number[] = [];
  for (let i = 0; i < RTT_SAMPLES; i++) {
    const rtt = (await selectedPair(room))?.rttMs;
    if (rtt !== undefined) samples.push(rtt);
    if (i < RTT_SAMPLES - 1) await wait(RTT_INTERVAL_MS);
  }
  if (!samples.length) return undefined;
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
