// The connection test page (/test-connection). On the shared server the
// test is off: the page says "not found" and does not turn into a meeting.
// A second server, with the test and the built-in TURN server on, runs the
// whole test in Chromium with fake devices: signalling, UDP, TURN and
// publishing pass, TCP is reported as not offered, and the copied and
// downloaded reports carry every check.
import { readFileSync } from 'node:fs';
import { newPerson } from './browser.mjs';
import { startMeet } from './server.mjs';

const RUN_MS = 120_000;

/** finishTest waits for the end of a run and returns the rows as {id: {status, code, text}}. */
async function finishTest(page) {
  await page.locator('[data-testid="diag-summary"]:not([data-verdict="running"])').waitFor({ timeout: RUN_MS });
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('.diag-check')].map((li) => [
        li.getAttribute('data-check'),
        { status: li.getAttribute('data-status'), code: li.getAttribute('data-code'), text: li.querySelector('.diag-result')?.textContent ?? '' },
      ]),
    ),
  );
}

function expectRow(rows, id, status, code) {
  const r = rows[id];
  if (!r || r.status !== status || (code && r.code !== code)) {
    throw new Error(`check ${id}: got ${JSON.stringify(r)}, want ${status}${code ? ` ${code}` : ''}\nall rows: ${JSON.stringify(rows, null, 1)}`);
  }
}

