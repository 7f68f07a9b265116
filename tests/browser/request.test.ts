// A manager asks for feedback in Chromium on a 360 px phone: picks a template, makes a
// mistake and fixes it, reorders a question and submits. Every page passes axe's WCAG 2.1
// A/AA checks and never scrolls sideways.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useAppOnPglite } from '../helpers/suite.ts';
import { assertNoAxeViolations, describeInBrowser, expectHeading, contextSignedInAs } from '../helpers/browser.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';

async function checkPage(page: Page): Promise<void> {
  await assertNoAxeViolations(page);
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(sideways <= 0, `${page.url()} scrolls sideways by ${sideways}px at 360 px`);
}

describeInBrowser('a manager asks for feedback', (browser) => {
  const { app, db } = useAppOnPglite({ clock: new ManualClock('2026-11-02T09:00:00Z') });

  it('from template to submitted, on a phone, with the keyboard-friendly form', async () => {
    const { client } = await signedInClient(app(), db(), { email: 'mia@example.com', name: 'Mia' });
    const context = await contextSignedInAs(browser(), client, { viewport: { width: 360, height: 780 } });
    const page = await context.newPage();

    await page.goto(`${app().url}/requests`);
    await expectHeading(page, 'Your requests');
    await checkPage(page);
    await page.getByRole('link', { name: 'Ask for feedback' }).first().click();

    await expectHeading(page, 'Ask for feedback');
    await checkPage(page);
    await page.getByRole('radio', { name: 'Pulse' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    await expectHeading(page, 'Edit your request');
    await checkPage(page);
    await page.getByLabel("Your leader's email address").fill('lea@example.com');
    await page
      .getByLabel("Your team members' email addresses")
      .fill('ann@example.com\nbob@\ncy@example.com, di@example.com');
    await page.getByLabel('Closing date').fill('2026-11-20');
    await page.getByLabel('Note to your leader').fill('Thank you for collecting this.');
    await page.getByRole('button', { name: 'Submit to your leader' }).click();

    // The mistake is named beside its field and in the summary; everything typed is kept.
    await page.locator('#invitees-error').waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.className),
      'error-summary',
      'focus is on the error summary',
    );
    assert.match((await page.locator('#invitees-error').textContent())!, /Line 2: “bob@” is not an email address\./);
    assert.match((await page.locator('.error-summary').textContent())!, /Line 2: “bob@”/);
    assert.equal(await page.getByLabel("Your leader's email address").inputValue(), 'lea@example.com');
    assert.equal(await page.getByLabel('Closing date').inputValue(), '2026-11-20');
    assert.equal(await page.getByLabel('Note to your leader').inputValue(), 'Thank you for collecting this.');
    assert.equal(await page.getByLabel("Your team members' email addresses").getAttribute('aria-invalid'), 'true');
    await checkPage(page);

    await page
      .getByLabel("Your team members' email addresses")
      .fill('ann@example.com\nbob@example.com\ncy@example.com, di@example.com');
    const second = await page.locator('#prompt_1').inputValue();
    await page.getByRole('button', { name: 'Move up question 2' }).click();
    await page.locator('#question-1').waitFor();
    assert.equal(await page.locator('#prompt_0').inputValue(), second, 'question 2 is now first');
    assert.equal(
      await page.getByLabel("Your team members' email addresses").inputValue(),
      'ann@example.com\nbob@example.com\ncy@example.com\ndi@example.com',
    );
    await checkPage(page);

    await page.getByRole('button', { name: 'Submit to lea@example.com' }).click();
    await expectHeading(page, 'Your request');
    assert.match((await page.locator('main').textContent())!, /Your request is on its way to lea@example\.com/);
    await checkPage(page);

    await page.getByRole('link', { name: 'All your requests' }).click();
    await expectHeading(page, 'Your requests');
    assert.match((await page.locator('main').textContent())!, /Waiting for lea@example\.com/);
    await checkPage(page);
    await context.close();
  });
});
