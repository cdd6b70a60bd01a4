// Video effects and noise suppression, end to end: Ann picks a light blur on
// the prejoin screen and joins; Bob, on a phone, checks what he receives:
// blurred frames (less detail than Ann's raw fake camera), then a virtual
// background (the frame looks like the image), and Ann's audio still comes
// through with RNNoise on. Every request either page makes stays on meet's
// own origin (and the SFU meet runs on the same host).
import { launchBrowser, newPerson } from './browser.mjs';
import { inCall, joinAsGuest } from './admission.mjs';
import { waitForRemoteVideo } from './media.mjs';

/** watchRequests records every URL a context requests. */
export function watchRequests(person) {
  const urls = [];
  person.context.on('request', (r) => urls.push(r.url()));
  person.context.on('websocket', (ws) => urls.push(ws.url()));
  return urls;
}

/** foreignRequests lists the URLs that are neither meet's origin nor its SFU on the same host. */
export function foreignRequests(urls, base) {
  const own = new URL(base);
  return urls.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    const url = new URL(u);
    // The embedded SFU listens on meet's host, on its own port (ws/http).
    return url.origin !== own.origin && url.hostname !== own.hostname;
  });
}

/**
 * sampleRemote draws the remote camera video into a small canvas a few
 * times and returns its detail (mean absolute difference between
 * neighbouring pixels: blur lowers it) and the mean colour of each cell of
 * an 8x4 grid.
 */
export async function sampleRemote(page) {
  return page.evaluate(async () => {
    const v = [...document.querySelectorAll('.lk-participant-tile[data-lk-local-participant="false"] video')].find((x) => x.videoWidth > 0);
    if (!v) throw new Error('no remote video');
    const W = 320;
    const H = 180;
    const c = document.createElement('canvas');
    c.width = W;
    c.height = H;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    let detail = 0;
    const grid = new Array(32).fill(0).map(() => [0, 0, 0]);
    const N = 5;
    for (let k = 0; k < N; k++) {
      await new Promise((r) => v.requestVideoFrameCallback(() => r()));
      ctx.drawImage(v, 0, 0, W, H);
      const d = ctx.getImageData(0, 0, W, H).data;
      let sum = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W - 1; x++) {
          const i = (y * W + x) * 4;
          sum += Math.abs(d[i] - d[i + 4]) + Math.abs(d[i + 1] - d[i + 5]) + Math.abs(d[i + 2] - d[i + 6]);
          const cell = Math.floor(y / (H / 4)) * 8 + Math.floor(x / (W / 8));
          grid[cell][0] += d[i] / ((W / 8) * (H / 4) * N);
          grid[cell][1] += d[i + 1] / ((W / 8) * (H / 4) * N);
          grid[cell][2] += d[i + 2] / ((W / 8) * (H / 4) * N);
        }
      }
      detail += sum / (W * H * 3) / N;
    }
    return { detail, grid, width: v.videoWidth, height: v.videoHeight };
  });
}

/** imageGrid is the same 8x4 mean colour grid of an image drawn to cover 320x180. */
export async function imageGrid(page, url) {
  return page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const W = 320;
    const H = 180;
    const c = document.createElement('canvas');
    c.width = W;
    c.height = H;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0, W, H);
    const d = ctx.getImageData(0, 0, W, H).data;
    const grid = new Array(32).fill(0).map(() => [0, 0, 0]);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const cell = Math.floor(y / (H / 4)) * 8 + Math.floor(x / (W / 8));
        for (let ch = 0; ch < 3; ch++) grid[cell][ch] += d[i + ch] / ((W / 8) * (H / 4));
      }
    }
    return grid;
  }, url);
}

/** gridDistance is the mean colour distance between two grids of imageGrid or sampleRemote. */
export const gridDistance = (a, b) => a.reduce((s, cell, i) => s + Math.hypot(cell[0] - b[i][0], cell[1] - b[i][1], cell[2] - b[i][2]), 0) / a.length;

/** remoteAudioLevel is the RMS level (0..1) of the remote audio Bob's page plays, over about a second. */
async function remoteAudioLevel(page) {
  return page.evaluate(async () => {
    const el = [...document.querySelectorAll('audio')].find((a) => a.srcObject && a.srcObject.getAudioTracks().length);
    if (!el) return -1;
    const ctx = new AudioContext();
    const src = ctx.createMediaStreamSource(el.srcObject);
    const an = ctx.createAnalyser();
    an.fftSize = 2048;
    src.connect(an);
    const buf = new Float32Array(an.fftSize);
    let peak = 0;
    const end = performance.now() + 2500;
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      an.getFloatTimeDomainData(buf);
      peak = Math.max(peak, Math.sqrt(buf.reduce((s, x) => s + x * x, 0) / buf.length));
    }
    await ctx.close();
    return peak;
  });
}

