// A background blur picked in a call survives reconnections: Ann blurs her
// camera, her page loses its connection to the SFU three ways (a signal
// resume, a resume that fails and becomes a full rejoin, a full rejoin), and
// after each one Bob still receives blurred frames and Ann's panel still
// shows the blur on. The reconnections are livekit-client's own simulations
// (Room.simulateScenario), reached through the room the page hands to tests
// (window.__meetTestRoom).
import { newPerson } from './browser.mjs';
import { inCall, joinAsGuest } from './admission.mjs';
import { waitForRemoteVideo } from './media.mjs';
import { keepOn, pickEffect, sampleRemote, withSlowCamera } from './effects.mjs';

// What each simulation must go through, and whether Ann's camera comes back
// as a new publication (a full rejoin) or the same one (a resume).
const RECONNECTIONS = [
  { scenario: 'signal-reconnect', via: 'signalReconnecting', rejoins: false },
  { scenario: 'resume-reconnect', via: 'reconnecting', rejoins: true },
  { scenario: 'full-reconnect', via: 'reconnecting', rejoins: true },
];

/** effectsReconnectScenario is the scenario; `snap(person, name)` takes a screenshot. */
export function effectsReconnectScenario({ base, people, snap, log }) {
  return withSlowCamera(people, (browser) => reconnectCall({ base, browser, people, snap, log }));
}

/** cameraSid is the SID of the camera Ann's page publishes now. */
const cameraSid = (page) => page.evaluate(() => window.__meetTestRoom?.localParticipant.getTrackPublication('camera')?.trackSid ?? null);

/**
 * reconnect has the page's room simulate `scenario` and resolves once the
 * room is connected again (its Reconnected event, within 45 s). It returns
 * the connection states it went through and whether the "Reconnecting"
 * banner showed.
 */
