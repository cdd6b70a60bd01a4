// The comfort scenario: keyboard shortcuts (the other side sees the mute),
// the "?" help sheet with Escape returning focus, picture-in-picture, and
// the settings dialog, whose language choice changes the interface (and is
// saved to the signed-in owner's account). Screenshots of every settings
// tab and of the help sheet, in English and French, desktop and phone.
import { inCall, signIn } from './admission.mjs';
import { newPerson } from './browser.mjs';
import { guestJoins } from './incall.mjs';

const TABS = [
  ['Account', 'Compte'],
  ['Audio', 'Audio'],
  ['Video', 'Vidéo'],
  ['Notifications', 'Notifications'],
  ['Shortcuts', 'Raccourcis'],
];

/** blur leaves focus on the page itself, as after a click on the stage. */
const blur = (page) => page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());

const activeTestId = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

async function openMore(page, item) {
  await page.getByTestId('more-toggle').click();
  await page.getByRole('menu').getByRole('menuitem', { name: item }).click();
}

/** shootTabs takes a screenshot of every tab of the open settings dialog. */
async function shootTabs(person, snap, lang, device) {
  const dialog = person.page.getByRole('dialog');
  for (const names of TABS) {
    const name = names[lang === 'en' ? 0 : 1];
    await dialog.getByRole('tab', { name }).click();
    await dialog.locator(`[role="tab"][aria-selected="true"]`).filter({ hasText: name }).waitFor();
    await snap(person, `comfort-settings-${name.toLowerCase()}-${lang}-${device}`);
  }
}

/** helpSheet opens the help sheet with "?" from the More button, checks it, and closes it with Escape. */
async function helpSheet(person, snap, lang, device, log) {
  const { page } = person;
  const title = lang === 'en' ? 'Keyboard shortcuts' : 'Raccourcis clavier';
  // Focus on the More button, as if reached with Tab; "?" is not typing there.
  await page.getByTestId('more-toggle').focus();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: title });
  await sheet.waitFor({ timeout: 10_000 });
  await sheet.getByRole('rowheader', { name: lang === 'en' ? 'Turn the microphone on or off' : 'Activer ou couper le micro' }).waitFor();
  await snap(person, `comfort-help-${lang}-${device}`);
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached', timeout: 10_000 });
  const focused = await activeTestId(page);
  if (focused !== 'more-toggle') throw new Error(`after Escape, focus is on ${focused}, not on the More button that had it`);
  log(`  [${person.label}] "?" opened the help sheet; Escape closed it and focus went back`);
}

