// A leader reviews a submitted request in Chromium, removes an invitee, corrects a mistake
// in the closing date, launches through the confirmation page and then follows
// participation; every page passes axe's WCAG 2.1 A/AA checks.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useAppOnPglite } from '../helpers/suite.ts';
import { assertNoAxeViolations, describeInBrowser, expectHeading, contextSignedInAs } from '../helpers/browser.ts';
import { createRequest, createUser } from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describeInBrowser('a leader launches a round', (browser) => {
  const { app, db: testDb } = useAppOnPglite({ clock: new ManualClock('2026-11-02T09:00:00Z') });

  it('reviews, removes an invitee, launches after confirming, and sees participation', async () => {
    const db = testDb();
    const manager = await createUser(db, { email: 'mona@example.com', name: 'Mona Manager' });
    const { client } = await signedInClient(app(), db, { email: 'leo@example.com', name: 'Leo Leader' });
    const { request } = await createRequest(db, {
      managerId: manager.id,
      leaderEmail: 'leo@example.com',
      managerNote: 'Ask them about our one-on-ones.',
    });

    const context = await contextSignedInAs(browser(), client);
    const page = await context.newPage();

    await page.goto(`${app().url}/collect`);
    await expectHeading(page, 'Requests you collect');
    await assertNoAxeViolations(page);
    await page.getByRole('link', { name: 'Mona Manager' }).click();

    await expectHeading(page, 'Feedback for Mona Manager');
    assert.match((await page.locator('main').textContent())!, /Ask them about our one-on-ones\./);
    await assertNoAxeViolations(page);

    await page.getByRole('link', { name: 'Remove ann@example.com' }).click();
    await expectHeading(page, 'Remove ann@example.com?');
    await assertNoAxeViolations(page);
    await page.getByRole('button', { name: 'Remove ann@example.com' }).click();
    await page.getByText('The invitee is removed').waitFor();
    assert.equal(await page.getByRole('link', { name: /^Remove / }).count(), 4);
    await assertNoAxeViolations(page);

    // A date too far ahead: the error sits beside the field and the value is kept.
    await page.getByLabel('Closing date').fill('2027-03-01');
    await page.getByRole('button', { name: 'Save changes' }).click();
    assert.match((await page.locator('#closes-on-error').textContent())!, /no more than 60 days/);
    assert.equal(await page.getByLabel('Closing date').inputValue(), '2027-03-01');
    await assertNoAxeViolations(page);
    await page.getByLabel('Closing date').fill('2026-11-20');
    await page.getByLabel('Note to the team (optional)').fill('Thank you for being candid.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('are saved').waitFor();

    await page.getByRole('link', { name: 'Launch' }).click();
    await expectHeading(page, 'Send 4 invitations now?');
    assert.match((await page.locator('main').textContent())!, /can't be undone/);
    await assertNoAxeViolations(page);
    await page.getByRole('button', { name: 'Send 4 invitations' }).click();

    await expectHeading(page, 'Feedback for Mona Manager');
    const main = (await page.locator('main').textContent())!;
    assert.match(main, /The round is open/);
    assert.match(main, /0 of 4 answered/);
    assert.match(main, /Open until 20 November 2026/);
    await assertNoAxeViolations(page);

    // Someone answers (as the survey would record it); the leader sees the count, not who.
    const link = await db
      .selectFrom('survey_links')
      .select('key')
      .where('request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    await db.updateTable('survey_links').set({ spent: true }).where('key', '=', link.key).execute();
    await db
      .insertInto('sealed_responses')
      .values({ request_id: request.id, sealed: Buffer.alloc(64) })
      .execute();
    await page.reload();
    assert.match((await page.locator('main').textContent())!, /1 of 4 answered/);
    assert.equal(await page.locator('meter').getAttribute('value'), '1');

    await page.getByRole('link', { name: 'Requests you collect' }).first().click();
    await expectHeading(page, 'Requests you collect');
    assert.match((await page.locator('main').textContent())!, /1 of 4 answered/);
    await assertNoAxeViolations(page);

    await page.goto(`${app().url}/collect/${request.id}/close`);
    await expectHeading(page, 'Close this round now?');
    await assertNoAxeViolations(page);
    await context.close();
  });

  it('confirms the marked addresses at launch, at phone width, accessibly', async () => {
    const db = testDb();
    const manager = await createUser(db, { email: 'mia@example.com', name: 'Mia Manager' });
    const { client } = await signedInClient(app(), db, { email: 'lee@example.com', name: 'Lee Leader' });
    const { request } = await createRequest(db, {
      managerId: manager.id,
      leaderEmail: 'lee@example.com',
      invitees: ['ann@example.com', 'bo@example.com', 'bo+2@example.com', 'mia.home@gmail.com'],
    });
    const context = await contextSignedInAs(browser(), client);
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${app().url}/collect/${request.id}`);
    await page.getByRole('heading', { name: '3 addresses to check before you launch' }).waitFor();
    assert.equal(await page.locator('.invitee--check').count(), 3);
    await assertNoAxeViolations(page);

    await page.getByRole('link', { name: 'Launch' }).click();
    await expectHeading(page, 'Send 4 invitations now?');
    await page.getByRole('button', { name: 'Send 4 invitations' }).click();
    assert.match((await page.locator('#addresses-checked-error').textContent())!, /Tick the box once you have checked/);
    await assertNoAxeViolations(page);
    await page.getByLabel(/I have checked the 3 marked addresses/).check();
    await page.getByRole('button', { name: 'Send 4 invitations' }).click();
    await expectHeading(page, 'Feedback for Mia Manager');
    assert.match((await page.locator('main').textContent())!, /0 of 4 answered/);
    await context.close();
  });

  it('declines with a reason, accessibly', async () => {
    const db = testDb();
    const manager = await createUser(db, { email: 'max@example.com', name: 'Max Manager' });
    const { client } = await signedInClient(app(), db, { email: 'lia@example.com', name: 'Lia Leader' });
    const { request } = await createRequest(db, { managerId: manager.id, leaderEmail: 'lia@example.com' });
    const context = await contextSignedInAs(browser(), client);
    const page = await context.newPage();
    await page.goto(`${app().url}/collect/${request.id}`);
    await page.getByRole('link', { name: 'Decline' }).click();
    await expectHeading(page, 'Decline this request');
    await assertNoAxeViolations(page);
    await page.getByRole('button', { name: 'Decline the request' }).click();
    assert.match((await page.locator('#reason-error').textContent())!, /Write a reason/);
    await assertNoAxeViolations(page);
    await page.getByLabel(/Your reason/).fill('Let us talk about the timing first.');
    await page.getByRole('button', { name: 'Decline the request' }).click();
    await expectHeading(page, 'Feedback for Max Manager');
    assert.match((await page.locator('main').textContent())!, /You declined the request/);
    await assertNoAxeViolations(page);
    await context.close();
  });
});
