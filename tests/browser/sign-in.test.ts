// A newcomer signs in through the local mailbox page in Chromium; every page on the way
// passes axe's WCAG 2.1 A/AA checks.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useAppOnPglite } from '../helpers/suite.ts';
import { assertNoAxeViolations, describeInBrowser, expectHeading } from '../helpers/browser.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describeInBrowser('sign-in through the local mailbox', (browser) => {
  const { app } = useAppOnPglite({ clock: new ManualClock('2026-11-02T09:00:00Z') });

  it('goes from the landing page to signed in, accessibly', async () => {
    const page = await browser().newPage();
    await page.goto(app().url);
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await expectHeading(page, 'Sign in');
    await assertNoAxeViolations(page);

    // A mistake first: the error sits beside the field, the text is kept.
    await page.getByLabel('Email address').fill('linus@example');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    assert.match((await page.locator('#email-error').textContent())!, /Enter an email address/);
    assert.equal(await page.getByLabel('Email address').inputValue(), 'linus@example');
    await assertNoAxeViolations(page);

    await page.getByLabel('Email address').fill('linus@example.com');
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Check your inbox');
    await assertNoAxeViolations(page);

    await page.goto(`${app().url}/dev/mailbox`);
    await assertNoAxeViolations(page);
    await page
      .getByRole('link', { name: /Your sign-in link for Upward/ })
      .first()
      .click();
    await page.getByRole('link', { name: 'Open the HTML version' }).click();
    await page
      .getByRole('link', { name: /Sign in/ })
      .first()
      .click();

    await expectHeading(page, 'Sign in to Upward');
    assert.match((await page.locator('main').textContent())!, /linus@example\.com/);
    await assertNoAxeViolations(page);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expectHeading(page, 'Welcome to Upward');
    await assertNoAxeViolations(page);
    await page.getByLabel('Your name').fill('Linus');
    await page.getByRole('button', { name: 'Continue' }).click();

    await expectHeading(page, 'Hello, Linus');
    assert.match((await page.locator('header').textContent())!, /Signed in as\s+Linus/);
    await assertNoAxeViolations(page);

    await page.getByRole('link', { name: 'Linus' }).click();
    await expectHeading(page, 'Your account');
    await assertNoAxeViolations(page);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expectHeading(page, 'You are signed out');
    await assertNoAxeViolations(page);
    await page.close();
  });
});
