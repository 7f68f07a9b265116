// The whole round in Chromium, every email clicked through the local mailbox: the manager
// asks, the leader launches, four of five team members answer, the reminder goes only to
// the fifth, the round closes and the leader opens the report. axe checks every page.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signedInClient } from '../helpers/sessions.ts';
import { assertNoAxeViolations, describeInBrowser, expectHeading, contextSignedInAs } from '../helpers/browser.ts';
import { useAppOnPglite } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';

const TEAM = ['ann@example.com', 'bo@example.com', 'cy@example.com', 'di@example.com', 'ed@example.com'];

describeInBrowser('a whole feedback round', (browser) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');

  const { app, db } = useAppOnPglite({ clock });

  /** A browser context signed in as `email` (the sign-in flow itself has its own test). */
  async function contextFor(b: Browser, email: string, name: string): Promise<BrowserContext> {
    const { client } = await signedInClient(app(), db(), { email, name });
    const context = await contextSignedInAs(b, client);
    return context;
  }

  /** Opens the newest email to `to` whose subject matches, in the mailbox, and its HTML version. */
  async function openEmail(page: Page, to: string, subject: RegExp): Promise<void> {
    const emails = await db()
      .selectFrom('email_outbox')
      .select(['id', 'subject'])
      .where('to_address', '=', to)
      .orderBy('created_at', 'desc')
      .execute();
    const email = emails.find((e) => subject.test(e.subject));
    assert.ok(email, `an email to ${to} matching ${subject}`);
    await page.goto(`${app().url}/dev/mailbox/${email.id}`);
    await assertNoAxeViolations(page);
    await page.getByRole('link', { name: 'Open the HTML version' }).click();
  }

  it('runs from request to report', async () => {
    const b = browser();

    // 1. The manager asks for feedback with the Pulse template.
    const managerContext = await contextFor(b, 'mia@example.com', 'Mia Manager');
    const manager = await managerContext.newPage();
    await manager.goto(`${app().url}/requests/new`);
    await assertNoAxeViolations(manager);
    await manager.getByLabel('Pulse').check();
    await manager.getByRole('button', { name: 'Continue' }).click();
    await expectHeading(manager, 'Edit your request');
    await manager.getByLabel("Your leader's email address").fill('lee@example.com');
    await manager.getByLabel("Your team members' email addresses").fill(TEAM.join('\n'));
    await manager.getByLabel(/Note to your leader/).fill('I would like to hear how our one-on-ones work for the team.');
    await assertNoAxeViolations(manager);
    await manager.getByRole('button', { name: /^Send to|^Submit/ }).click();
    await expectHeading(manager, 'Your request');
    assert.match((await manager.locator('main').textContent())!, /on its way to lee@example\.com/);
    await assertNoAxeViolations(manager);

    // 2. The leader follows the email, reviews and launches.
    const leaderContext = await contextFor(b, 'lee@example.com', 'Lee Leader');
    const leader = await leaderContext.newPage();
    await openEmail(leader, 'lee@example.com', /Mia Manager asks you to collect feedback/);
    await leader
      .getByRole('link')
      .filter({ hasText: /request|Review|Open/i })
      .first()
      .click();
    await expectHeading(leader, 'Feedback for Mia Manager');
    await assertNoAxeViolations(leader);
    await leader.getByRole('link', { name: 'Launch' }).click();
    await assertNoAxeViolations(leader);
    await leader.getByRole('button', { name: 'Send 5 invitations' }).click();
    await expectHeading(leader, 'Feedback for Mia Manager');
    assert.match((await leader.locator('main').textContent())!, /0 of 5 answered/);

    // 3. Four team members answer through their invitation emails.
    const team = await b.newContext({ viewport: { width: 360, height: 740 } });
    for (const [index, email] of TEAM.slice(0, 4).entries()) {
      const page = await team.newPage();
      await openEmail(page, email, /asks for your anonymous feedback/);
      await page
        .getByRole('link')
        .filter({ hasText: /survey|answer|feedback/i })
        .first()
        .click();
      await expectHeading(page, 'Feedback about Mia Manager');
      if (index === 0) await assertNoAxeViolations(page);
      const groups = page.getByRole('group');
      await groups
        .nth(0)
        .getByLabel(index % 2 ? 'Agree' : 'Strongly agree', { exact: true })
        .check();
      await groups.nth(1).getByLabel('Disagree', { exact: true }).check();
      await groups.nth(2).getByLabel('Every two weeks').check();
      await page.getByRole('textbox').fill(`Comment number ${index + 1}`);
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await expectHeading(page, 'Thank you, your answers are in');
      if (index === 0) await assertNoAxeViolations(page);
      await page.close();
    }
    await leader.reload();
    assert.match((await leader.locator('main').textContent())!, /4 of 5 answered/);

    // 4. Halfway: the reminder goes to the fifth person only.
    const jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
    const round = await db()
      .selectFrom('feedback_requests')
      .select(['id', 'launched_at', 'closes_at'])
      .executeTakeFirstOrThrow();
    clock.set(new Date((round.launched_at!.getTime() + round.closes_at.getTime()) / 2 + 60_000));
    assert.equal((await jobs.runOnce()).reminders, 1);
    const reminded = await db()
      .selectFrom('email_outbox')
      .select('to_address')
      .where('name', '=', 'reminder')
      .execute();
    assert.deepEqual(
      reminded.map((r) => r.to_address),
      ['ed@example.com'],
    );

    // 5. The round closes by itself; the leader is told and opens the report.
    clock.set(new Date(round.closes_at.getTime() + 60_000));
    assert.equal((await jobs.runOnce()).closed, 1);
    // Two weeks on, the leader's session has long ended: they sign in afresh.
    await leaderContext.close();
    const laterContext = await contextFor(b, 'lee@example.com', 'Lee Leader');
    const later = await laterContext.newPage();
    await openEmail(later, 'lee@example.com', /has closed/);
    await later.locator(`a[href*="${round.id}"]`).first().click();
    await later.goto(`${app().url}/reports/${round.id}`);
    await assertNoAxeViolations(later);
    const report = (await later.locator('main').textContent())!;
    assert.match(report, /4 of 5/);
    assert.ok((await later.locator('main svg').count()) > 0, 'the report has charts');
    for (let n = 1; n <= 4; n++) assert.match(report, new RegExp(`Comment number ${n}`));

    // The fifth link was deleted with the round's other links at close: it leads nowhere,
    // and the page says a closed survey's links do.
    const late = await team.newPage();
    await openEmail(late, 'ed@example.com', /asks for your anonymous feedback/);
    await late
      .getByRole('link')
      .filter({ hasText: /survey|answer|feedback/i })
      .first()
      .click();
    assert.match((await late.locator('h1').textContent())!, /do not recognise this link/i);
    assert.match(
      (await late.locator('main').textContent())!,
      /If the survey has closed, its links no longer lead anywhere/,
    );
    await assertNoAxeViolations(late);

    await Promise.all([managerContext.close(), laterContext.close(), team.close()]);
  });
});
