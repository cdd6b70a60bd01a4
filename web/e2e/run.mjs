// Browser end-to-end tests: `npm run test:e2e`. Builds the Go binary and the
// front end, starts `meet serve` on a free port and drives Debian's Chromium.
// Screenshots land in test-artifacts/e2e/ at the repository root.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, leave, newPerson } from './browser.mjs';
import { assertDecoding, waitForRemoteVideo } from './media.mjs';
import { admitWaitingGuest, inCall, joinAsGuest, openRestrictedRoom, saveSettings } from './admission.mjs';
import { languagesScenario } from './i18n.mjs';
import { effectsScenario, effectsScreens } from './effects.mjs';
import { effectsReconnectScenario } from './effects-reconnect.mjs';
import { comfortScenario } from './comfort.mjs';
import { uploadedBackgroundScenario } from './backgrounds.mjs';
import { hostModeratesGuest } from './incall.mjs';
import { recordingPageScenario } from './recordings.mjs';
import { connectionTestScenario } from './diagnostics.mjs';
import { REPO, startMeet } from './server.mjs';

const ARTIFACTS = join(REPO, 'test-artifacts', 'e2e');
rmSync(ARTIFACTS, { recursive: true, force: true });
mkdirSync(ARTIFACTS, { recursive: true });
const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
let shot = 0;
async function snap(person, name, opts = {}) {
  const file = join(ARTIFACTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await person.page.screenshot({ path: file, ...opts });
  log(`  screenshot ${file}`);
}

// How fast an admitted guest must be in the call, from the host's click (the
// pages' own timestamps). The target is one second to be connected; it is
// measured over many admissions by the admission benchmark (npm run
// bench:admission, results in docs/benchmarks.md), not gated here: this test
// shares two cores with three browsers, the SFU and meet, and in the
// machine's slow phases every step takes about twice as long (a median of
// 1180 ms was seen). The gate catches regressions: out of the lobby within a
// second, a median of five admissions connected within 1.5 s (the previous
// version took 1.4-2.0 s in normal phases), each within 3 s.
const ADMIT_MS = Number(process.env.E2E_ADMIT_MS ?? 1000);
const CALL_MS = Number(process.env.E2E_CALL_MS ?? 1500);
const CONNECT_MS = Number(process.env.E2E_CONNECT_MS ?? 3000);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const scenarios = [
  [
    'two guests see each other in a public room',
    async ({ browser, base, people }) => {
      const slug = `e2e-public-${Date.now().toString(36)}`;
      const ann = await newPerson(browser, base, 'ann');
      // Bob is on a phone-sized screen.
      const bob = await newPerson(browser, base, 'bob', { width: 390, height: 844 });
      people.push(ann, bob);
      await ann.page.goto(`/${slug}`);
      await ann.page.locator('.preview video').waitFor();
      await snap(ann, 'guest-prejoin');
      const annSaw = await joinAsGuest(ann, slug, 'Ann Guest');
      if (annSaw.label !== 'Join meeting' || annSaw.who !== 'No one else is here yet') throw new Error(`ann's prejoin: ${JSON.stringify(annSaw)}`);
      await inCall(ann);
      // A public room: the next guest is told by name who is already in.
      const bobSaw = await joinAsGuest(bob, slug, 'Bob Guest');
      if (bobSaw.label !== 'Join meeting' || bobSaw.who !== 'Ann Guest is in the call') throw new Error(`bob's prejoin: ${JSON.stringify(bobSaw)}`);
      await inCall(bob);
      const annSees = await waitForRemoteVideo(ann.page);
      const bobSees = await waitForRemoteVideo(bob.page);
      assertDecoding('ann', annSees);
      assertDecoding('bob', bobSees);
      log(`  ann decodes ${JSON.stringify(annSees)}; bob decodes ${JSON.stringify(bobSees)}`);
      await snap(ann, 'public-ann-sees-bob');
      await snap(bob, 'public-bob-sees-ann-phone');
      // Bob writes in the chat; Ann, whose chat was closed, finds it when she opens hers.
      await bob.page.getByTestId('chat-toggle').click();
      const bobChat = bob.page.getByRole('complementary', { name: 'Chat' });
      await bobChat.getByPlaceholder('Write a message…').fill('Hello from Bob');
      await bobChat.getByRole('button', { name: 'Send' }).click();
      await bobChat.locator('.chat-entry').filter({ hasText: 'Hello from Bob' }).waitFor();
      await snap(bob, 'public-bob-chat-phone');
      // Ann's chat is closed: the unread badge and a short notice show the message.
      await ann.page.locator('.notice[data-notice-key="chat"]').filter({ hasText: 'Bob Guest: Hello from Bob' }).waitFor({ timeout: 5000 });
      await ann.page.getByRole('button', { name: 'Chat (1 unread)' }).waitFor();
      await ann.page.getByTestId('chat-toggle').click();
      await ann.page
        .getByRole('complementary', { name: 'Chat' })
        .locator('.chat-entry[data-origin="remote"]')
        .filter({ hasText: 'Hello from Bob' })
        .waitFor({ timeout: 5000 });
      // On a phone the chat covers the call; close it to reach the leave button.
      await bob.page.getByRole('complementary', { name: 'Chat' }).getByRole('button', { name: 'Close' }).click();
      await leave(bob);
      await snap(ann, 'public-after-bob-left');
      await leave(ann);
    },
  ],
  [
    'restricted room: the owner admits a waiting guest; then opens the room to the public',
    async ({ browser, base, people }) => {
      const { owner, slug } = await openRestrictedRoom(browser, base, snap);
      people.push(owner);
      log(`  room ${slug}`);

      // Four admissions before Gus's, so that the timing is checked on the
      // median of five rather than on one sample.
      const samples = [];
      const participants = owner.page.getByRole('button', { name: /^Participants/ });
      await participants.click();
      for (const name of ['Hal Guest', 'Ivy Guest', 'Jon Guest', 'Kim Guest']) {
        const guest = await newPerson(browser, base, name.split(' ')[0].toLowerCase());
        people.push(guest);
        await joinAsGuest(guest, slug, name);
        await guest.page.getByRole('heading', { name: 'Waiting to be let in' }).waitFor();
        samples.push(await admitWaitingGuest(owner, guest, name));
        await leave(guest);
      }
      await participants.click();

      const gus = await newPerson(browser, base, 'gus');
      people.push(gus);
      // A restricted room: Gus must ask, and learns how many are in, not who.
      const gusSaw = await joinAsGuest(gus, slug, 'Gus Guest');
      if (gusSaw.label !== 'Ask to join' || !/^\d (person is|people are) in the call$/.test(gusSaw.who ?? '')) throw new Error(`gus's prejoin: ${JSON.stringify(gusSaw)}`);
      await gus.page.getByRole('heading', { name: 'Waiting to be let in' }).waitFor();
      await snap(gus, 'guest-waiting');

      // The host hears the knock, opens the participants panel and admits.
      await owner.page.locator('.knock-toast').filter({ hasText: 'Gus Guest wants to join' }).waitFor({ timeout: 10_000 });
      await snap(owner, 'owner-knock-notification');
      await participants.click();
      await owner.page.getByRole('button', { name: 'Admit Gus Guest' }).waitFor();
      await snap(owner, 'owner-lobby-panel');
      samples.push(await admitWaitingGuest(owner, gus, 'Gus Guest'));
      for (const took of samples) {
        log(`  after the host's click (ms): ${JSON.stringify(took)}`);
        if (took['lobby-accepted'] > ADMIT_MS) throw new Error(`a guest left the lobby ${took['lobby-accepted']} ms after admit (want ≤ ${ADMIT_MS} ms)`);
        if (took.connected > CONNECT_MS) throw new Error(`a guest connected ${took.connected} ms after admit (want ≤ ${CONNECT_MS} ms)`);
      }
      const connected = median(samples.map((s) => s.connected));
      log(`  median over ${samples.length} admissions: connected ${connected} ms after the host's click`);
      if (connected > CALL_MS) throw new Error(`admitted guests were connected in a median ${connected} ms (want ≤ ${CALL_MS} ms)`);
      assertDecoding('gus', await waitForRemoteVideo(gus.page));
      assertDecoding('owner', await waitForRemoteVideo(owner.page));
      await snap(gus, 'guest-admitted');
      await snap(owner, 'owner-with-guest');

      // Opening the room: a new guest enters without waiting.
      await saveSettings(owner, 'Anyone with the link');
      await snap(owner, 'owner-public-settings');
      const pia = await newPerson(browser, base, 'pia');
      people.push(pia);
      await joinAsGuest(pia, slug, 'Pia Public');
      await inCall(pia);
      if (await pia.page.getByRole('heading', { name: 'Waiting to be let in' }).count()) throw new Error('pia had to wait');
      assertDecoding('pia', await waitForRemoteVideo(pia.page, 2));
      await snap(pia, 'public-guest-direct');
      await leave(pia);
      await leave(gus);
      await leave(owner);
    },
  ],
  ['in the call, a host sees a raised hand and a reaction, mutes and removes a guest', (ctx) => hostModeratesGuest({ ...ctx, snap, log })],
  ['effects: blur and a virtual background reach the other side, audio flows with noise suppression, nothing leaves meet', (ctx) => effectsScenario({ ...ctx, snap, log })],
  ['effects: the picker in French and on phones, before and during the call', (ctx) => effectsScreens({ ...ctx, snap, log })],
  ['effects: a blur survives a reconnection (signal resume and full rejoin)', (ctx) => effectsReconnectScenario({ ...ctx, snap, log })],
  [
    'effects: an uploaded background is refused when not an image, applied (seen by the other side), listed and removed',
    (ctx) => uploadedBackgroundScenario({ ...ctx, snap, log }),
  ],
  [
    'comfort: shortcuts mute (seen by the other side), "?" help sheet, picture-in-picture, settings dialog changes the language',
    (ctx) => comfortScenario({ ...ctx, snap, log }),
  ],
  [
    'recordings: the owner plays a recording from the e-mailed link; others get "not available"',
    (ctx) => recordingPageScenario({ ...ctx, snap, log }),
  ],
  [
    'languages: German and Dutch home, prejoin and call show no English; a signed-in pick is saved to the account',
    (ctx) => languagesScenario({ ...ctx, snap, log }),
  ],
  [
    'connection test: off by default; on, signalling, UDP, TURN and publishing pass and the report lists them',
    (ctx) => connectionTestScenario({ ...ctx, snap, log }),
  ],
];

// E2E_ONLY=<regular expression> runs the scenarios whose name matches.
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
const selected = scenarios.filter(([name]) => !only || only.test(name));

const results = [];
let meet;
let browser;
try {
  // Recording on: the recording scenario drives the in-process recorder.
  meet = await startMeet({ log, env: { MEET_RECORDING_ENABLED: 'true' } });
  browser = await launchBrowser();
  log(`chromium ${browser.version()}`);
  for (const [name, fn] of selected) {
    const people = [];
    const start = Date.now();
    log(`▶ ${name}`);
    try {
      await fn({ browser, base: meet.base, people, meet });
      const problems = people.flatMap((p) => p.problems);
      if (problems.length) throw new Error(problems.join('\n'));
      results.push({ name, ok: true, ms: Date.now() - start });
      log(`✔ ${name}`);
    } catch (err) {
      results.push({ name, ok: false, ms: Date.now() - start, error: String(err?.stack ?? err) });
      log(`✘ ${name}\n${err?.stack ?? err}`);
      for (const p of people) {
        await p.page.screenshot({ path: join(ARTIFACTS, `FAIL-${p.label}.png`) }).catch(() => {});
        for (const pr of p.problems) log(`  ${pr}`);
      }
    } finally {
      for (const p of people) await p.context.close().catch(() => {});
    }
  }
} catch (err) {
  results.push({ name: 'setup', ok: false, error: String(err?.stack ?? err) });
  log(`✘ setup\n${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  if (meet) {
    writeFileSync(join(ARTIFACTS, 'meet-serve.log'), meet.logs());
    await meet.stop();
  }
}

const failed = results.filter((r) => !r.ok);
writeFileSync(join(ARTIFACTS, 'results.json'), JSON.stringify(results, null, 2));
console.log(`\n${results.length - failed.length}/${results.length} passed; screenshots and logs in ${ARTIFACTS}`);
process.exit(failed.length ? 1 : 0);
