// The interface languages scenario: with German (then Dutch) picked, the home
// page, a room's prejoin screen and the call itself show no English string
// from the English table (nor LiveKit's own English words); and a language
// picked while signed in is saved to the account and follows it to another
// browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inCall } from './admission.mjs';
import { newPerson } from './browser.mjs';
import { api, signInAs } from './recordings.mjs';
import { STRANGER, WEB } from './server.mjs';

const PHONE = { width: 390, height: 844 };

/** table reads one language's table from web/src/i18n/<lang>.ts. */
export function table(lang) {
  const src = readFileSync(join(WEB, 'src', 'i18n', `${lang}.ts`), 'utf8');
  const out = {};
  for (const m of src.matchAll(/^\s*'([^']+)':\s*'((?:[^'\\]|\\.)*)',\s*$/gm)) out[m[1]] = m[2].replace(/\\(.)/g, '$1');
  if (Object.keys(out).length < 100) throw new Error(`could not read the ${lang} table (${Object.keys(out).length} entries)`);
  return out;
}

// LiveKit components' built-in English, which meet must never let through.
const LIVEKIT_ENGLISH = ["'s screen", '’s screen', 'Enter a message', 'Reconnecting', 'Start Audio', 'Allow Audio', 'Send'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * englishPatterns lists, for every English value that the other language
 * translates differently, the literal parts around its placeholders, each as
 * a whole-word pattern. A fragment the other language itself writes (Dutch
 * "of" means "or") is left out: finding it on the page proves nothing.
 */
export function englishPatterns(en, other) {
  const out = new Map();
  const theirs = Object.values(other);
  const add = (fragment, key) => {
    if (!/\p{L}{2}/u.test(fragment) || out.has(fragment)) return;
    const head = /^\p{L}/u.test(fragment) ? '(?<!\\p{L})' : '';
    const tail = /\p{L}$/u.test(fragment) ? '(?!\\p{L})' : '';
    const re = new RegExp(head + escape(fragment) + tail, 'u');
    if (theirs.some((v) => re.test(v))) return;
    out.set(fragment, { key, re });
  };
  for (const [key, value] of Object.entries(en)) {
    if (other[key] === value) continue;
    for (const part of value.split(/\{\w+\}/)) add(part.trim(), key);
  }
  for (const s of LIVEKIT_ENGLISH) add(s, 'livekit');
  return [...out.entries()].map(([text, { key, re }]) => ({ text, key, re }));
}

/** visibleText is what the page shows and says: its text, plus every aria-label, title, placeholder and alt. */
async function visibleText(page) {
  return page.evaluate(() => {
    const parts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt],[aria-valuetext]')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext']) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
    }
    return parts.join('\n');
  });
}

/** assertNoEnglish fails with every English string found on the page (user data passed in `ignore` is removed first). */
async function assertNoEnglish(person, patterns, where, ignore = []) {
  let text = await visibleText(person.page);
  for (const s of ignore) text = text.split(s).join(' ');
  const found = patterns.filter((p) => p.re.test(text));
  if (found.length) {
    throw new Error(`${where}: English left on the page: ${found.map((f) => `"${f.text}" (${f.key})`).join(', ')}\n--- page text ---\n${text}`);
  }
  return text.length;
}

