import { describe, expect, it } from 'vitest';
import type { CheckId, CheckState } from './model';
import {
  browserOutcome,
  mediaOutcome,
  pairFromStats,
  publishOutcome,
  routeOutcome,
  signallingOutcome,
  tcpOutcome,
  turnAddress,
  turnOutcome,
  udpOutcome,
  type Probe,
} from './verdicts';

const allCaps = { secureContext: true, rtcPeerConnection: true, getUserMedia: true, webSocket: true };
const udpCand = { protocol: 'udp', address: '203.0.113.7', port: 7882, type: 'host' };
const tcpCand = { protocol: 'tcp', address: '203.0.113.7', port: 7881, type: 'host', tcpType: 'passive' };

describe('browserOutcome', () => {
  it.each([
    [allCaps, 'passed', 'browser.ok'],
    [{ ...allCaps, rtcPeerConnection: false }, 'failed', 'browser.noWebRTC'],
    [{ ...allCaps, secureContext: false, getUserMedia: false }, 'failed', 'browser.insecure'],
    [{ ...allCaps, getUserMedia: false }, 'failed', 'browser.noGetUserMedia'],
  ])('%o → %s %s', (caps, status, code) => {
    expect(browserOutcome(caps)).toEqual({ status, code });
  });
});

describe('mediaOutcome', () => {
  const mic = { ok: true as const, label: 'Headset' };
  const cam = { ok: true as const, label: 'Webcam' };
  it.each([
    [mic, cam, 'passed', 'media.ok'],
    [mic, { ok: false as const, error: 'NotFoundError' }, 'warning', 'media.noCamera'],
    [{ ok: false as const, error: 'NotFoundError' }, cam, 'warning', 'media.noMicrophone'],
    [{ ok: false as const, error: 'NotFoundError' }, { ok: false as const, error: 'NotFoundError' }, 'failed', 'media.none'],
    [{ ok: false as const, error: 'NotAllowedError' }, { ok: false as const, error: 'NotFoundError' }, 'failed', 'media.denied'],
    [mic, { ok: false as const, error: 'NotReadableError' }, 'failed', 'media.busy'],
    [mic, { ok: false as const, error: 'TypeError', message: 'odd' }, 'failed', 'media.error'],
  ])('mic %o, camera %o → %s %s', (m, c, status, code) => {
    const o = mediaOutcome(m, c);
    expect([o.status, o.code]).toEqual([status, code]);
    expect(o.data).toEqual({ microphones: m.ok ? 1 : 0, cameras: c.ok ? 1 : 0 });
  });
  it('names both devices when they work', () => {
    expect(mediaOutcome(mic, cam).vars).toEqual({ microphone: 'Headset', camera: 'Webcam' });
  });
});

function probe(p: Partial<Probe>): Probe {
  return { connected: false, serverCandidates: [], iceServers: [], ...p };
}

describe('udpOutcome', () => {
  it('passes a direct UDP connection', () => {
    const o = udpOutcome(probe({ connected: true, pair: { candidateType: 'host', protocol: 'udp' }, rttMs: 4, serverCandidates: [udpCand] }), 'meet.example.org');
    expect([o.status, o.code]).toEqual(['passed', 'udp.ok']);
    expect(o.data).toMatchObject({ candidateType: 'host', protocol: 'udp', rttMs: 4, serverCandidates: ['udp 203.0.113.7:7882 host'] });
  });
  it('fails when nothing connects, naming the address and port to open', () => {
    const o = udpOutcome(probe({ serverCandidates: [udpCand, { ...udpCand, port: 7883 }, tcpCand], error: 'could not establish pc connection' }), 'meet.example.org');
    expect(o).toMatchObject({ status: 'failed', code: 'udp.blocked', vars: { host: '203.0.113.7', ports: '7882, 7883' } });
    expect(o.log).toContain('error: could not establish pc connection');
  });
  it('falls back to the server name when the server sent no UDP candidate', () => {
    expect(udpOutcome(probe({}), 'meet.example.org').vars).toEqual({ host: 'meet.example.org', ports: '?' });
  });
  it('warns when the connection went through TCP or a relay', () => {
    expect(udpOutcome(probe({ connected: true, pair: { candidateType: 'host', protocol: 'tcp' } }), 'h').code).toBe('udp.notDirect');
    expect(udpOutcome(probe({ connected: true, pair: { candidateType: 'relay', protocol: 'udp', relayProtocol: 'udp' } }), 'h').status).toBe('warning');
  });
});

describe('tcpOutcome', () => {
  it('says TCP is not offered when the server has no TCP candidate', () => {
    expect(tcpOutcome(probe({ connected: true, serverCandidates: [udpCand], pair: { candidateType: 'host', protocol: 'udp' } }), 'h')).toMatchObject({ status: 'skipped', code: 'tcp.notOffered' });
  });
  it('passes a connection moved onto TCP, and fails one that could not move', () => {
    expect(tcpOutcome(probe({ connected: true, serverCandidates: [udpCand, tcpCand], pair: { candidateType: 'host', protocol: 'tcp' } }), 'h').code).toBe('tcp.ok');
    expect(tcpOutcome(probe({ connected: false, serverCandidates: [tcpCand] }), 'h')).toMatchObject({ status: 'failed', code: 'tcp.blocked', vars: { host: '203.0.113.7', ports: '7881' } });
  });
});

