// Uploaded virtual backgrounds, end to end, on a meet with uploads on
// (MEET_FILE_UPLOAD_ENABLED=true): the owner, signed in, is refused a
// file that is not an image (told why, nothing kept), adds a striped PNG
// from the prejoin picker and joins; Bob, a guest on a phone, receives
// frames that look like the stripes, not like the camera. The image is
// listed in the call's picker, through the files API and after coming
// back to the room (still chosen), in French on a phone too; removing it
// goes back to no effect and deletes it on the server. Nothing leaves
// meet's origin.
import { newPerson } from './browser.mjs';
import { inCall, joinAsGuest, signIn } from './admission.mjs';
import { foreignRequests, gridDistance, imageGrid, keepOn, sampleRemote, watchRequests, withSlowCamera } from './effects.mjs';
import { waitForRemoteVideo } from './media.mjs';
import { api, signInAs } from './recordings.mjs';
import { OWNER, startMeet } from './server.mjs';

/** stripesPng draws four vertical colour bands (a background nothing else looks like) as a PNG. */
async function stripesPng(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 360;
    const ctx = c.getContext('2d');
    ['#e53935', '#43a047', '#1e88e5', '#fdd835'].forEach((colour, i) => {
      ctx.fillStyle = colour;
      ctx.fillRect(i * 160, 0, 160, 360);
    });
    return c.toDataURL('image/png');
  });
  return { dataUrl, buffer: Buffer.from(dataUrl.split(',')[1], 'base64') };
}

/** uploadedTiles names the person's own images listed in a picker. */
const uploadedTiles = (panel) => panel.getByTestId('uploaded-background').locator('.fx-label').allInnerTexts();

/** whenOn waits until the picker says the effect runs (or runs lowered). */
const whenOn = (panel) => panel.locator('.fx-status[data-state="on"], .fx-status[data-state="reduced"]').waitFor({ state: 'attached', timeout: 60_000 });

/** uploadedBackgroundScenario is the scenario; it starts its own meet with uploads on. */
export async function uploadedBackgroundScenario({ meet, people, snap, log }) {
  const on = await startMeet({ log, prebuilt: { bin: meet.bin, webDir: meet.webDir }, env: { MEET_FILE_UPLOAD_ENABLED: 'true' } });
  try {
    await withSlowCamera(people, (browser) => uploadAndUse({ browser, base: on.base, people, snap, log }));
  } finally {
    await on.stop();
  }
}