/** pickEffect clicks a background in an open effects panel and waits until it runs. */
export async function pickEffect(panel, label) {
  await panel.getByText(label, { exact: true }).click();
  await panel.locator('input[type=radio]:checked').waitFor();
  await panel.locator('.fx-status[data-state="on"], .fx-status[data-state="off"], .fx-status[data-state="reduced"]').waitFor({ state: 'attached', timeout: 60_000 });
}

/** effectsScenario is the scenario; `snap(person, name)` takes a screenshot. */
export function effectsScenario({ base, people, snap, log }) {
  return withSlowCamera(people, (browser) => effectsCall({ browser, base, people, snap, log }));
}

/**
 * withSlowCamera runs fn(browser) in a Chromium of its own with the slow
 * fake camera, then closes the people's contexts and that browser.
 */
export async function withSlowCamera(people, fn) {
  const browser = await slowCameraBrowser();
  try {
    return await fn(browser);
  } finally {
    for (const p of people) await p.context.close().catch(() => {});
    await browser.close();
  }
}

// The effects run on the page's main thread; on the test machine (two
// shared cores, WebGL on SwiftShader) a 1280x720 frame takes seconds. A
// small (320x180), 10 fps fake camera leaves the pages responsive, and the
// effects are kept on (only lowered) so that what is checked is the effect,
// not the machine.
/** slowCameraBrowser launches Chromium with a 10 fps fake camera. */
const slowCameraBrowser = () => launchBrowser(['--use-fake-device-for-media-stream=fps=10']);
/** keepOn keeps a person's effects on (only lowered) and asks for a 320x180 camera. */
export const keepOn = (person) =>
  person.context.addInitScript(() => {
    window.__meetEffectsKeepOn = true;
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (c) =>
      open(c && c.video ? { ...c, video: { ...(typeof c.video === 'object' ? c.video : {}), width: { ideal: 320 }, height: { ideal: 180 } } } : c);
  });

