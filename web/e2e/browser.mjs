// Debian's Chromium driven by playwright-core, with fake camera and microphone.
import { chromium } from 'playwright-core';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The embedded SFU offers only 127.0.0.1 candidates (media stays on
  // loopback); Chromium skips the loopback interface unless told otherwise.
  '--allow-loopback-in-peer-connection',
];

/** launchBrowser starts Chromium; extraArgs add flags (e.g. a slower fake camera). */
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true, // playwright passes --headless
    args: [...FLAGS, ...extraArgs],
  });
}

/**
 * newPerson opens a page in its own context (own cookies, like another
 * person's browser) and records console errors and CSP violations.
 */
export async function newPerson(browser, base, label, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ baseURL: base, viewport });
  await context.grantPermissions(['camera', 'microphone', 'clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`[${label}] CSP: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`[${label}] page error: ${err.message}`));
  return { label, context, page, problems };
}

/** leave clicks the call's leave button, waits for the end page and closes the context. */
export async function leave(person) {
  await person.page.locator('.lk-disconnect-button').first().click({ timeout: 5000 });
  await person.page.getByRole('heading', { name: /left the meeting|quitté/i }).waitFor({ timeout: 5000 });
  await person.context.close();
}
