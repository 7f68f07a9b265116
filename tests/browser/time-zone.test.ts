// The account page's time zone in Chromium: with JavaScript it selects the browser's zone
// for someone who has not chosen one, says so, and saves it only when they press the button;
// a zone already chosen is left alone. The page passes axe's WCAG 2.1 A/AA checks.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useAppOnPglite } from '../helpers/suite.ts';
import { assertNoAxeViolations, contextSignedInAs, describeInBrowser, expectHeading } from '../helpers/browser.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describeInBrowser("the account page's time zone", (browser) => {
  const { app, db: testDb } = useAppOnPglite({ clock: new ManualClock('2026-12-01T09:00:00Z') });

  it("offers the browser's zone, saves it on the button, and leaves a chosen zone alone", async () => {
    const db = testDb();
    const { client, user } = await signedInClient(app(), db, { email: 'tara@example.com', name: 'Tara' });
    const context = await contextSignedInAs(browser(), client, { timezoneId: 'America/Los_Angeles' });
    const page = await context.newPage();
    await page.goto(`${app().url}/account`);
    await expectHeading(page, 'Your account');
    const select = page.getByLabel('Time zone', { exact: true });
    assert.equal(await select.inputValue(), 'America/Los_Angeles');
    assert.match(
      (await page.locator('#browser-zone-hint').textContent())!,
      /Your browser is set to America\/Los Angeles/,
    );
    await assertNoAxeViolations(page);
    const stored = () => db.selectFrom('users').select('time_zone').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal((await stored()).time_zone, null, 'nothing saved by opening the page');

    await page.getByRole('button', { name: 'Save time zone' }).click();
    await page.getByText('Your time zone is saved.').waitFor();
    assert.equal((await stored()).time_zone, 'America/Los_Angeles');

    await db.updateTable('users').set({ time_zone: 'Europe/Berlin' }).where('id', '=', user.id).execute();
    await page.goto(`${app().url}/account`);
    assert.equal(await select.inputValue(), 'Europe/Berlin', "a zone chosen is not replaced by the browser's");
    assert.ok(await page.locator('#browser-zone-hint').isHidden());
    await context.close();
  });
});