/** onePass walks one language through home, prejoin and the call, at one screen size. */
async function onePass({ browser, base, people, snap, log }, lang, T, patterns, viewport, tag) {
  const guest = await newPerson(browser, base, `${lang}-${tag}`, viewport);
  people.push(guest);
  const { page } = guest;
  const name = lang === 'de' ? 'Jana Kowalczyk' : 'Fenna Bakker';
  const slug = `e2e-${lang}-${tag}-${Date.now().toString(36)}`;
  const ignore = [name, slug];

  // Home: the browser speaks English, the language is picked in the switcher.
  await page.goto('/');
  await page.getByRole('heading', { name: 'Video calls for everyone' }).waitFor();
  // The check itself must see the English page for what it is.
  const english = await assertNoEnglish(guest, patterns, 'english home', ignore).then(() => null, (err) => err);
  if (!english || !english.message.includes(`"Join a meeting"`) || !english.message.includes(`"Language"`)) {
    throw new Error(`the English home page was not caught: ${english?.message ?? 'no English found'}`);
  }
  await page.getByRole('combobox', { name: 'Language' }).selectOption(lang);
  await page.getByRole('heading', { name: T['home.title'] }).waitFor();
  if ((await page.evaluate(() => document.documentElement.lang)) !== lang) throw new Error(`html lang is not ${lang}`);
  let n = await assertNoEnglish(guest, patterns, `${lang} home (${tag})`, ignore);
  await snap(guest, `i18n-${lang}-home-${tag}`);

  // Prejoin: the choice is remembered in this browser.
  await page.goto(`/${slug}`);
  await page.locator('.preview video').waitFor();
  await page.getByRole('heading', { name: T['prejoin.title'] }).waitFor();
  await page.getByLabel(T['prejoin.name']).fill(name);
  n += await assertNoEnglish(guest, patterns, `${lang} prejoin (${tag})`, ignore);
  await snap(guest, `i18n-${lang}-prejoin-${tag}`);

  // The call, with its panels.
  await page.getByRole('button', { name: T['prejoin.join'], exact: true }).click();
  await inCall(guest);
  await page.getByRole('button', { name: T['conf.leave'] }).waitFor();
  n += await assertNoEnglish(guest, patterns, `${lang} call (${tag})`, ignore);
  await snap(guest, `i18n-${lang}-call-${tag}`);
  if (tag === 'desktop') {
    // A screen share: LiveKit's tile would say "<name>'s screen".
    await page.getByRole('button', { name: T['conf.shareScreen'] }).click();
    const screenName = T['tile.screenOf'].replace('{name}', name);
    // Publishing a screen is slow on a loaded machine: wait for the button to say it is shared first.
    await page.getByRole('button', { name: T['conf.stopShare'] }).waitFor({ timeout: 60_000 });
    await page.locator('.lk-participant-tile').getByText(screenName, { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: T['tile.unpin'].replace('{name}', screenName) }).waitFor();
    n += await assertNoEnglish(guest, patterns, `${lang} screen share (${tag})`, ignore);
    await snap(guest, `i18n-${lang}-screen-${tag}`);
    await page.getByRole('button', { name: T['conf.stopShare'] }).click();
    await page.getByRole('button', { name: T['conf.shareScreen'] }).waitFor();
  }
  await page.getByTestId('chat-toggle').click();
  await page.getByPlaceholder(T['chat.placeholder']).fill('Hallo');
  await page.getByRole('button', { name: T['chat.send'], exact: true }).click();
  await page.locator('.chat-entry').filter({ hasText: 'Hallo' }).waitFor();
  n += await assertNoEnglish(guest, patterns, `${lang} chat (${tag})`, [...ignore, 'Hallo']);
  await snap(guest, `i18n-${lang}-chat-${tag}`);
  await page.getByRole('complementary', { name: T['conf.chat'] }).getByRole('button', { name: T['common.close'] }).click();
  await page.getByTestId('participants-toggle').click();
  await page.getByRole('complementary', { name: T['conf.participants'] }).waitFor();
  n += await assertNoEnglish(guest, patterns, `${lang} participants (${tag})`, ignore);
  if (tag === 'desktop') await snap(guest, `i18n-${lang}-participants-${tag}`);
  log(`  ${lang} ${tag}: ${n} characters checked on ${tag === 'desktop' ? 6 : 5} screens, no English`);
  await guest.context.close();
}