async function effectsCall({ browser, base, people, snap, log }) {
  const slug = `e2e-effects-${Date.now().toString(36)}`;
  const ann = await newPerson(browser, base, 'ann');
  const bob = await newPerson(browser, base, 'bob', { width: 390, height: 844 });
  people.push(ann, bob);
  const annUrls = watchRequests(ann);
  const bobUrls = watchRequests(bob);
  await ann.context.addInitScript(() => (window.__meetEffectStats = []));
  await keepOn(ann);

  // Prejoin: Ann opens the effects and picks a light blur.
  await ann.page.goto(`/${slug}`);
  await ann.page.locator('.preview video').waitFor();
  await ann.page.getByText('Background and sound').click();
  const prePanel = ann.page.getByTestId('effects-panel');
  await pickEffect(prePanel, 'Light blur');
  await prePanel.locator('[data-noise-state="on"]').waitFor({ timeout: 15_000 });
  await snap(ann, 'effects-prejoin-en');

  // Bob joins first without effects, so that Ann's frames are compared as he receives them.
  await joinAsGuest(bob, slug, 'Bob Guest');
  await inCall(bob);
  await ann.page.getByLabel('Your name').fill('Ann Guest');
  await ann.page.getByRole('button', { name: 'Join meeting' }).click();
  await inCall(ann);
  await waitForRemoteVideo(bob.page);

  // The blur chosen before joining is on in the call.
  await ann.page.getByTestId('effects-toggle').click();
  const callPanel = ann.page.getByRole('complementary', { name: 'Background and sound' }).getByTestId('effects-panel');
  await callPanel.locator('input[type=radio]:checked').waitFor();
  const chosen = await callPanel.locator('[data-checked="true"]').innerText();
  if (!/Light blur/.test(chosen)) throw new Error(`the prejoin choice was not kept in the call: ${chosen}`);
  await callPanel.locator('.fx-status[data-state="on"], .fx-status[data-state="reduced"]').waitFor({ state: 'attached', timeout: 30_000 });
  await snap(ann, 'effects-call-en');
  // Frames take a moment to reach Bob after a change: sample after a few of them.
  const settle = () => bob.page.waitForFunction(() => new Promise((r) => setTimeout(() => r(true), 1500)));
  await settle();
  const light = await sampleRemote(bob.page);

  await pickEffect(callPanel, 'None');
  await settle();
  const raw = await sampleRemote(bob.page);
  await pickEffect(callPanel, 'Strong blur');
  await settle();
  const strong = await sampleRemote(bob.page);
  log(`  detail Bob receives: raw ${raw.detail.toFixed(2)}, light blur ${light.detail.toFixed(2)}, strong blur ${strong.detail.toFixed(2)}`);
  if (!(light.detail < raw.detail * 0.85)) throw new Error(`light blur did not blur what Bob receives: ${light.detail} vs raw ${raw.detail}`);
  if (!(strong.detail < light.detail)) throw new Error(`strong blur is not blurrier than light: ${strong.detail} vs ${light.detail}`);
  await snap(bob, 'effects-bob-sees-blur-phone');

  // A virtual background: what Bob receives looks like the image, not like the camera.
  await pickEffect(callPanel, 'Seaside');
  await settle();
  const sea = await sampleRemote(bob.page);
  const seaUrl = await callPanel.locator('[data-checked="true"] .fx-thumb').evaluate((el) => getComputedStyle(el).backgroundImage.slice(5, -2));
  const image = await imageGrid(bob.page, seaUrl);
  const toImage = gridDistance(sea.grid, image);
  const rawToImage = gridDistance(raw.grid, image);
  log(`  colour distance to the Seaside image: with it ${toImage.toFixed(1)}, raw camera ${rawToImage.toFixed(1)}`);
  if (!(toImage < rawToImage * 0.5)) throw new Error(`the virtual background does not show: ${toImage} vs raw ${rawToImage}`);
  await snap(bob, 'effects-bob-sees-background-phone');
  await snap(ann, 'effects-call-background-en');

  // Noise suppression (on by default) keeps Ann's audio coming through.
  await callPanel.locator('[data-noise-state="on"]').waitFor({ timeout: 15_000 });
  const level = await remoteAudioLevel(bob.page);
  log(`  audio level Bob receives from Ann with noise suppression on: ${level.toFixed(4)}`);
  if (!(level > 0)) throw new Error(`no audio from Ann with noise suppression on (level ${level})`);

  const stats = await ann.page.evaluate(() => window.__meetEffectStats ?? []);
  if (stats.length === 0) throw new Error('the processor reported no frame');
  const times = stats.map((s) => s.processingTimeMs).sort((a, b) => a - b);
  log(`  Ann's processor: ${stats.length} frames, median ${times[Math.floor(times.length / 2)].toFixed(1)} ms per frame`);

  const foreign = foreignRequests([...annUrls, ...bobUrls], base);
  if (foreign.length) throw new Error(`requests left meet's origin:\n${[...new Set(foreign)].join('\n')}`);
  log(`  ${annUrls.length + bobUrls.length} requests, all to meet's origin or its SFU`);
}

/** effectsScreens takes the panel's screenshots in French, desktop and phone. */
export function effectsScreens({ base, people, snap }) {
  return withSlowCamera(people, (browser) => screens({ browser, base, people, snap }));
}

async function screens({ browser, base, people, snap }) {
  const slug = `e2e-effets-${Date.now().toString(36)}`;
  for (const [label, viewport] of [
    ['fr-desktop', { width: 1280, height: 800 }],
    ['fr-phone', { width: 390, height: 844 }],
    ['en-phone', { width: 390, height: 844 }],
  ]) {
    const p = await newPerson(browser, base, label, viewport);
    people.push(p);
    await keepOn(p);
    const lang = label.slice(0, 2);
    await p.context.addInitScript((l) => localStorage.setItem('meet.lang', l), lang);
    await p.page.goto(`/${slug}`);
    await p.page.locator('.preview video').waitFor();
    await p.page.getByTestId('effects-details').locator('summary').click();
    const panel = p.page.getByTestId('effects-panel');
    await pickEffect(panel, lang === 'fr' ? 'Flou fort' : 'Strong blur');
    await panel.scrollIntoViewIfNeeded();
    await snap(p, `effects-prejoin-${label}`);
    await p.page.getByLabel(lang === 'fr' ? 'Votre nom' : 'Your name').fill('Eve');
    await p.page.getByRole('button', { name: lang === 'fr' ? 'Rejoindre la réunion' : 'Join meeting' }).click();
    await inCall(p);
    await p.page.getByTestId('effects-toggle').click();
    await p.page.locator('.side-panel [data-testid="effects-panel"] .fx-status[data-state="on"], .side-panel [data-testid="effects-panel"] .fx-status[data-state="reduced"]').waitFor({ state: 'attached', timeout: 30_000 });
    await snap(p, `effects-call-${label}`);
    // One call at a time: each running effect costs most of a core here.
    await p.context.close();
  }
}