async function reconnect(page, scenario) {
  return page.evaluate(async (s) => {
    const room = window.__meetTestRoom;
    if (!room) throw new Error('the page did not hand its room to the test');
    const states = [];
    const onState = (st) => states.push(st);
    let banner = false;
    const seen = () => {
      if ([...document.querySelectorAll('.connection-banner')].some((b) => b.textContent.startsWith('Reconnecting'))) banner = true;
    };
    const observer = new MutationObserver(seen);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    room.on('connectionStateChanged', onState);
    try {
      const reconnected = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no Reconnected event 45 s after ${s} (states: ${states.join(', ')})`)), 45_000);
        room.once('reconnected', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await room.simulateScenario(s);
      await reconnected;
    } finally {
      room.off('connectionStateChanged', onState);
      observer.disconnect();
    }
    return { states, state: room.state, banner };
  }, scenario);
}

/**
 * receives waits until Bob's page shows, in a video element, the camera
 * track Ann publishes as `sid`, and that frames of it are decoded.
 */
async function receives(bob, sid) {
  await bob.page.waitForFunction(
    (want) => {
      const room = window.__meetTestRoom;
      const pubs = [...(room?.remoteParticipants.values() ?? [])].flatMap((p) => [...p.videoTrackPublications.values()]);
      const pub = pubs.find((x) => x.trackSid === want && x.isSubscribed && x.track);
      if (!pub) return false;
      const videos = document.querySelectorAll('.lk-participant-tile[data-lk-local-participant="false"] video');
      return [...videos].some((v) => v.srcObject?.getVideoTracks()[0] === pub.track.mediaStreamTrack);
    },
    sid,
    { timeout: 30_000 },
  );
  await waitForRemoteVideo(bob.page);
}

async function reconnectCall({ base, browser, people, snap, log }) {
  const slug = `e2e-reconnect-${Date.now().toString(36)}`;
  const ann = await newPerson(browser, base, 'ann');
  const bob = await newPerson(browser, base, 'bob');
  people.push(ann, bob);
  for (const p of [ann, bob]) await p.context.addInitScript(() => (window.__meetTestRoom = null));
  await ann.context.addInitScript(() => (window.__meetEffectStats = []));
  await keepOn(ann);

  await joinAsGuest(bob, slug, 'Bob Guest');
  await inCall(bob);
  await joinAsGuest(ann, slug, 'Ann Guest');
  await inCall(ann);
  await ann.page.waitForFunction(() => window.__meetTestRoom?.localParticipant.getTrackPublication('camera')?.trackSid, null, { timeout: 20_000 });
  await receives(bob, await cameraSid(ann.page));

  // Raw first, then the blur, as Bob receives them.
  await ann.page.getByTestId('effects-toggle').click();
  const panel = ann.page.getByRole('complementary', { name: 'Background and sound' }).getByTestId('effects-panel');
  const settle = () => bob.page.waitForFunction(() => new Promise((r) => setTimeout(() => r(true), 1500)));
  await pickEffect(panel, 'None');
  await settle();
  const raw = await sampleRemote(bob.page);
  await pickEffect(panel, 'Strong blur');
  await panel.locator('.fx-status[data-state="on"], .fx-status[data-state="reduced"]').waitFor({ state: 'attached', timeout: 30_000 });
  await settle();
  const blurred = await sampleRemote(bob.page);
  log(`  detail Bob receives: raw ${raw.detail.toFixed(2)}, strong blur ${blurred.detail.toFixed(2)}`);
  if (!(blurred.detail < raw.detail * 0.85)) throw new Error(`the blur did not blur what Bob receives: ${blurred.detail} vs raw ${raw.detail}`);

  for (const { scenario, via, rejoins } of RECONNECTIONS) {
    const before = await cameraSid(ann.page);
    const went = await reconnect(ann.page, scenario);
    log(`  ${scenario}: states ${went.states.join(' → ')}, banner shown ${went.banner}`);
    if (went.state !== 'connected' || !went.states.includes(via) || went.states.at(-1) !== 'connected') {
      throw new Error(`${scenario}: want a pass through ${via} ending connected, got ${JSON.stringify(went)}`);
    }
    if (!went.banner) throw new Error(`${scenario}: the "Reconnecting" banner never showed`);
    await ann.page.locator('.conf-shell[data-connection-state="connected"]').waitFor({ timeout: 15_000 });
    await ann.page.locator('.connection-banner').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', timeout: 15_000 });
    const after = await cameraSid(ann.page);
    if (!after) throw new Error(`${scenario}: Ann's camera is not published after the reconnection`);
    if (rejoins !== (after !== before)) throw new Error(`${scenario}: camera ${before} → ${after}, want ${rejoins ? 'a new' : 'the same'} publication`);
    await receives(bob, after);

    // The processor still runs on Ann's camera and Bob still gets its output.
    const frames = await ann.page.evaluate(() => window.__meetEffectStats.length);
    await ann.page.waitForFunction((n) => window.__meetEffectStats.length >= n + 10, frames, { timeout: 30_000 });
    await settle();
    const again = await sampleRemote(bob.page);
    log(`  after ${scenario}: camera ${before} → ${after}, detail Bob receives ${again.detail.toFixed(2)} (raw ${raw.detail.toFixed(2)})`);
    if (!(again.detail < raw.detail * 0.85)) throw new Error(`after ${scenario} the blur is gone for Bob: ${again.detail} vs raw ${raw.detail}`);
    const chosen = await panel.locator('[data-checked="true"]').innerText();
    if (!/Strong blur/.test(chosen)) throw new Error(`after ${scenario} the panel shows ${chosen}, not the blur`);
    const state = await panel.locator('.fx-status').getAttribute('data-state');
    if (state !== 'on' && state !== 'reduced') throw new Error(`after ${scenario} the effect is ${state}`);
  }
  await snap(ann, 'effects-after-reconnect');
  await snap(bob, 'effects-bob-after-reconnect');
}