/** comfortScenario is the scenario; `snap(person, name)` takes a screenshot. */
export async function comfortScenario({ browser, base, people, snap, log }) {
  const owner = await newPerson(browser, base, 'owner');
  people.push(owner);
  owner.page.on('crash', () => log('  [owner] the page crashed'));
  await signIn(owner);
  await owner.page.getByRole('button', { name: 'New meeting' }).click();
  const slug = new URL(await owner.page.getByLabel('Meeting link', { exact: true }).inputValue()).pathname.slice(1);
  await owner.page.getByRole('button', { name: 'Join now' }).click();
  await owner.page.getByRole('button', { name: /Join meeting|Ask to join/ }).click();
  await inCall(owner);
  // The guest is on a phone-sized screen.
  const guest = await newPerson(browser, base, 'gus', { width: 390, height: 844 });
  people.push(guest);
  guest.page.on('crash', () => log('  [gus] the page crashed'));
  // The settings dialog opens from the prejoin screen too; Escape gives focus back.
  await guest.page.goto(`/${slug}`);
  await guest.page.locator('.preview video').waitFor({ timeout: 20_000 });
  await guest.page.getByTestId('prejoin-settings').scrollIntoViewIfNeeded();
  await snap(guest, 'comfort-prejoin-phone');
  await guest.page.getByTestId('prejoin-settings').click();
  await guest.page.getByRole('dialog', { name: 'Settings' }).getByRole('tab', { name: 'Video' }).click();
  await guest.page.getByRole('dialog').locator('.settings-preview video').waitFor({ timeout: 10_000 });
  await snap(guest, 'comfort-prejoin-settings-video-en-phone');
  await guest.page.keyboard.press('Escape');
  await guest.page.getByRole('dialog').waitFor({ state: 'detached' });
  if ((await activeTestId(guest.page)) !== 'prejoin-settings') throw new Error('focus did not go back to the prejoin settings button');
  await guestJoins(owner, guest, slug, 'Gus Guest');
  log(`  room ${slug}: owner (desktop) and guest (phone) in the call`);

  // Ctrl+D mutes the guest's microphone; the owner sees it in the
  // participants panel, opened with Ctrl+Alt+P.
  await guest.page.locator('.lk-button[data-lk-source="microphone"][data-lk-enabled="true"]').waitFor({ timeout: 20_000 });
  await blur(guest.page);
  await guest.page.keyboard.press('Control+d');
  await guest.page.locator('.lk-button[data-lk-source="microphone"][data-lk-enabled="false"]').waitFor({ timeout: 10_000 });
  await blur(owner.page);
  await owner.page.keyboard.press('Control+Alt+p');
  const panel = owner.page.getByRole('complementary', { name: 'Participants' });
  await panel.waitFor({ timeout: 10_000 });
  await panel.locator('.participant-row').filter({ hasText: 'Gus Guest' }).getByRole('img', { name: 'Microphone off' }).waitFor({ timeout: 10_000 });
  log('  Ctrl+D muted the guest; the owner sees the microphone off');
  // Ctrl+D again turns it back on; typing "d" with Ctrl in the chat box does not.
  await blur(guest.page);
  await guest.page.keyboard.press('Control+d');
  await guest.page.locator('.lk-button[data-lk-source="microphone"][data-lk-enabled="true"]').waitFor({ timeout: 10_000 });
  await panel.locator('.participant-row').filter({ hasText: 'Gus Guest' }).getByRole('img', { name: 'Microphone off' }).waitFor({ state: 'detached', timeout: 10_000 });
  await owner.page.keyboard.press('Control+Alt+p');
  await panel.waitFor({ state: 'detached', timeout: 10_000 });

  // Escape closes a panel and focus goes back to its button.
  await owner.page.getByTestId('chat-toggle').click();
  const chat = owner.page.getByRole('complementary', { name: 'Chat' });
  await chat.getByPlaceholder('Write a message…').waitFor();
  if (!(await chat.getByPlaceholder('Write a message…').evaluate((el) => el === document.activeElement))) throw new Error('the chat box did not take focus');
  await owner.page.keyboard.press('Control+d'); // typing: not a shortcut
  await owner.page.locator('.lk-button[data-lk-source="microphone"][data-lk-enabled="true"]').waitFor({ timeout: 2000 });
  await owner.page.keyboard.press('Escape');
  await chat.waitFor({ state: 'hidden', timeout: 10_000 });
  const afterChat = await activeTestId(owner.page);
  if (afterChat !== 'chat-toggle') throw new Error(`after Escape in the chat, focus is on ${afterChat}`);
  log('  Ctrl+D in the chat box is typing; Escape closed the chat and focus went back to its button');

  // "?" shows the help sheet, Escape closes it and returns focus.
  await helpSheet(owner, snap, 'en', 'desktop', log);
  await helpSheet(guest, snap, 'en', 'phone', log);

  // Picture-in-picture: Document PiP where the browser has it, else the video's.
  const documentPip = await owner.page.evaluate(() => 'documentPictureInPicture' in window);
  const pipPage = documentPip ? owner.context.waitForEvent('page', { timeout: 10_000 }).catch(() => null) : null;
  await openMore(owner.page, 'Picture-in-picture');
  if (documentPip && (await pipPage)) {
    const win = await pipPage;
    await win.locator('.pip-view').waitFor({ timeout: 10_000 });
    await win.getByRole('button', { name: 'Leave' }).waitFor();
    log('  picture-in-picture: a Document Picture-in-Picture window with the call');
  } else {
    await owner.page.waitForFunction(() => document.pictureInPictureElement instanceof HTMLVideoElement, null, { timeout: 10_000 });
    const src = await owner.page.evaluate(() => document.pictureInPictureElement?.closest('.lk-participant-tile')?.getAttribute('data-lk-local-participant'));
    log(`  picture-in-picture: the browser's video PiP (document PiP ${documentPip ? 'refused' : 'unavailable'}), local tile: ${src}`);
  }
  await owner.page.getByTestId('more-toggle').click();
  await owner.page.getByRole('menuitem', { name: 'Close picture-in-picture' }).click();
  await owner.page.waitForFunction(() => document.pictureInPictureElement === null, null, { timeout: 10_000 });

  try {
    await settingsDialogs(owner, guest, snap, log);
  } finally {
    // The owner's account back in English for the other scenarios.
    await resetAccountLanguage(owner.page).catch(() => {});
  }
}

