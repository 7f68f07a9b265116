// Issue 20's loop with the team in Chromium, on the injected clock, every email opened from the
// development mailbox: after the release the manager writes the reply to the team, previews it
// and sends it, and every invitee gets it once; on a focus point's follow-up date the nudge
// offers the check-back, the leader launches it, k team members answer (one at 360 px), it
// closes, and its result shows in the report (the leader's and the manager's) and on the
// leader's overview; a second check-back with fewer than k answers shows no figures. axe checks
// every new page.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signedInClient } from '../helpers/sessions.ts';
import { assertNoAxeViolations, contextSignedInAs, describeInBrowser, expectHeading } from '../helpers/browser.ts';
import { useAppOnPglite } from '../helpers/suite.ts';
import { createRequest, createUser } from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';

const TEAM = ['ann@example.com', 'bo@example.com', 'cy@example.com', 'di@example.com', 'ed@example.com'];
const MANAGER = { email: 'mia@example.com', name: 'Mia Manager' };
const LEADER = { email: 'lee@example.com', name: 'Lee Leader' };
const QUESTIONS = [
  { kind: 'agree' as const, prompt: 'My manager listens to me.', required: true },
  { kind: 'agree' as const, prompt: 'My manager gives clear goals.', required: true },
];

describeInBrowser('the loop with the team after a round', (browser) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app, db } = useAppOnPglite({ clock });

  /** A browser context signed in as this person now (sessions do not outlast the weeks below). */
  async function contextFor(
    b: Browser,
    person: { email: string; name: string },
    width = 1280,
  ): Promise<BrowserContext> {
    const { client } = await signedInClient(app(), db(), person);
    return contextSignedInAs(b, client, { viewport: { width, height: 900 } });
  }

  function emailsTo(to: string, name: string) {
    return db()
      .selectFrom('email_outbox')
      .select(['id', 'subject', 'text'])
      .where('to_address', '=', to)
      .where('name', '=', name)
      .orderBy('created_at')
      .execute();
  }

  /** Opens the newest email to `to` of this kind in the mailbox, then its HTML version. */
  async function openEmail(page: Page, to: string, name: string): Promise<void> {
    const email = (await emailsTo(to, name)).at(-1);
    assert.ok(email, `an email ${name} to ${to}`);
    await page.goto(`${app().url}/dev/mailbox/${email.id}`);
    await page.getByRole('link', { name: 'Open the HTML version' }).click();
  }

  /** The main text of a page as a person reads it, spaces collapsed. */
  const mainText = async (page: Page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ');

  /** Team members answer the check-back's one statement through their invitations; the first at 360 px. */
  async function answerCheckBack(b: Browser, answers: Array<{ email: string; rating: string; comment?: string }>) {
    for (const [index, answer] of answers.entries()) {
      const context = await b.newContext({ viewport: { width: index === 0 ? 360 : 1280, height: 800 } });
      const page = await context.newPage();
      await openEmail(page, answer.email, 'check-back-invitation');
      await page.getByRole('link', { name: 'Answer the check-back' }).click();
      await expectHeading(page, 'Check-back about Mia Manager');
      if (index === 0) {
        await assertNoAxeViolations(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, 'no sideways scroll at 360 px');
      }
      await page.getByRole('group').first().getByLabel(answer.rating, { exact: true }).check();
      if (answer.comment) await page.getByRole('textbox').first().fill(answer.comment);
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await expectHeading(page, 'Thank you, your answers are in');
      await context.close();
    }
  }

  it('runs from the reply to the team to the check-back results', async () => {
    const b = browser();
    const manager = await createUser(db(), MANAGER);
    await createUser(db(), LEADER);
    const { request } = await createRequest(db(), {
      managerId: manager.id,
      leaderEmail: LEADER.email,
      questions: QUESTIONS,
      invitees: TEAM,
      closesAt: endOfDay('2026-11-16'),
      now: clock.now(),
    });
    const jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });

    // Launched by the leader; four of five answer; the round closes by its job.
    const launchContext = await contextFor(b, LEADER);
    const launch = await launchContext.newPage();
    await launch.goto(`${app().url}/collect/${request.id}/launch`);
    await launch.getByRole('button', { name: 'Send 5 invitations' }).click();
    await launchContext.close();
    const team = await b.newContext({ viewport: { width: 1280, height: 800 } });
    for (const email of TEAM.slice(0, 4)) {
      const page = await team.newPage();
      await openEmail(page, email, 'invitation');
      await page
        .getByRole('link')
        .filter({ hasText: /survey|answer|feedback/i })
        .first()
        .click();
      const groups = page.getByRole('group');
      await groups.nth(0).getByLabel('Strongly agree', { exact: true }).check();
      await groups.nth(1).getByLabel('Disagree', { exact: true }).check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await expectHeading(page, 'Thank you, your answers are in');
      await page.close();
    }
    await team.close();
    clock.set('2026-11-17T00:01:00Z');
    assert.equal((await jobs.runOnce()).closed, 1);

    // The leader releases the report.
    clock.set('2026-11-18T09:00:00Z');
    const releaseContext = await contextFor(b, LEADER);
    const release = await releaseContext.newPage();
    await release.goto(`${app().url}/reports/${request.id}/release`);
    await release.getByRole('button', { name: 'Release to Mia Manager' }).click();
    await releaseContext.close();

    // The manager writes down two focus points, then writes the reply from the report.
    const miaContext = await contextFor(b, MANAGER);
    const mia = await miaContext.newPage();
    await mia.goto(`${app().url}/reports/${request.id}`);
    for (const [text, date] of [
      ['Set clear goals with each person', '2026-12-16'],
      ['Share the plan every month', '2027-01-20'],
    ]) {
      await mia.getByLabel('Focus point', { exact: true }).fill(text!);
      await mia.getByLabel('Follow-up date').fill(date!);
      await mia.getByRole('button', { name: 'Add focus point' }).click();
    }
    await mia
      .getByRole('link', { name: /Reply to your team/ })
      .first()
      .click();
    await expectHeading(mia, 'Tell your team what you heard');
    await assertNoAxeViolations(mia);
    const heard = mia.getByLabel('What I heard');
    assert.match(await heard.inputValue(), /My manager listens to me\./, 'pre-filled from the strengths');
    assert.match(await mia.getByLabel("What I'll do").inputValue(), /Set clear goals with each person/);
    await heard.fill('You told me I listen well, and that goals are not clear enough.');
    await mia.getByLabel("What I'll do").fill('From December I will agree goals with each of you, one by one.');
    await mia.getByLabel('Include the summary figures').check();
    await mia.getByRole('button', { name: 'Preview the email' }).click();
    await expectHeading(mia, 'Preview your reply');
    await assertNoAxeViolations(mia);
    const preview = (await mia.locator('#reply-text').textContent())!;
    assert.match(preview, /goals are not clear enough/);
    assert.match(preview, /My manager listens to me\. \(5\.0 out of 5, 100% favourable\)/);
    await mia.getByRole('button', { name: 'Send to 5 team members' }).click();
    assert.match(await mainText(mia), /Sent to 5 team members on 18 November 2026/);
    await miaContext.close();

    // Every invitee gets the reply once, exactly as previewed; nobody else gets one.
    const replies = await db()
      .selectFrom('email_outbox')
      .select(['to_address', 'text'])
      .where('name', '=', 'reply-to-team')
      .execute();
    assert.deepEqual(replies.map((r) => r.to_address).sort(), [...TEAM].sort(), 'once to each invitee');
    for (const reply of replies) assert.equal(reply.text.trim(), preview.trim(), 'what was previewed');
    const inbox = await b.newContext();
    const annPage = await inbox.newPage();
    await openEmail(annPage, 'ann@example.com', 'reply-to-team');
    assert.match((await annPage.locator('body').textContent())!, /agree goals with each of you/);
    await inbox.close();

    // The follow-up date: the nudge offers the check-back; the leader launches it from there.
    clock.set('2026-12-16T09:00:00Z');
    await jobs.runOnce();
    const leeContext = await contextFor(b, LEADER);
    const lee = await leeContext.newPage();
    await openEmail(lee, LEADER.email, 'follow-up-nudge');
    await lee.getByRole('link', { name: 'check back with the team' }).click();
    await expectHeading(lee, 'Check back with Mia Manager’s team');
    await assertNoAxeViolations(lee);
    assert.match(
      await mainText(lee),
      /Since 18 November 2026, Mia Manager has made progress on: Set clear goals with each person/,
    );
    assert.doesNotMatch(await mainText(lee), /Share the plan every month/, 'not due yet');
    await lee.getByRole('button', { name: /^Send to 5 team members, closes on/ }).click();
    await leeContext.close();

    // Three answer (k = 3), the first on a phone; the check-back closes after its seven days.
    await answerCheckBack(b, [
      { email: 'ann@example.com', rating: 'Agree', comment: 'Our goals are much clearer now.' },
      { email: 'bo@example.com', rating: 'Strongly agree', comment: 'Weekly goal check-ins help.' },
      { email: 'cy@example.com', rating: 'Agree', comment: 'Better, still some surprises.' },
    ]);
    clock.set('2026-12-24T00:01:00Z');
    assert.equal((await jobs.runOnce()).closed, 1);

    const result =
      /Set clear goals with each person Follow up on 16 December 2026 Check-back, closed 24 December 2026 \(3 of 5 answered\): 4\.3 · 100% favourable · 3 answers/;
    for (const person of [LEADER, MANAGER]) {
      const context = await contextFor(b, person);
      const page = await context.newPage();
      await page.goto(`${app().url}/reports/${request.id}`);
      const text = await mainText(page);
      assert.match(text, result, `${person.name} sees the check-back's result`);
      assert.match(text, /Our goals are much clearer now\./, `${person.name} sees its comment`);
      await context.close();
    }
    const overviewContext = await contextFor(b, LEADER);
    const overview = await overviewContext.newPage();
    await overview.goto(`${app().url}/collect`);
    await assertNoAxeViolations(overview);
    const teams = await mainText(overview);
    assert.match(teams, /Reply to the team Sent on 18 November 2026/);
    assert.match(
      teams,
      /Set clear goals with each person Follow up on 16 December 2026 Check-back: 4\.3 out of 5, 100% favourable \(3 answers\)/,
    );
    await overviewContext.close();

    // The second focus point's check-back: only two answer, so it shows no figures anywhere.
    clock.set('2027-01-20T09:00:00Z');
    await jobs.runOnce();
    const againContext = await contextFor(b, LEADER);
    const again = await againContext.newPage();
    await again.goto(`${app().url}/reports/${request.id}/check-back`);
    assert.match(await mainText(again), /has made progress on: Share the plan every month/);
    await again.getByRole('button', { name: /^Send to 5 team members, closes on/ }).click();
    await againContext.close();
    await answerCheckBack(b, [
      { email: 'di@example.com', rating: 'Strongly agree' },
      { email: 'ed@example.com', rating: 'Agree' },
    ]);
    clock.set('2027-01-28T00:01:00Z');
    assert.equal((await jobs.runOnce()).closed, 1);
    const lastContext = await contextFor(b, LEADER);
    const last = await lastContext.newPage();
    await last.goto(`${app().url}/reports/${request.id}`);
    const report = await mainText(last);
    assert.match(
      report,
      /Share the plan every month Follow up on 20 January 2027 Check-back, closed 28 January 2027 \(2 of 5 answered\): not enough answers/,
    );
    assert.doesNotMatch(report, /Share the plan every month[^·]*· \d+% favourable/, 'no figures below k');
    await last.goto(`${app().url}/collect`);
    assert.match(
      await mainText(last),
      /Share the plan every month Follow up on 20 January 2027 Check-back: not enough answers to show \(fewer than 3\)/,
    );
    await lastContext.close();
  });
});