describe('turnOutcome', () => {
  it('says TURN is not offered when the server lists no TURN server', () => {
    expect(turnOutcome(probe({ iceServers: ['stun:stun.example.org:3478'] }))).toMatchObject({ status: 'skipped', code: 'turn.notOffered' });
  });
  it('passes a relayed connection, noting when TURN over TLS is missing', () => {
    const relay = { candidateType: 'relay', protocol: 'udp', relayProtocol: 'udp' };
    expect(turnOutcome(probe({ connected: true, pair: relay, iceServers: ['turn:198.51.100.2:3478?transport=udp'] })).code).toBe('turn.noTls');
    expect(turnOutcome(probe({ connected: true, pair: relay, iceServers: ['turn:198.51.100.2:3478?transport=udp', 'turns:meet.example.org:443?transport=tcp'] })).code).toBe('turn.ok');
  });
  it('fails when the relay did not connect, listing the servers to allow', () => {
    const o = turnOutcome(probe({ iceServers: ['turn:198.51.100.2:3478?transport=udp', 'turns:meet.example.org:443?transport=tcp'] }));
    expect(o).toMatchObject({ status: 'failed', code: 'turn.blocked', vars: { servers: '198.51.100.2:3478 (UDP), meet.example.org:443 (TLS)' } });
  });
  it('turnAddress keeps unknown shapes as they are', () => {
    expect(turnAddress('turn:h:3478')).toBe('h:3478 (UDP)');
    expect(turnAddress('stun:h')).toBe('stun:h');
  });
});

describe('library checks', () => {
  it('signalling: failed, unencrypted, fine', () => {
    expect(signallingOutcome({ status: 'failed', messages: [{ level: 'error', message: 'Websocket connection could not be established' }] }, 'h:443', true)).toMatchObject({
      status: 'failed',
      code: 'signalling.failed',
      vars: { host: 'h:443' },
      log: ['error: Websocket connection could not be established'],
    });
    expect(signallingOutcome({ status: 'success', messages: [] }, 'h', false).code).toBe('signalling.insecure');
    expect(signallingOutcome({ status: 'success', messages: [] }, 'h', true).code).toBe('signalling.ok');
  });
  it('publishing: packet count, silence and black frames as warnings, other errors as failures, no device as not run', () => {
    expect(publishOutcome('audio', { status: 'success', messages: [{ level: 'info', message: 'published 151 audio packets' }] }, true)).toMatchObject({
      status: 'passed',
      code: 'publishAudio.ok',
      vars: { packets: '151' },
    });
    expect(publishOutcome('audio', { status: 'failed', messages: [{ level: 'error', message: 'unable to detect audio from microphone' }] }, true).code).toBe('publishAudio.silent');
    expect(publishOutcome('video', { status: 'failed', messages: [{ level: 'error', message: 'camera appears to be producing only black frames' }] }, true).code).toBe('publishVideo.black');
    expect(publishOutcome('video', { status: 'failed', messages: [{ level: 'error', message: 'Could not determine packets are sent' }] }, true)).toMatchObject({
      status: 'failed',
      code: 'publishVideo.failed',
      vars: { message: 'Could not determine packets are sent' },
    });
    expect(publishOutcome('video', { status: 'skipped', messages: [] }, false)).toMatchObject({ status: 'skipped', code: 'publishVideo.noDevice' });
  });
});

describe('routeOutcome', () => {
  const state = (id: CheckId, status: CheckState['status'], data?: CheckState['data']): [CheckId, CheckState] => [id, { id, status, log: [], data }];
  it('prefers the UDP connection and reports its type and round trip', () => {
    const done = new Map([state('udp', 'passed', { candidateType: 'srflx', protocol: 'udp', rttMs: 42 }), state('turn', 'passed', { candidateType: 'relay', protocol: 'udp', rttMs: 80 })]);
    expect(routeOutcome(done)).toMatchObject({ status: 'passed', code: 'route.ok', vars: { type: 'srflx', protocol: 'UDP', rtt: 42 } });
  });
  it('warns when only the relay worked, or when the round trip is long', () => {
    const relayed = new Map([state('udp', 'failed'), state('turn', 'passed', { candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp', rttMs: 60 })]);
    expect(routeOutcome(relayed)).toMatchObject({ status: 'warning', code: 'route.relayed', vars: { protocol: 'TCP' } });
    const slow = new Map([state('udp', 'passed', { candidateType: 'host', protocol: 'udp', rttMs: 450 })]);
    expect(routeOutcome(slow)).toMatchObject({ status: 'warning', code: 'route.slow', vars: { rtt: 450 } });
  });
  it('fails when no connection was made', () => {
    expect(routeOutcome(new Map([state('udp', 'failed'), state('tcp', 'skipped'), state('turn', 'skipped')]))).toEqual({ status: 'failed', code: 'route.none' });
  });
});

describe('pairFromStats', () => {
  const report = (stats: Record<string, unknown>[]) => ({ forEach: (fn: (s: Record<string, unknown>) => void) => stats.forEach(fn) });
  it("follows Chrome's transport to the selected pair and its local candidate", () => {
    const r = report([
      { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP2' },
      { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', state: 'failed' },
      { id: 'CP2', type: 'candidate-pair', localCandidateId: 'L2', state: 'succeeded', currentRoundTripTime: 0.0234 },
      { id: 'L1', type: 'local-candidate', candidateType: 'host', protocol: 'udp' },
      { id: 'L2', type: 'local-candidate', candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls' },
    ]);
    expect(pairFromStats(r)).toEqual({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls', rttMs: 23 });
  });
  it("uses Firefox's selected flag, and finds nothing before a pair is chosen", () => {
    const ff = report([
      { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', selected: true },
      { id: 'L1', type: 'local-candidate', candidateType: 'host', protocol: 'tcp' },
    ]);
    expect(pairFromStats(ff)).toEqual({ candidateType: 'host', protocol: 'tcp', relayProtocol: undefined, rttMs: undefined });
    expect(pairFromStats(report([{ id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', state: 'in-progress' }]))).toBeUndefined();
  });
});