/** connectionTestScenario is registered in run.mjs. */
export async function connectionTestScenario({ browser, base, people, meet, snap, log }) {
  // Off (the shared server's default): a plain "not found", no meeting.
  const off = await newPerson(browser, base, 'diag-off');
  people.push(off);
  await off.page.goto('/');
  await off.page.getByRole('heading', { name: 'Video calls for everyone' }).waitFor();
  if (await off.page.getByRole('link', { name: 'Test your connection' }).count()) throw new Error('the home page links to a connection test that is off');
  await off.page.goto('/test-connection');
  await off.page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await off.page.getByText('The connection test is not turned on for this server.').waitFor();
  if (await off.page.locator('.preview, .prejoin').count()) throw new Error('/test-connection became a meeting');
  await snap(off, 'diag-off');
  await off.context.close();

  // On, with TURN: a second server from the same build.
  const on = await startMeet({
    log,
    prebuilt: { bin: meet.bin, webDir: meet.webDir },
    env: { MEET_CONNECTION_TEST_ENABLED: 'true', MEET_TURN: 'on', MEET_TURN_UDP_PORT: '0' },
  });
  try {
    const ann = await newPerson(browser, on.base, 'diag-en');
    people.push(ann);
    await ann.page.goto('/');
    await ann.page.getByRole('link', { name: 'Test your connection' }).click();
    await ann.page.waitForURL('**/test-connection');
    await ann.page.getByRole('heading', { name: 'Connection test' }).waitFor();
    // Live status: the first checks finish while later ones are still waiting.
    await ann.page.locator('.diag-check[data-check="signalling"][data-status="running"], .diag-check[data-check="udp"][data-status="running"]').first().waitFor({ timeout: 30_000 });
    await ann.page.locator('.diag-check[data-check="media"][data-status="passed"]').waitFor();
    await snap(ann, 'diag-running');
    const t0 = Date.now();
    const rows = await finishTest(ann.page);
    log(`  test finished in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(rows).map(([k, v]) => `${k}=${v.status}`).join(' ')}`);
    expectRow(rows, 'browser', 'passed', 'browser.ok');
    expectRow(rows, 'media', 'passed', 'media.ok');
    expectRow(rows, 'signalling', 'passed', 'signalling.ok');
    expectRow(rows, 'udp', 'passed', 'udp.ok');
    expectRow(rows, 'tcp', 'skipped', 'tcp.notOffered');
    expectRow(rows, 'turn', 'passed', 'turn.noTls');
    expectRow(rows, 'publishAudio', 'passed', 'publishAudio.ok');
    expectRow(rows, 'publishVideo', 'passed', 'publishVideo.ok');
    // A loaded test machine may take more than 300 ms to answer on loopback,
    // which the page rightly calls slow; the route is direct UDP either way.
    const slow = rows.route.code === 'route.slow';
    expectRow(rows, 'route', slow ? 'warning' : 'passed', slow ? 'route.slow' : 'route.ok');
    if (!/^Connected directly over UDP(;|,)/.test(rows.route.text)) throw new Error(`route: ${rows.route.text}`);
    if (!/^Not offered by this server/.test(rows.tcp.text)) throw new Error(`tcp: ${rows.tcp.text}`);
    const verdict = await ann.page.getByTestId('diag-summary').getAttribute('data-verdict');
    if (verdict !== (slow ? 'warnings' : 'ok')) throw new Error(`verdict ${verdict}`);
    const level = Number(await ann.page.getByTestId('diag-mic-level').getAttribute('value'));
    if (!(level > 0)) throw new Error(`the microphone level stays at ${level} with the fake microphone's beep`);
    await snap(ann, 'diag-done-en', { fullPage: true });

    // The copied report is plain text with every check.
    await ann.page.getByRole('button', { name: 'Copy report' }).click();
    await ann.page.getByText('Report copied.').waitFor();
    const text = await ann.page.evaluate(() => navigator.clipboard.readText());
    for (const line of ['[PASSED] Connection to the media server (WebSocket)', '[PASSED] Media over UDP', '[PASSED] Media through the TURN relay', '[PASSED] Sending sound', '[PASSED] Sending video', '[NOT OFFERED] Media over TCP']) {
      if (!text.includes(line)) throw new Error(`copied report lacks ${JSON.stringify(line)}:\n${text}`);
    }
    // The JSON download has the same checks, with the measurements.
    const [download] = await Promise.all([ann.page.waitForEvent('download'), ann.page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
    if (!/^meet-connection-test-.*\.json$/.test(download.suggestedFilename())) throw new Error(`download named ${download.suggestedFilename()}`);
    const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    for (const id of ['signalling', 'udp', 'turn', 'publishAudio', 'publishVideo']) {
      if (byId[id]?.status !== 'passed') throw new Error(`JSON report: ${id} is ${byId[id]?.status}`);
    }
    if (byId.udp.data?.candidateType !== 'host' || byId.turn.data?.candidateType !== 'relay') {
      throw new Error(`JSON report: udp ${JSON.stringify(byId.udp.data)}, turn ${JSON.stringify(byId.turn.data)}`);
    }
    if (report.verdict !== verdict || !/^wss?:\/\//.test(report.server ?? '')) throw new Error(`JSON report: verdict ${report.verdict}, server ${report.server}`);
    log(`  report: udp ${byId.udp.data.rttMs} ms, turn ${byId.turn.data.rttMs} ms, ${report.checks.length} checks`);

    // Run again starts over.
    await ann.page.getByRole('button', { name: 'Run again' }).click();
    await ann.page.locator('[data-testid="diag-summary"][data-verdict="running"]').waitFor();
    await finishTest(ann.page);
    await ann.context.close();

    // Camera and microphone refused: the failure says what it means and what
    // to do, the publishing checks are not run, the network checks still pass.
    const den = await newPerson(browser, on.base, 'diag-denied');
    people.push(den);
    await den.page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await den.page.goto('/test-connection');
    const dr = await finishTest(den.page);
    expectRow(dr, 'media', 'failed', 'media.denied');
    expectRow(dr, 'signalling', 'passed', 'signalling.ok');
    expectRow(dr, 'udp', 'passed', 'udp.ok');
    expectRow(dr, 'publishAudio', 'skipped', 'publishAudio.noDevice');
    expectRow(dr, 'publishVideo', 'skipped', 'publishVideo.noDevice');
    await den.page.locator('.diag-check[data-check="media"] .diag-advice').getByText('allow the camera and the microphone for this site').waitFor();
    const dv = await den.page.getByTestId('diag-summary').getAttribute('data-verdict');
    if (dv !== 'problems') throw new Error(`verdict with refused devices: ${dv}`);
    await snap(den, 'diag-denied');
    await den.context.close();

    // The other screens: phone, and French on both sizes.
    for (const [label, lang, viewport] of [
      ['en-phone', 'en', { width: 390, height: 844 }],
      ['fr', 'fr', { width: 1280, height: 800 }],
      ['fr-phone', 'fr', { width: 390, height: 844 }],
    ]) {
      const p = await newPerson(browser, on.base, `diag-${label}`, viewport);
      people.push(p);
      await p.page.addInitScript((l) => localStorage.setItem('meet.lang', l), lang);
      await p.page.goto('/test-connection');
      await p.page.getByRole('heading', { name: lang === 'fr' ? 'Test de connexion' : 'Connection test' }).waitFor();
      const r = await finishTest(p.page);
      for (const id of ['signalling', 'udp', 'publishAudio', 'publishVideo']) expectRow(r, id, 'passed');
      await snap(p, `diag-done-${label}`, { fullPage: true });
      await p.context.close();
    }
  } finally {
    await on.stop();
  }
}
