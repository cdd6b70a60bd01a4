// Builds and runs a real `meet serve` for the browser tests: Go binary,
// a local owner account, the freshly built front end served from disk.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const WEB = join(REPO, 'web');
export const OWNER = { email: 'owner@example.com', name: 'Olive Owner', password: 'correct horse battery staple' };
/** STRANGER is a second account, with no rights on the owner's rooms and recordings. */
export const STRANGER = { email: 'stranger@example.com', name: 'Sam Stranger', password: 'another horse battery staple' };

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

/** freeUdpPort finds a UDP port nobody holds on loopback. */
export function freeUdpPort() {
  return new Promise((ok, fail) => {
    const sock = createSocket('udp4');
    sock.bind(0, '127.0.0.1', () => {
      const { port } = sock.address();
      sock.close(() => ok(port));
    });
    sock.on('error', fail);
  });
}

function run(cmd, args, opts = {}) {
  const t0 = Date.now();
  execFileSync(cmd, args, { stdio: ['pipe', 'inherit', 'inherit'], ...opts });
  console.log(`  ${cmd} ${args.join(' ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

/**
 * startMeet builds everything into a temp folder and starts the server with
 * extra environment variables env; call stop() at the end. prebuilt
 * ({bin, webDir} of a running instance) skips the build, for a second
 * server with other settings.
 */
export async function startMeet({ log, env: extraEnv = {}, prebuilt = null }) {
  const tmp = mkdtempSync(join(tmpdir(), 'meet-e2e-'));
  const bin = prebuilt ? prebuilt.bin : join(tmp, 'meet');
  const webDir = prebuilt ? prebuilt.webDir : process.env.E2E_WEB_DIR ? resolve(process.env.E2E_WEB_DIR) : join(tmp, 'web-dist');
  if (prebuilt) {
    console.log(`second server in ${tmp}`);
  } else {
    console.log(`building into ${tmp}`);
    if (process.env.E2E_MEET_BIN) copyFileSync(process.env.E2E_MEET_BIN, bin);
    else run('go', ['build', '-o', bin, './cmd/meet'], { cwd: REPO });
    if (!process.env.E2E_WEB_DIR) {
      // Build into the temp folder so the committed dist/index.html placeholder stays untouched.
      run(join(WEB, 'node_modules', '.bin', 'vite'), ['build', '--outDir', webDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: WEB });
    }
  }
  const env = { ...process.env, MEET_DATA_DIR: tmp };
  for (const u of [OWNER, STRANGER]) {
    run(bin, ['user', 'add', '--email', u.email, '--name', u.name], { env, input: u.password + '\n', stdio: ['pipe', 'ignore', 'ignore'] });
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The embedded SFU's ports too, so several runs (or a dev server) can coexist.
  const lkPort = await freePort();
  const lkUdp = await freeUdpPort();
  const proc = spawn(bin, ['serve'], {
    env: {
      ...env,
      ...extraEnv,
      MEET_ADDR: `127.0.0.1:${port}`,
      MEET_PUBLIC_URL: base,
      MEET_WEB_DIR: webDir,
      MEET_LIVEKIT_PORT: String(lkPort),
      MEET_LIVEKIT_UDP_PORT: String(lkUdp),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const keep = (chunk) => {
    for (const l of String(chunk).split('\n')) if (l) lines.push(l);
    if (lines.length > 5000) lines.splice(0, lines.length - 5000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  let exited = null;
  proc.on('exit', (code, sig) => (exited = { code, sig }));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`meet serve exited early (${JSON.stringify(exited)}):\n${lines.slice(-30).join('\n')}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`meet serve not healthy after 30 s:\n${lines.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`meet serve is up on ${base} (pid ${proc.pid})`);

  return {
    base,
    tmp,
    bin,
    webDir,
    logs: () => lines.join('\n'),
    async stop() {
      if (!exited) {
        proc.kill('SIGTERM');
        const t = Date.now();
        while (!exited && Date.now() - t < 10_000) await new Promise((r) => setTimeout(r, 50));
        if (!exited) proc.kill('SIGKILL');
      }
      if (!process.env.E2E_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
    },
  };
}
