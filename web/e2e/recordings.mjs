// The recording page scenario: the owner records a call with the real
// recorder, opens the page the "recording ready" e-mail links to and plays
// it; another account and an anonymous visitor get "not available".
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { newPerson } from './browser.mjs';
import { inCall } from './admission.mjs';
import { OWNER, STRANGER } from './server.mjs';

/** signInAs signs a local account in from the home page. */
export async function signInAs(person, account) {
  const { page } = person;
  await page.goto('/');
  await page.locator('input[name="email"]').fill(account.email);
  await page.locator('input[name="password"]').fill(account.password);
  await page.locator('form[aria-labelledby="login-title"] button[type="submit"]').click();
  // Attached, not visible: phones hide the name.
  await page.locator('.app-header').getByText(account.name).waitFor({ state: 'attached' });
}

/** api calls the REST API from the page, with its cookies and CSRF header, and returns {status, body}. */
export function api(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='))?.slice(10) ?? '';
      const res = await fetch(`/api/v1.0${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': decodeURIComponent(csrf) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body],
  );
}

/** until polls fn every 100 ms until it returns a truthy value, or throws after ms. */
export async function until(what, ms, fn) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function bytesUnder(dir) {
  let n = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? bytesUnder(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  } catch {
    // not created yet
  }
  return n;
}

const SAVED = new Set(['saved', 'notification_succeeded', 'external_process_successful', 'external_process_failed']);

/**
 * recordCall has the signed-in owner start a meeting, record it until the
 * recorder has written some media, stop, and wait until the recording is
 * saved. Returns the owner (still in the call), the room slug and the recording id.
 */
export async function recordCall(browser, base, dataDir, snap = async () => {}) {
  const owner = await newPerson(browser, base, 'owner');
  await signInAs(owner, OWNER);
  await owner.page.getByRole('button', { name: 'New meeting' }).click();
  const slug = new URL(await owner.page.getByLabel('Meeting link', { exact: true }).inputValue()).pathname.slice(1);
  await owner.page.getByRole('button', { name: 'Join now' }).click();
  await owner.page.getByRole('button', { name: 'Join meeting' }).click();
  await inCall(owner);
  await snap(owner, 'owner-alone-in-call');
  const started = await api(owner.page, 'POST', `/rooms/${slug}/start-recording/`, { mode: 'screen_recording' });
  if (started.status !== 201) throw new Error(`start-recording: ${started.status} ${JSON.stringify(started.body)}`);
  const list = await api(owner.page, 'GET', '/recordings/');
  const id = list.body.results[0]?.id;
  if (!id) throw new Error(`no recording listed: ${JSON.stringify(list.body)}`);
  // Some seconds of media, measured on the recorder's own files.
  await until('the recorder to write media', 30_000, () => bytesUnder(join(dataDir, 'recordings', id)) > 60_000);
  // Someone about to join is told before entering; the recorder is not
  // counted among the people in the call.
  const visitor = await newPerson(browser, base, 'visitor');
  try {
    await visitor.page.goto(`/${slug}`);
    const notice = visitor.page.locator('.prejoin-recording');
    await notice.waitFor({ timeout: 15_000 });
    const said = { notice: (await notice.textContent())?.trim(), who: (await visitor.page.locator('.prejoin-who').textContent())?.trim() };
    if (said.notice !== 'This meeting is being recorded By joining, you agree to appear in it.' || !/^(1 person is|\S.* is) in the call$/.test(said.who ?? '')) {
      throw new Error(`prejoin during a recording: ${JSON.stringify(said)}`);
    }
    await snap(visitor, 'prejoin-while-recording');
  } finally {
    await visitor.context.close();
  }
  const stopped = await api(owner.page, 'POST', `/rooms/${slug}/stop-recording/`);
  if (stopped.status !== 200) throw new Error(`stop-recording: ${stopped.status} ${JSON.stringify(stopped.body)}`);
  await until('the recording to be saved', 60_000, async () => SAVED.has((await api(owner.page, 'GET', `/recordings/${id}/`)).body?.status));
  return { owner, slug, id };
}

/** scenario is the browser test of /recordings/<id> (see run.mjs). */
export async function recordingPageScenario({ browser, base, people, meet, snap, log }) {
  const { owner, id } = await recordCall(browser, base, meet.tmp, snap);
  people.push(owner);
  log(`  recording ${id} saved`);

  // The owner opens the e-mailed link: the player loads the file (range
  // requests) far enough to know its duration.
  await owner.page.goto(`/recordings/${id}`);
  await owner.page.getByRole('heading', { name: /^Recording of / }).waitFor();
  const duration = owner.page.getByTestId('recording-duration');
  await until('the video metadata', 15_000, async () => /^\d+:\d\d$/.test((await duration.textContent()) ?? ''));
  const media = await owner.page.locator('video.recording-player').evaluate((v) => ({ duration: v.duration, readyState: v.readyState, error: v.error?.code ?? null }));
  log(`  player: ${JSON.stringify(media)}, shown as ${await duration.textContent()}`);
  if (!(media.duration > 1) || media.error !== null) throw new Error(`the recording does not play: ${JSON.stringify(media)}`);
  const download = owner.page.getByRole('link', { name: 'Download the recording' });
  if ((await download.getAttribute('href')) !== `/api/v1.0/recordings/${id}/download/`) throw new Error('wrong download link');
  const head = await owner.page.evaluate(async (url) => {
    const r = await fetch(url, { headers: { Range: 'bytes=0-15' } });
    return { status: r.status, type: r.headers.get('content-type'), len: (await r.arrayBuffer()).byteLength };
  }, `/api/v1.0/recordings/${id}/download/`);
  if (head.status !== 206 || head.type !== 'video/mp4' || head.len !== 16) throw new Error(`download: ${JSON.stringify(head)}`);
  await snap(owner, 'recording-owner');

  // "My recordings", reached from the home page.
  await owner.page.goto('/');
  await owner.page.getByRole('link', { name: 'My recordings' }).click();
  await owner.page.locator(`a[href="/recordings/${id}"]`).filter({ hasText: /\d{4}/ }).waitFor();
  await owner.page.locator('.pill.ready').first().waitFor();
  await snap(owner, 'recordings-list');

  // Another account: not available, and nothing to play.
  const stranger = await newPerson(browser, base, 'stranger');
  people.push(stranger);
  await signInAs(stranger, STRANGER);
  await stranger.page.goto(`/recordings/${id}`);
  await stranger.page.getByRole('heading', { name: 'This recording is not available' }).waitFor();
  if (await stranger.page.locator('video').count()) throw new Error('a stranger got a player');
  if (await stranger.page.getByRole('button', { name: 'Sign in' }).count()) throw new Error('a signed-in stranger was asked to sign in');
  await snap(stranger, 'recording-stranger');

  // Nobody signed in: not available, with a sign-in button that comes back here.
  const anon = await newPerson(browser, base, 'anonymous');
  people.push(anon);
  await anon.page.goto(`/recordings/${id}`);
  await anon.page.getByRole('heading', { name: 'This recording is not available' }).waitFor();
  await anon.page.getByRole('button', { name: 'Sign in' }).click();
  await anon.page.waitForURL((u) => u.searchParams.get('returnTo')?.endsWith(`/recordings/${id}`));
  await anon.page.locator('input[name="email"]').fill(OWNER.email);
  await anon.page.locator('input[name="password"]').fill(OWNER.password);
  await anon.page.locator('form[aria-labelledby="login-title"] button[type="submit"]').click();
  await anon.page.waitForURL((u) => u.pathname === `/recordings/${id}`);
  await anon.page.getByRole('heading', { name: /^Recording of / }).waitFor();
}
