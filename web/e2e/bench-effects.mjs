// Background effects benchmark: `npm run bench:effects` (SECONDS=n per mode,
// default 15; SIZES=320x180,640x360). One page on the prejoin screen with
// Chromium's fake camera; for each capture size and each mode (none, light
// blur, strong blur, a virtual background) it records the processor's own
// per-frame timings and the page's main-thread busy time (CDP
// Performance.getMetrics TaskDuration), as a share of one core. The effects
// are kept on (never turned off by the slow-machine fallback) so that each
// mode is measured. Results go to docs/benchmarks.md by hand.
import { cpus } from 'node:os';
import { launchBrowser, newPerson } from './browser.mjs';
import { startMeet } from './server.mjs';

const SECONDS = Number(process.env.SECONDS_PER_MODE ?? process.env.SECONDS ?? 15);
const SIZES = (process.env.SIZES ?? '320x180,640x360').split(',').map((s) => s.split('x').map(Number));
const MODES = [
  ['none', 'None'],
  ['blur light', 'Light blur'],
  ['blur strong', 'Strong blur'],
  ['virtual background', 'Seaside'],
];
const log = (msg) => console.log(msg);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const meet = await startMeet({ log });
const browser = await launchBrowser();
const rows = [];
let failed = false;
try {
  for (const [w, h] of SIZES) {
    const p = await newPerson(browser, meet.base, `bench-${w}x${h}`);
    await p.context.addInitScript(
      ([w, h]) => {
        window.__meetEffectsKeepOn = true;
        window.__meetEffectStats = [];
        const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = (c) =>
          open(c && c.video ? { ...c, video: { ...(typeof c.video === 'object' ? c.video : {}), width: { exact: w }, height: { exact: h } } } : c);
      },
      [w, h],
    );
    const cdp = await p.context.newCDPSession(p.page);
    await cdp.send('Performance.enable');
    const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    await p.page.goto('/bench-effects');
    await p.page.locator('.preview video').waitFor();
    await p.page.getByTestId('effects-details').locator('summary').click();
    const panel = p.page.getByTestId('effects-panel');
    for (const [mode, label] of MODES) {
      await panel.getByText(label, { exact: true }).click();
      await panel.locator('.fx-status[data-state="on"], .fx-status[data-state="off"], .fx-status[data-state="reduced"]').waitFor({ state: 'attached', timeout: 60_000 });
      // Warm up (first frames compile shaders and load the model), then measure.
      await p.page.waitForTimeout(3000);
      await p.page.evaluate(() => (window.__meetEffectStats.length = 0));
      const b0 = await busy();
      const t0 = Date.now();
      await p.page.waitForTimeout(SECONDS * 1000);
      const b1 = await busy();
      const wall = (Date.now() - t0) / 1000;
      const stats = await p.page.evaluate(() => window.__meetEffectStats.splice(0));
      const state = await panel.locator('.fx-status').getAttribute('data-state');
      const sorted = (k) => stats.map((s) => s[k]).sort((a, b) => a - b);
      const total = sorted('processingTimeMs');
      const seg = sorted('segmentationTimeMs');
      const filter = sorted('filterTimeMs');
      const row = {
        size: `${w}x${h}`,
        mode,
        frames: stats.length,
        fps: stats.length / wall,
        p50: pct(total, 50),
        p90: pct(total, 90),
        seg50: pct(seg, 50),
        filter50: pct(filter, 50),
        cpu: ((b1 - b0) / wall) * 100,
        state,
      };
      rows.push(row);
      log(JSON.stringify(row));
    }
    await p.context.close();
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await browser.close().catch(() => {});
  await meet.stop();
}

const f = (x) => (x === undefined ? '–' : x.toFixed(1));
console.log(`\n${SECONDS} s per mode, Chromium ${browser.version()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
console.log('| capture | mode | frames/s out | per frame p50 (ms) | p90 | segmentation p50 | compositing p50 | main thread busy (% of a core) | state at the end |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  console.log(`| ${r.size} | ${r.mode} | ${r.mode === 'none' ? '–' : f(r.fps)} | ${f(r.p50)} | ${f(r.p90)} | ${f(r.seg50)} | ${f(r.filter50)} | ${f(r.cpu)} | ${r.state} |`);
}
process.exit(failed ? 1 : 0);
