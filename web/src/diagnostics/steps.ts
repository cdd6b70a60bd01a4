// The connection test's checks in the order they run, wired to the
// browser's measurements (probes.ts) and the verdicts (verdicts.ts).
import { ApiError } from '../api/client';
import type { CheckData } from './model';
import type { Step } from './runner';
import {
  browserOutcome,
  mediaOutcome,
  publishOutcome,
  routeOutcome,
  signallingOutcome,
  tcpOutcome,
  turnOutcome,
  turnServers,
  udpOutcome,
} from './verdicts';
import { capabilities, libraryCheck, openDevices, probe, type Devices } from './probes';

/** Credentials are a LiveKit URL and token for the throwaway test room. */
export interface Credentials {
  url: string;
  token: string;
}

/** StepEnv is what the checks need from the page. */
export interface StepEnv {
  /** credentials fetches a token from diagnostics/connection/ (once per run). */
  credentials: () => Promise<Credentials>;
  /** onDevices hands the opened camera and microphone to the page for the preview. */
  onDevices: (d: Devices) => void;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** isEncrypted reports whether signalling to url is protected (wss, or loopback where nothing crosses a network). */
export function isEncrypted(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'wss:' || u.protocol === 'https:' || LOOPBACK.has(u.hostname);
}

/** buildSteps lists the checks of one run. */
export function buildSteps(env: StepEnv): Step[] {
  let creds: Credentials | undefined;
  const hostOf = () => (creds ? new URL(creds.url).host : location.host);
  const need = () => {
    if (!creds) throw new Error('no test credentials');
    return creds;
  };
  const hasNoTcp = (d?: CheckData) => d?.serverCandidates !== undefined && d.serverCandidates.length > 0 && !d.serverCandidates.some((c) => c.startsWith('tcp '));
  return [
    { id: 'browser', timeoutMs: 5_000, run: async () => browserOutcome(capabilities()) },
    {
      id: 'media',
      needs: ['browser'],
      // The browser may ask for permission: leave people time to answer.
      timeoutMs: 90_000,
      run: async () => {
        const d = await openDevices();
        env.onDevices(d);
        return mediaOutcome(d.mic, d.cam);
      },
    },
    {
      id: 'signalling',
      needs: ['browser'],
      timeoutMs: 25_000,
      run: async () => {
        try {
          creds = await env.credentials();
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return { status: 'failed', code: 'signalling.off' };
          return { status: 'failed', code: 'signalling.token', vars: { message: err instanceof Error ? err.message : String(err) } };
        }
        return signallingOutcome(await libraryCheck(creds.url, creds.token, 'websocket'), hostOf(), isEncrypted(creds.url));
      },
    },
    {
      id: 'udp',
      needs: ['signalling'],
      timeoutMs: 25_000,
      run: async () => udpOutcome(await probe(need().url, need().token, 'any'), new URL(need().url).hostname),
    },
    {
      id: 'tcp',
      needs: ['signalling'],
      timeoutMs: 30_000,
      run: async (done) => {
        // The server's candidates are already known when the UDP probe connected.
        const udp = done.get('udp')?.data;
        if (hasNoTcp(udp)) return { status: 'skipped', code: 'tcp.notOffered' };
        return tcpOutcome(await probe(need().url, need().token, 'tcp'), new URL(need().url).hostname);
      },
    },
    {
      id: 'turn',
      needs: ['signalling'],
      timeoutMs: 25_000,
      run: async (done) => {
        const udp = done.get('udp')?.data;
        if (udp?.iceServers && udp.candidateType && !turnServers(udp.iceServers).length) return turnOutcome({ connected: false, serverCandidates: [], iceServers: udp.iceServers });
        return turnOutcome(await probe(need().url, need().token, 'relay'));
      },
    },
    {
      id: 'publishAudio',
      needs: ['signalling'],
      timeoutMs: 25_000,
      run: async (done) => {
        const has = (done.get('media')?.data?.microphones ?? 0) > 0;
        if (!has) return publishOutcome('audio', { status: 'skipped', messages: [] }, false);
        return publishOutcome('audio', await libraryCheck(need().url, need().token, 'publishAudio'), true);
      },
    },
    {
      id: 'publishVideo',
      needs: ['signalling'],
      timeoutMs: 30_000,
      run: async (done) => {
        const has = (done.get('media')?.data?.cameras ?? 0) > 0;
        if (!has) return publishOutcome('video', { status: 'skipped', messages: [] }, false);
        return publishOutcome('video', await libraryCheck(need().url, need().token, 'publishVideo'), true);
      },
    },
    { id: 'route', timeoutMs: 2_000, run: async (done) => routeOutcome(done) },
  ];
}