async function uploadAndUse({ browser, base, people, snap, log }) {
  const slug = `e2e-uploads-${Date.now().toString(36)}`;
  const owner = await newPerson(browser, base, 'owner');
  const bob = await newPerson(browser, base, 'bob', { width: 390, height: 844 });
  people.push(owner, bob);
  const ownerUrls = watchRequests(owner);
  const bobUrls = watchRequests(bob);
  await keepOn(owner);
  await signIn(owner);

  // The prejoin picker offers "Add an image" to a signed-in person.
  await owner.page.goto(`/${slug}`);
  await owner.page.locator('.preview video').waitFor();
  await owner.page.getByText('Background and sound').click();
  const pre = owner.page.getByTestId('effects-panel');
  await pre.getByText('Add an image').waitFor();
  const input = pre.getByTestId('background-upload-input');

  // A text file named .png: the server reads the bytes, refuses it and keeps nothing.
  await input.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are my meeting notes, not an image') });
  const problem = await pre.getByTestId('background-upload-problem').innerText();
  if (problem !== 'This file is not a valid image, or its content does not match its name.') throw new Error(`refusal says: ${problem}`);
  const afterRefusal = await api(owner.page, 'GET', '/files/?type=background_image');
  if (afterRefusal.status !== 200 || afterRefusal.body.count !== 0) throw new Error(`a refused file was kept: ${JSON.stringify(afterRefusal)}`);
  await snap(owner, 'uploads-refused-en', { fullPage: true });

  // The striped PNG is added, listed and chosen at once.
  const stripes = await stripesPng(owner.page);
  await input.setInputFiles({ name: 'stripes.png', mimeType: 'image/png', buffer: stripes.buffer });
  await pre.locator('[data-testid="uploaded-background"] [data-checked="true"]').filter({ hasText: 'stripes' }).waitFor({ timeout: 15_000 });
  if ((await pre.getByTestId('background-upload-problem').count()) !== 0) throw new Error('the refusal is still shown after a good upload');
  await whenOn(pre);
  await snap(owner, 'uploads-prejoin-en', { fullPage: true });
  const listed = await api(owner.page, 'GET', '/files/?type=background_image&upload_state=ready');
  const file = listed.body.results?.[0];
  if (listed.body.count !== 1 || file.filename !== 'stripes.png' || file.mimetype !== 'image/png' || file.size !== stripes.buffer.length) {
    throw new Error(`files/ lists: ${JSON.stringify(listed.body)}`);
  }
  log(`  uploaded ${file.filename}: ${file.size} bytes, ${file.mimetype}, ${file.upload_state}`);

  // Bob joins first; then the owner, with the stripes behind them.
  await joinAsGuest(bob, slug, 'Bob Guest');
  await inCall(bob);
  await owner.page.getByRole('button', { name: 'Join meeting' }).click();
  await inCall(owner);
  await waitForRemoteVideo(bob.page);
  const settle = () => bob.page.waitForFunction(() => new Promise((r) => setTimeout(() => r(true), 1500)));
  await settle();
  const withStripes = await sampleRemote(bob.page);
  await snap(bob, 'uploads-bob-sees-stripes-phone');

  // The call's picker lists the image, chosen; None gives the raw camera to compare with.
  await owner.page.getByTestId('effects-toggle').click();
  const call = owner.page.getByRole('complementary', { name: 'Background and sound' }).getByTestId('effects-panel');
  const inCallList = await uploadedTiles(call);
  if (JSON.stringify(inCallList) !== '["stripes"]') throw new Error(`the call's picker lists ${JSON.stringify(inCallList)}`);
  if (!(await call.locator('[data-checked="true"]').innerText()).includes('stripes')) throw new Error('the uploaded background is not chosen in the call');
  await snap(owner, 'uploads-call-en');
  await call.getByText('None', { exact: true }).click();
  await call.locator('.fx-status[data-state="off"]').waitFor({ state: 'attached' });
  await settle();
  const raw = await sampleRemote(bob.page);
  const image = await imageGrid(bob.page, stripes.dataUrl);
  const toImage = gridDistance(withStripes.grid, image);
  const rawToImage = gridDistance(raw.grid, image);
  log(`  colour distance to the uploaded image: with it ${toImage.toFixed(1)}, raw camera ${rawToImage.toFixed(1)}`);
  if (!(toImage < rawToImage * 0.5)) throw new Error(`the uploaded background does not show: ${toImage} vs raw ${rawToImage}`);

  // Chosen again; the owner closes the tab and comes back later in the same
  // browser: still listed, still chosen. (Closing rather than leaving: with
  // an effect on, this machine's software WebGL keeps the page's main thread
  // so busy that a leave and a navigation can take longer than a test waits.)
  await call.getByText('stripes', { exact: true }).click();
  await whenOn(call);
  await owner.page.close();
  owner.page = await owner.context.newPage();
  owner.page.on('pageerror', (err) => owner.problems.push(`[owner] page error: ${err.message}`));
  await owner.page.goto(`/${slug}`);
  await owner.page.locator('.preview video').waitFor();
  await owner.page.getByText('Background and sound').click();
  const back = owner.page.getByTestId('effects-panel');
  await back.locator('[data-testid="uploaded-background"] [data-checked="true"]').filter({ hasText: 'stripes' }).waitFor({ timeout: 15_000 });
  await whenOn(back);

  // French, on a phone, same account: the same list.
  const fr = await newPerson(browser, base, 'owner-fr-phone', { width: 390, height: 844 });
  people.push(fr);
  const frUrls = watchRequests(fr);
  await keepOn(fr);
  await fr.context.addInitScript(() => localStorage.setItem('meet.lang', 'fr'));
  await signInAs(fr, OWNER);
  await fr.page.goto(`/${slug}`);
  await fr.page.locator('.preview video').waitFor();
  await fr.page.getByText('Arrière-plan et son').click();
  const frPanel = fr.page.getByTestId('effects-panel');
  await frPanel.getByText('Ajouter une image').waitFor();
  const frList = await uploadedTiles(frPanel);
  if (JSON.stringify(frList) !== '["stripes"]') throw new Error(`the French picker lists ${JSON.stringify(frList)}`);
  await frPanel.getByText('stripes', { exact: true }).scrollIntoViewIfNeeded();
  await snap(fr, 'uploads-prejoin-fr-phone');
  await fr.context.close();

  // Removing the chosen image: gone from the list and the server, back to no effect.
  await back.getByRole('button', { name: 'Remove stripes' }).click();
  await back.getByTestId('uploaded-background').waitFor({ state: 'detached' });
  if (!(await back.locator('[data-checked="true"]').innerText()).includes('None')) throw new Error('removing the chosen image did not go back to no effect');
  // The preview shows the plain camera again (the fake camera's bright green), not a black or frozen frame.
  await owner.page.waitForFunction(
    () => {
      const v = document.querySelector('.preview video');
      if (!v || v.videoWidth === 0) return false;
      const c = document.createElement('canvas');
      c.width = 32;
      c.height = 18;
      const ctx = c.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(v, 0, 0, 32, 18);
      const d = ctx.getImageData(0, 0, 32, 18).data;
      let green = 0;
      for (let i = 0; i < d.length; i += 4) green += d[i + 1] > 100 && d[i] < 100 && d[i + 2] < 100 ? 1 : 0;
      return green > (32 * 18) / 2;
    },
    null,
    { timeout: 15_000, polling: 200 },
  );
  const afterRemove = await api(owner.page, 'GET', '/files/?type=background_image');
  if (afterRemove.body.count !== 0) throw new Error(`files/ still lists ${afterRemove.body.count} after removal`);
  // no-store: the owner's browser may keep its own copy for an hour (private cache).
  const media = await owner.page.evaluate(async (u) => (await fetch(u, { cache: 'no-store' })).status, new URL(file.url).pathname);
  if (media !== 404) throw new Error(`the removed image still loads (${media})`);
  await snap(owner, 'uploads-removed-en', { fullPage: true });

  const foreign = foreignRequests([...ownerUrls, ...bobUrls, ...frUrls], base);
  if (foreign.length) throw new Error(`requests left meet's origin:\n${[...new Set(foreign)].join('\n')}`);
}
