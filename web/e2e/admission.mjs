// The lobby admission steps shared by the browser tests and the admission
// benchmark, with timings read from the pages' own performance timelines.
import { newPerson } from './browser.mjs';
import { OWNER } from './server.mjs';

/** signIn signs the owner in with the local account. */
export async function signIn(person) {
  const { page } = person;
  await page.goto('/');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.locator('form[aria-labelledby="login-title"] button[type="submit"]').click();
  await page.getByRole('button', { name: 'New meeting' }).waitFor();
}

/** inCall waits until the page is connected to the SFU and shows its own tile. */
export async function inCall(person, timeout = 20_000) {
  await person.page.locator('.conf-shell[data-connection-state="connected"]').waitFor({ timeout });
  await person.page.locator('.lk-participant-tile[data-lk-local-participant="true"]').first().waitFor({ timeout });
}

/** saveSettings picks an access level in the host settings panel and saves it. */
export async function saveSettings(person, accessLabel) {
  const { page } = person;
  const panel = page.getByRole('complementary', { name: 'Room settings' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Room settings' }).click();
  await panel.getByLabel(accessLabel).check();
  await panel.getByRole('button', { name: 'Save' }).click();
  await panel.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

/**
 * joinAsGuest opens the room's page, types a name and joins (or asks to,
 * when the room makes guests wait). It waits for the room's preview first and
 * returns what the prejoin screen said: the button's label and who is in.
 */
export async function joinAsGuest(person, slug, name) {
  await person.page.goto(`/${slug}`);
  const who = await person.page.locator('.prejoin-who').textContent();
  await person.page.getByLabel('Your name').fill(name);
  const button = person.page.locator('form.card button[type="submit"]');
  const label = (await button.textContent())?.trim();
  await button.click();
  return { label, who: who?.trim() };
}

/** milestones returns the page's meet:* performance marks as epoch milliseconds. */
export async function milestones(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('meet:'))
        .map((m) => [m.name.slice(5), performance.timeOrigin + m.startTime]),
    ),
  );
}

// What the guest's page reaches after the host's click, in order.
export const STEPS = ['lobby-accepted', 'call-connecting', 'call-shown', 'signal-connected', 'connected', 'published-audio', 'published-video'];

/**
 * admitWaitingGuest has the owner (whose participants panel is open) admit
 * the guest named `name`, waits until the guest is connected, and returns how
 * long after the owner's click each of the guest's milestones came (ms).
 * The clicks and milestones are the pages' own timestamps, so the test
 * driver's polling does not count.
 */
export async function admitWaitingGuest(owner, guest, name) {
  const admit = owner.page.getByRole('button', { name: `Admit ${name}` });
  await admit.waitFor();
  await admit.click();
  await inCall(guest, 10_000);
  // Publishing completes a moment after connecting.
  await guest.page.waitForFunction(
    () => ['audio', 'video'].every((k) => performance.getEntriesByName(`meet:published-${k}`).length > 0),
    null,
    { timeout: 10_000 },
  );
  const decided = (await milestones(owner.page))['lobby-decision'];
  const reached = await milestones(guest.page);
  if (!decided) throw new Error('the owner page did not mark its decision');
  return Object.fromEntries(STEPS.map((s) => [s, reached[s] === undefined ? null : Math.round(reached[s] - decided)]));
}

/**
 * openRestrictedRoom signs the owner in, creates a room, joins it, makes it
 * restricted and opens the participants panel. Returns the owner and slug.
 */
export async function openRestrictedRoom(browser, base, snap = async () => {}) {
  const owner = await newPerson(browser, base, 'owner');
  await signIn(owner);
  await snap(owner, 'owner-signed-in');
  await owner.page.getByRole('button', { name: 'New meeting' }).click();
  const link = await owner.page.getByLabel('Meeting link', { exact: true }).inputValue();
  const slug = new URL(link).pathname.slice(1);
  if (!/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/.test(slug)) throw new Error(`unexpected room code ${slug}`);
  await snap(owner, 'owner-meeting-ready');
  await owner.page.getByRole('button', { name: 'Join now' }).click();
  await owner.page.getByRole('button', { name: 'Join meeting' }).click();
  await inCall(owner);
  await saveSettings(owner, 'Everyone not invited waits in the lobby');
  await snap(owner, 'owner-restricted-settings');
  await owner.page.getByRole('button', { name: 'Room settings' }).click();
  return { owner, slug };
}
