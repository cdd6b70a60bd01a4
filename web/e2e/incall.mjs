// The in-call scenario: a host and a guest in two browser contexts; the
// guest raises a hand and reacts, the host sees both, mutes the guest and
// finally removes it; the guest is told each time in plain words.
import { newPerson } from './browser.mjs';
import { inCall, joinAsGuest, signIn } from './admission.mjs';

/** openRoomAsOwner signs the owner in, creates a room and joins it. */
export async function openRoomAsOwner(browser, base, label = 'owner', viewport) {
  const owner = await newPerson(browser, base, label, viewport);
  await signIn(owner);
  await owner.page.getByRole('button', { name: 'New meeting' }).click();
  const link = await owner.page.getByLabel('Meeting link', { exact: true }).inputValue();
  const slug = new URL(link).pathname.slice(1);
  await owner.page.getByRole('button', { name: 'Join now' }).click();
  await owner.page.getByRole('button', { name: /Join meeting|Ask to join/ }).click();
  await inCall(owner);
  return { owner, slug };
}

/** guestJoins brings a guest into the owner's call, admitting it when the room makes it wait. */
export async function guestJoins(owner, guest, slug, name) {
  await joinAsGuest(guest, slug, name);
  const waiting = guest.page.getByRole('heading', { name: 'Waiting to be let in' });
  const connected = guest.page.locator('.conf-shell[data-connection-state="connected"]');
  await Promise.race([waiting.waitFor({ timeout: 20_000 }), connected.waitFor({ timeout: 20_000 })]);
  if (await waiting.isVisible()) {
    await owner.page.locator('.knock-toast').getByRole('button', { name: 'Admit' }).click();
  }
  await inCall(guest);
}

/** hostModeratesGuest is the scenario; `snap(person, name)` takes a screenshot. */
export async function hostModeratesGuest({ browser, base, people, snap, log }) {
  const { owner, slug } = await openRoomAsOwner(browser, base);
  people.push(owner);
  const guest = await newPerson(browser, base, 'gus');
  people.push(guest);
  await guestJoins(owner, guest, slug, 'Gus Guest');
  log(`  room ${slug}: owner and guest in the call`);

  // The guest raises a hand: the host gets a notice and sees the hand on the tile.
  await guest.page.getByTestId('hand-toggle').click();
  await guest.page.locator('[data-testid="hand-toggle"][aria-pressed="true"]').waitFor({ timeout: 5000 });
  await owner.page.locator('.notice').filter({ hasText: 'Gus Guest raised their hand' }).waitFor({ timeout: 5000 });
  await owner.page.getByRole('img', { name: 'Hand raised: Gus Guest' }).waitFor({ timeout: 5000 });
  log('  the host saw the raised hand');

  // The guest applauds: the host sees the reaction float by.
  await guest.page.getByRole('button', { name: 'Reactions' }).click();
  await guest.page.getByRole('button', { name: 'Applause' }).click();
  await owner.page.locator('.floating-reaction[data-reaction="applause"]').filter({ hasText: 'Gus Guest' }).waitFor({ timeout: 5000 });
  log('  the host saw the reaction');
  await snap(owner, 'incall-host-sees-hand-and-reaction');

  // The host opens the participants panel: the raised hand comes first.
  await owner.page.getByTestId('participants-toggle').click();
  const panel = owner.page.getByRole('complementary', { name: 'Participants' });
  // Waited for: the list renders its rows (and orders them) after the panel opens.
  await panel
    .locator('.participant-row')
    .first()
    .and(panel.locator('[data-hand-raised="true"]'))
    .waitFor({ timeout: 5000 })
    .catch(() => {
      throw new Error('the raised hand is not first in the participants list');
    });

  // The host mutes the guest from the panel; the guest is told and is muted.
  await panel.getByRole('button', { name: 'Actions for Gus Guest' }).click();
  await panel.getByRole('menuitem', { name: 'Mute microphone' }).click();
  await guest.page.locator('.notice').filter({ hasText: 'The host muted your microphone.' }).waitFor({ timeout: 5000 });
  await guest.page.waitForFunction(
    () => document.querySelector('.lk-button[data-lk-source="microphone"]')?.getAttribute('data-lk-enabled') === 'false',
    null,
    { timeout: 5000 },
  );
  await panel.getByRole('img', { name: 'Microphone off' }).waitFor({ timeout: 5000 });
  log('  the guest was muted and told so');
  await snap(guest, 'incall-guest-muted');

  // Lower all hands.
  await panel.getByRole('button', { name: 'Lower all hands' }).click();
  await guest.page.locator('[data-testid="hand-toggle"][aria-pressed="false"]').waitFor({ timeout: 5000 });
  await snap(owner, 'incall-host-panel');

  // The host removes the guest, confirming first; the guest lands on a page saying so.
  await panel.getByRole('button', { name: 'Actions for Gus Guest' }).click();
  await panel.getByRole('menuitem', { name: 'Remove from the call' }).click();
  await panel.getByRole('alertdialog').getByRole('button', { name: 'Remove from the call' }).click();
  await guest.page.getByRole('heading', { name: 'You were removed from the call' }).waitFor({ timeout: 10_000 });
  await snap(guest, 'incall-guest-removed');
  log('  the guest was removed and told so');
}
