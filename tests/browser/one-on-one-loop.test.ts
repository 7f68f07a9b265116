// Issue 19's whole loop in Chromium, on the injected clock, every email opened from the
// development mailbox: the manager assesses themself while the round is open; the round
// closes; the report sets self beside team and lists a blind spot; the leader plans the
// one-on-one and both get the invitation, whose calendar part parses (ical.js) with the start,
// end, zone, organizer and attendee picked; the meeting moves once (an update with a higher
// SEQUENCE) to both; "How's that going?" reaches each once; the report is released with the
// next round's date; on that date the manager's email arrives and its link starts the
// follow-up round. axe checks every new page.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import ICAL from 'ical.js';
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

/** The event of a calendar invitation, and its METHOD, as a calendar program reads them. */
function readCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: Number(vevent.getFirstPropertyValue('sequence')),
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    zone: String(vevent.getFirstProperty('dtstart')!.getParameter('tzid')),
    organizer: String(vevent.getFirstPropertyValue('organizer')).toLowerCase(),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()),
  };
}

describeInBrowser('the one-on-one after a round', (browser) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app, db } = useAppOnPglite({ clock });

  /** A browser context signed in as this person now (sessions do not outlast the weeks below). */
  async function contextFor(b: Browser, person: { email: string; name: string }): Promise<BrowserContext> {
    const { client } = await signedInClient(app(), db(), person);
    return contextSignedInAs(b, client, { viewport: { width: 1280, height: 900 } });
  }

  function emailsTo(to: string, name: string) {
    return db()
      .selectFrom('email_outbox')
      .select(['id', 'subject', 'calendar', 'created_at'])
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

  it('runs from the self-assessment to the next round', async () => {
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

    // The leader launches; the manager's email invites them to assess themself.
    const leaderContext = await contextFor(b, LEADER);
    const leader = await leaderContext.newPage();
    await leader.goto(`${app().url}/collect/${request.id}/launch`);
    await leader.getByRole('button', { name: 'Send 5 invitations' }).click();
    await expectHeading(leader, 'Feedback for Mia Manager');
    await leaderContext.close();

    const managerContext = await contextFor(b, MANAGER);
    const mia = await managerContext.newPage();
    await openEmail(mia, MANAGER.email, 'self-assessment-invitation');
    await mia.getByRole('link', { name: 'Assess yourself' }).click();
    await expectHeading(mia, 'Assess yourself');
    await assertNoAxeViolations(mia);
    const statements = mia.getByRole('group');
    await statements.nth(0).getByLabel('Strongly agree', { exact: true }).check();
    await statements.nth(1).getByLabel('Agree', { exact: true }).check();
    await mia.getByRole('button', { name: 'Save my answers' }).click();
    await expectHeading(mia, 'Your request');
    assert.match((await mia.locator('main').textContent())!, /Your self-assessment is saved/);
    await managerContext.close();

    // The team answers through their invitations: listening is rated low (2), goals as 4.
    const team = await b.newContext({ viewport: { width: 360, height: 740 } });
    for (const email of TEAM.slice(0, 4)) {
      const page = await team.newPage();
      await openEmail(page, email, 'invitation');
      await page
        .getByRole('link')
        .filter({ hasText: /survey|answer|feedback/i })
        .first()
        .click();
      const groups = page.getByRole('group');
      await groups.nth(0).getByLabel('Disagree', { exact: true }).check();
      await groups.nth(1).getByLabel('Agree', { exact: true }).check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await expectHeading(page, 'Thank you, your answers are in');
      await page.close();
    }
    await team.close();

    // The round closes by its job; the leader opens the report from the email.
    const jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
    clock.set('2026-11-17T00:01:00Z');
    assert.equal((await jobs.runOnce()).closed, 1);
    const reviewContext = await contextFor(b, LEADER);
    const lee = await reviewContext.newPage();
    await openEmail(lee, LEADER.email, 'round-closed');
    await lee.goto(`${app().url}/reports/${request.id}`);
    const report = (await lee.locator('main').textContent())!.replace(/\s+/g, ' ');
    assert.match(report, /4 of 5 answered/);
    assert.match(
      report,
      /Blind spots Rated clearly higher by Mia Manager than by the team\. My manager listens to me\. Self 5 · team 2\.0 · \+3\.0/,
      'self 5 against a team mean of 2.0',
    );
    assert.match(report, /Team ?2\.0 Mia Manager ?5 Strongly agree Gap ?\+3\.0 blind spot/, 'self beside team');
    assert.doesNotMatch(report, /5 of 5 answered/, 'the manager is not counted');

    // The leader plans the one-on-one: Wednesday 18 November, 10:00 in Berlin, 30 minutes.
    await lee.getByRole('link', { name: 'Plan the one-on-one' }).first().click();
    await expectHeading(lee, 'One-on-one with Mia Manager');
    await assertNoAxeViolations(lee);
    const agenda = await lee.getByLabel('The agenda').inputValue();
    assert.match(agenda, /My manager listens to me\./, 'the agenda names the blind spot');
    await lee.getByLabel('Day', { exact: true }).fill('2026-11-18');
    await lee.getByLabel('Time', { exact: true }).fill('10:00');
    await lee.getByLabel('Time zone').selectOption('Europe/Berlin');
    await lee.getByLabel('Place or call link').fill('Room 4.2');
    assert.equal(await lee.getByLabel('Length in minutes').inputValue(), '30');
    await lee.getByRole('button', { name: 'Send the invitation' }).click();
    await expectHeading(lee, 'One-on-one with Mia Manager');

    for (const person of [LEADER, MANAGER]) {
      const [invitation] = await emailsTo(person.email, 'one-on-one-invitation');
      assert.ok(invitation?.calendar, `${person.name} gets the invitation with its calendar part`);
      const event = readCalendar(invitation.calendar);
      assert.equal(event.method, 'REQUEST');
      assert.equal(event.start.toISOString(), '2026-11-18T09:00:00.000Z', '10:00 in Berlin');
      assert.equal(event.end.toISOString(), '2026-11-18T09:30:00.000Z');
      assert.equal(event.zone, 'Europe/Berlin');
      assert.equal(event.organizer, `mailto:${LEADER.email}`);
      assert.ok(event.attendees.includes(`mailto:${MANAGER.email}`));
    }
    const mailbox = await reviewContext.newPage();
    await openEmail(mailbox, MANAGER.email, 'one-on-one-invitation');
    assert.match((await mailbox.locator('body').textContent())!, /Room 4\.2/);
    await mailbox.close();

    // Moved once, to 14:00 the same day: both get an update with a higher SEQUENCE, same UID.
    await lee.getByLabel('Time', { exact: true }).fill('14:00');
    await lee.getByRole('button', { name: 'Move and send the update' }).click();
    await expectHeading(lee, 'One-on-one with Mia Manager');
    for (const person of [LEADER, MANAGER]) {
      const sent = await emailsTo(person.email, 'one-on-one-invitation');
      assert.equal(sent.length, 2, `${person.name}: the invitation and its update`);
      const [first, update] = sent.map((email) => readCalendar(email.calendar!));
      assert.match(sent[1]!.subject, /^Moved: /);
      assert.equal(update!.uid, first!.uid);
      assert.ok(update!.sequence > first!.sequence, 'a higher SEQUENCE');
      assert.equal(update!.start.toISOString(), '2026-11-18T13:00:00.000Z');
    }
    await reviewContext.close();

    // Two days after the meeting, "How's that going?" reaches each of them, once.
    clock.set('2026-11-20T12:59:00Z');
    await jobs.runOnce();
    assert.equal((await emailsTo(LEADER.email, 'how-is-it-going')).length, 0, 'not before two days');
    clock.set('2026-11-20T13:01:00Z');
    await jobs.runOnce();
    await jobs.runOnce();
    for (const person of [LEADER, MANAGER])
      assert.equal((await emailsTo(person.email, 'how-is-it-going')).length, 1, `${person.name}: once`);

    // The leader releases the report, the next round six months on by default.
    const releaseContext = await contextFor(b, LEADER);
    const release = await releaseContext.newPage();
    await release.goto(`${app().url}/reports/${request.id}/release`);
    await assertNoAxeViolations(release);
    assert.equal(await release.getByLabel('Next round').inputValue(), '2027-05-20');
    await release.getByRole('button', { name: 'Release to Mia Manager' }).click();
    await releaseContext.close();

    // The day before, nothing; on the day, the manager's email, whose link starts the round.
    clock.set('2027-05-19T09:00:00Z');
    await jobs.runOnce();
    assert.equal((await emailsTo(MANAGER.email, 'next-round-due')).length, 0);
    clock.set('2027-05-20T09:00:00Z');
    await jobs.runOnce();
    assert.equal((await emailsTo(MANAGER.email, 'next-round-due')).length, 1);
    const laterContext = await contextFor(b, MANAGER);
    const later = await laterContext.newPage();
    await openEmail(later, MANAGER.email, 'next-round-due');
    await later.locator(`a[href*="/reports/${request.id}/next-round"]`).first().click();
    await assertNoAxeViolations(later);
    await later.getByRole('button', { name: 'Start the follow-up round' }).click();
    await expectHeading(later, 'Edit your request');
    const followUp = await db()
      .selectFrom('feedback_requests')
      .select(['id', 'status'])
      .where('previous_request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(followUp.status, 'draft');
    assert.ok(later.url().includes(followUp.id));
    await laterContext.close();
  });
});