async function settingsDialogs(owner, guest, snap, log) {
  // The settings dialog, from the control bar: every tab in English.
  await openMore(owner.page, 'Settings');
  const dialog = owner.page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  await shootTabs(owner, snap, 'en', 'desktop');
  // The language, from the Account tab: the interface turns French and the account keeps it.
  await dialog.getByRole('tab', { name: 'Account' }).click();
  await dialog.getByLabel('Language').selectOption('fr');
  const frDialog = owner.page.getByRole('dialog', { name: 'Paramètres' });
  await frDialog.getByRole('status').filter({ hasText: 'Langue enregistrée dans votre compte.' }).waitFor({ timeout: 10_000 });
  await owner.page.locator('.lk-disconnect-button').filter({ hasText: 'Quitter' }).waitFor();
  const me = await owner.page.evaluate(() => fetch('/api/v1.0/users/me/').then((r) => r.json()));
  if (me.language !== 'fr-fr') throw new Error(`the account's language is ${me.language}, want fr-fr`);
  log('  the settings dialog switched the interface to French and saved fr-fr to the account');
  await shootTabs(owner, snap, 'fr', 'desktop');
  await owner.page.keyboard.press('Escape');
  await frDialog.waitFor({ state: 'detached' });
  await helpSheet(owner, snap, 'fr', 'desktop', log);

  // The guest, on a phone: the same dialog; its language stays in the browser.
  await openMore(guest.page, 'Settings');
  await guest.page.getByRole('dialog', { name: 'Settings' }).waitFor();
  await shootTabs(guest, snap, 'en', 'phone');
  await guest.page.getByRole('dialog').getByRole('tab', { name: 'Account' }).click();
  await guest.page.getByRole('dialog').getByLabel('Language').selectOption('fr');
  await guest.page.getByRole('dialog', { name: 'Paramètres' }).getByText('Mémorisée dans ce navigateur.').waitFor();
  await shootTabs(guest, snap, 'fr', 'phone');
  await guest.page.keyboard.press('Escape');
  await helpSheet(guest, snap, 'fr', 'phone', log);
  const stored = await guest.page.evaluate(() => JSON.parse(localStorage.getItem('meet.settings') ?? '{}').language);
  if (stored !== 'fr') throw new Error(`the guest's stored language is ${stored}`);
}

/** resetAccountLanguage puts the signed-in account's language back to en-us. */
function resetAccountLanguage(page) {
  return page.evaluate(async () => {
    const csrf = decodeURIComponent(document.cookie.match(/csrftoken=([^;]+)/)?.[1] ?? '');
    const me = await fetch('/api/v1.0/users/me/').then((r) => r.json());
    const res = await fetch(`/api/v1.0/users/${me.id}/`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify({ language: 'en-us' }),
    });
    if (!res.ok) throw new Error(`resetting the language: HTTP ${res.status}`);
  });
}
