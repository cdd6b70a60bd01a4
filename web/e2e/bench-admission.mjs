// Admission benchmark: `npm run bench:admission` (ADMISSIONS=n, default 20).
// One signed-in owner keeps a restricted room open; guests join one after
// another, wait in the lobby and are admitted from the participants panel.
// For each admission it records when the guest's page reached each step,
// counted from the owner's click on both pages' own clocks, and prints the
// distribution. Results go to docs/benchmarks.md by hand.
import { cpus } from 'node:os';
import { admitWaitingGuest, joinAsGuest, openRestrictedRoom, STEPS } from './admission.mjs';
import { launchBrowser, leave, newPerson } from './browser.mjs';
import { startMeet } from './server.mjs';

const N = Number(process.env.ADMISSIONS ?? 20);
const log = (msg) => console.log(msg);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const meet = await startMeet({ log });
const browser = await launchBrowser();
const samples = [];
let failed = false;
try {
  const { owner, slug } = await openRestrictedRoom(browser, meet.base);
  await owner.page.getByRole('button', { name: /^Participants/ }).click();
  for (let i = 0; i < N; i++) {
    const name = `Guest ${i + 1}`;
    const guest = await newPerson(browser, meet.base, `guest${i + 1}`);
    try {
      await joinAsGuest(guest, slug, name);
      await guest.page.getByRole('heading', { name: 'Waiting to be let in' }).waitFor();
      const took = await admitWaitingGuest(owner, guest, name);
      samples.push(took);
      log(`${String(i + 1).padStart(3)}: ${STEPS.map((s) => `${s} ${took[s]}`).join(', ')}`);
    } finally {
      await leave(guest);
    }
  }
  await leave(owner);
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await browser.close().catch(() => {});
  await meet.stop();
}

if (samples.length) {
  console.log(`\n${samples.length} admissions, Chromium ${browser.version()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
  console.log('| step (ms after the host clicks Admit) | p50 | p90 | max |');
  console.log('|---|---:|---:|---:|');
  for (const step of STEPS) {
    const v = samples.map((s) => s[step]).filter((x) => x !== null).sort((a, b) => a - b);
    if (v.length) console.log(`| ${step} | ${percentile(v, 50)} | ${percentile(v, 90)} | ${v[v.length - 1]} |`);
  }
}
process.exit(failed ? 1 : 0);