/** hostPass: the signed-in account creates a meeting and, as its host, opens the settings, recording and info panels. */
async function hostPass(person, T, patterns, { snap, log }, tag) {
  const { page } = person;
  await page.goto('/');
  await page.getByRole('button', { name: T['home.newMeeting'] }).click();
  const link = await page.getByLabel(T['home.meetingLink'], { exact: true }).inputValue();
  const slug = new URL(link).pathname.slice(1);
  const ignore = [STRANGER.name, STRANGER.email, slug, link];
  let n = await assertNoEnglish(person, patterns, `host home (${tag})`, ignore);
  await snap(person, `i18n-de-host-home-${tag}`);
  await page.getByRole('button', { name: T['home.joinNow'] }).click();
  await page.getByRole('button', { name: T['prejoin.join'], exact: true }).click();
  await inCall(person);
  n += await assertNoEnglish(person, patterns, `host call (${tag})`, ignore);
  await page.getByRole('button', { name: T['conf.settings'] }).click();
  const settings = page.getByRole('complementary', { name: T['settings.title'] });
  await settings.getByText(T['members.title'], { exact: true }).waitFor();
  n += await assertNoEnglish(person, patterns, `host settings (${tag})`, ignore);
  await snap(person, `i18n-de-host-settings-${tag}`);
  await settings.getByRole('button', { name: T['common.close'] }).click();
  await page.getByRole('button', { name: T['rec.button'] }).click();
  await page.getByRole('dialog', { name: T['rec.title'] }).waitFor();
  n += await assertNoEnglish(person, patterns, `host recording popover (${tag})`, ignore);
  await snap(person, `i18n-de-host-record-${tag}`);
  // Escape closes the popover (on a phone it covers its own button).
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: T['rec.title'] }).waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: T['info.button'] }).click();
  await page.getByRole('complementary', { name: T['info.title'] }).waitFor();
  n += await assertNoEnglish(person, patterns, `host info (${tag})`, ignore);
  await snap(person, `i18n-de-host-info-${tag}`);
  await page.getByRole('complementary', { name: T['info.title'] }).getByRole('button', { name: T['common.close'] }).click();
  await page.getByRole('button', { name: T['conf.leave'] }).click();
  await page.getByRole('heading', { name: T['ended.title'] }).waitFor();
  n += await assertNoEnglish(person, patterns, `ended (${tag})`, ignore);
  log(`  de host ${tag}: ${n} characters checked on 6 screens, no English`);
}

/**
 * savedLanguageFollowsAccount: a language picked while signed in is saved
 * and comes back in a fresh browser; the host's screens are checked there.
 */
async function savedLanguageFollowsAccount(ctx, T, patterns) {
  const { browser, base, people, log } = ctx;
  const a = await newPerson(browser, base, 'stranger-a');
  people.push(a);
  await signInAs(a, STRANGER);
  try {
    const saved = a.page.waitForResponse((r) => /\/api\/v1\.0\/users\/[^/]+\/$/.test(new URL(r.url()).pathname) && r.request().method() === 'PATCH');
    await a.page.getByRole('combobox', { name: 'Language' }).selectOption('de');
    const res = await saved;
    if (res.status() !== 200) throw new Error(`saving the language answered ${res.status()}`);
    const me = await api(a.page, 'GET', '/users/me/');
    if (me.body.language !== 'de-de') throw new Error(`users/me language is ${me.body.language}, want de-de`);
    await hostPass(a, T, patterns, ctx, 'desktop');

    // Another browser, on a phone, which speaks French and has never picked a language: the account's German wins.
    const ctxB = await browser.newContext({ baseURL: base, locale: 'fr-FR', viewport: PHONE });
    await ctxB.grantPermissions(['camera', 'microphone'], { origin: base });
    const b = { label: 'stranger-b', context: ctxB, page: await ctxB.newPage(), problems: [] };
    people.push(b);
    await b.page.goto('/');
    await b.page.getByRole('heading', { name: 'La visio pour tous' }).waitFor();
    await signInAs(b, STRANGER);
    await b.page.getByRole('button', { name: T['home.newMeeting'] }).waitFor();
    if ((await b.page.evaluate(() => document.documentElement.lang)) !== 'de') throw new Error('the second browser is not in German');
    log('  a language picked while signed in was saved (de-de) and followed the account to a French browser');
    await hostPass(b, T, patterns, ctx, 'phone');
  } finally {
    // Leave the account as the other scenarios expect it.
    const back = await api(a.page, 'GET', '/users/me/');
    await api(a.page, 'PATCH', `/users/${back.body.id}/`, { language: 'en-us' });
  }
}

/** languagesScenario is the scenario; `snap(person, name)` takes a screenshot. */
export async function languagesScenario(ctx) {
  const en = table('en');
  for (const lang of ['de', 'nl']) {
    const T = table(lang);
    const patterns = englishPatterns(en, T);
    ctx.log(`  ${lang}: ${patterns.length} English strings looked for`);
    await onePass(ctx, lang, T, patterns, undefined, 'desktop');
    await onePass(ctx, lang, T, patterns, PHONE, 'phone');
  }
  const de = table('de');
  await savedLanguageFollowsAccount(ctx, de, englishPatterns(en, de));
}
