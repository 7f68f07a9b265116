// The leader's one-on-one after a round (issue 19): the agenda built from the report, the
// calendar invitation both people get (parsed with ical.js, a second library), moving and
// cancelling it, and "How's that going?" a couple of days after, once each.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import { csrfOf, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { connectPostgres } from '../../src/db/connect.ts';
import { sendDueCheckIns } from '../../src/jobs/one-on-one-check-ins.ts';
import { planMeeting } from '../../src/one-on-one/actions.ts';
import { findReportRound } from '../../src/reports/queries.ts';
import { createAnsweredRound, createFocusPoint, type QuestionSpec } from '../helpers/factories.ts';
import type { ReceivedEmail } from '../helpers/smtp.ts';
import { signedInClient } from '../helpers/sessions.ts';

const QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'My manager listens to me.', required: true },
  { kind: 'agree', prompt: 'My manager gives clear goals.', required: true },
  { kind: 'agree', prompt: 'My manager shares credit.', required: true },
  { kind: 'agree', prompt: 'My manager follows up on what I raise.', required: true },
];
// Means 4.7, 2.3, 4.3, 2.3: strengths "listens" and "shares credit", focus the other two.
const ANSWERS = [
  [5, 2, 4, 2],
  [5, 3, 4, 2],
  [4, 2, 5, 3],
];

/** The calendar invitation of an email as a calendar reads it, its zones registered. */
function calendarOf(mail: ReceivedEmail) {
  const part = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  assert.ok(part, `${mail.subject} carries a calendar invitation`);
  const root = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const vevent = root.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  const attendees = vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase());
  return {
    method: root.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    tzid: vevent.getFirstProperty('dtstart')!.getParameter('tzid'),
    endTzid: vevent.getFirstProperty('dtend')!.getParameter('tzid'),
    organizer: String(vevent.getFirstPropertyValue('organizer')).toLowerCase(),
    attendees,
    status: vevent.getFirstPropertyValue('status'),
    location: event.location,
    stamp: vevent.getFirstProperty('dtstamp')!.toICALString(),
  };
}

describeEachDatabase('the one-on-one: agenda, invitation and check-in', (database, kind) => {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { app, people, leader, manager, stranger } = useTestApp(database, {
    clock,
    signIn: ['leader', 'manager', 'stranger'],
  });
  const mail = useSmtpWorker(database, { clock });

  const closedRound = (status: 'closed' | 'released' = 'closed') =>
    createAnsweredRound(database().db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions: QUESTIONS,
      answers: ANSWERS,
      status,
    });
  const post = async (path: string, fields: Record<string, string>, who = leader()) =>
    who.post(path, { _csrf: await csrfOf(who, '/account'), ...fields });
  const meeting = (fields: Partial<Record<string, string>> = {}) => ({
    day: '2027-01-12',
    time: '09:00',
    minutes: '45',
    time_zone: 'Europe/Berlin',
    place: 'https://meet.example.com/abc-defg',
    ...fields,
  });
  /** Sends the outbox and returns what arrived for this round's two people since `from`. */
  async function delivered(from: number) {
    while ((await mail.worker().runOnce()) > 0);
    return mail.smtp().messages.slice(from);
  }

  it('builds the agenda from the report: the person first, thanks, strengths, focus areas as questions, blind spots, focus points, the team', async () => {
    const db = database().db;
    const round = await closedRound();
    // The manager rated themself 5 where the team gave 2.3 (a blind spot) and 4 where it gave 4.7.
    await db
      .insertInto('self_answers')
      .values([
        { question_id: round.questionIds[3]!, request_id: round.id, value: 5, updated_at: clock.now() },
        { question_id: round.questionIds[0]!, request_id: round.id, value: 4, updated_at: clock.now() },
      ])
      .execute();
    const report = await leader().get(`/reports/${round.id}`);
    assert.match(report.html, new RegExp(`href="/reports/${round.id}/one-on-one"[^>]*>Plan the one-on-one`));

    const page = await leader().get(`/reports/${round.id}/one-on-one`);
    assert.equal(page.status, 200);
    const agenda = textOf(/<textarea id="agenda-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.html)![1]!);
    const order = [
      '1. How are you? Begin with Mira Manager, not with the results.',
      '2. Thank you for asking',
      '3 of 5 people answered',
      '3. Strengths to praise - "My manager listens to me." (4.7) - "My manager shares credit." (4.3)',
      '4. The months ahead',
      '"My manager follows up on what I raise." (2.3) What would it take for this to become a strength in the next months?',
      '"My manager gives clear goals." (2.3) What would it take',
      '5. Blind spots',
      '"My manager follows up on what I raise.": Mira Manager 5, the team 2.3',
      '6. Focus points Agree on two or three specific things to try, each with a date',
      '7. What to tell the team',
    ];
    let at = -1;
    for (const part of order) {
      const found = agenda.indexOf(part, at + 1);
      assert.ok(found > at, `"${part}" comes next in: ${agenda}`);
      at = found;
    }
    assert.doesNotMatch(agenda, /"My manager listens to me\.": Mira/, 'a self-rating below the team is no blind spot');
  });

  it('saves the edited agenda and copies it into the notes of the report', async () => {
    const round = await closedRound();
    const saved = await post(`/reports/${round.id}/one-on-one/agenda`, {
      agenda: 'Ask about the move.',
      action: 'save',
    });
    assert.equal(saved.status, 303);
    const page = await leader().get(`/reports/${round.id}/one-on-one`);
    assert.match(page.html, /<textarea id="agenda-text"[^>]*>Ask about the move\.<\/textarea>/);

    await post(`/reports/${round.id}/notes`, { notes: 'My own note.' });
    const copied = await post(`/reports/${round.id}/one-on-one/agenda`, {
      agenda: 'Thank them first.',
      action: 'copy',
    });
    assert.equal(copied.status, 303);
    const report = await leader().get(`/reports/${round.id}`);
    assert.match(report.html, /My own note\.\n\nThank them first\.<\/textarea>/);

    const tooLong = await post(`/reports/${round.id}/one-on-one/agenda`, { agenda: 'x'.repeat(5_001), action: 'save' });
    assert.equal(tooLong.status, 422);
    assert.match(tooLong.html, /id="agenda-error"[^>]*>.*under 5,000 characters/);
  });

  it('refuses a meeting that is past, too short or too long, in an unknown zone or nowhere, beside each field with the values kept', async () => {
    const round = await closedRound();
    const path = `/reports/${round.id}/one-on-one/meeting`;
    const past = await post(path, meeting({ day: '2026-12-01', time: '09:30', time_zone: 'Europe/Berlin' }));
    assert.equal(past.status, 422, '09:30 in Berlin is 08:30 UTC, already past at 09:00 UTC');
    assert.match(past.html, /id="day-error"[^>]*>.*still ahead/);
    assert.match(past.html, /value="2026-12-01"/);
    assert.match(past.html, /value="09:30"/);
    assert.match(past.html, /value="https:\/\/meet\.example\.com\/abc-defg"/);
    assert.match(past.html, /<option value="Europe\/Berlin" selected>/);

    const short = await post(path, meeting({ minutes: '10', place: '' }));
    assert.equal(short.status, 422);
    assert.match(short.html, /id="minutes-error"[^>]*>.*at least 15 minutes/);
    assert.match(short.html, /id="place-error"[^>]*>.*Say where you meet/);
    assert.match(short.html, /name="minutes" value="10"/);
    const both = await post(path, meeting({ day: '2026-11-30', minutes: '10' }));
    assert.match(both.html, /id="day-error"[^>]*>.*still ahead/, 'a past start shows beside other mistakes');
    assert.match(both.html, /id="minutes-error"[^>]*>.*at least 15 minutes/);
    const long = await post(path, meeting({ minutes: '241', time_zone: 'Mars/Olympus', time: '25:00' }));
    assert.match(long.html, /id="minutes-error"[^>]*>.*240 minutes at most/);
    assert.match(long.html, /id="time_zone-error"[^>]*>.*from the list/);
    assert.match(long.html, /id="time-error"[^>]*>.*24-hour clock/);
    const far = await post(path, meeting({ place: 'x'.repeat(501) }));
    assert.match(far.html, /id="place-error"[^>]*>.*under 500 characters/);
    assert.equal(
      await database()
        .db.selectFrom('email_outbox')
        .select('id')
        .where('name', 'like', 'one-on-one%')
        .execute()
        .then((r) => r.length),
      0,
      'nothing was sent',
    );
  });

  it('sends both people the invitation, then an update with a higher SEQUENCE, then a cancellation', async () => {
    const round = await closedRound();
    const { leader: lead, manager: mgr } = people();
    const path = `/reports/${round.id}/one-on-one/meeting`;
    const before = mail.smtp().messages.length;
    const planned = await post(path, meeting());
    assert.equal(planned.status, 303);
    const first = await delivered(before);
    assert.deepEqual(first.map((m) => m.to).sort(), [lead.email, mgr.email].sort(), 'one email each');
    for (const email of first) {
      assert.equal(email.subject, 'One-on-one: feedback for Mira Manager');
      assert.match(email.text, /When: Tuesday, 12 January 2027, 09:00–09:45 \(Europe\/Berlin time\)/);
      assert.match(email.text, /Length: 45 minutes/);
      assert.match(email.text, /Where: https:\/\/meet\.example\.com\/abc-defg/);
      // The leader's link opens the one-on-one (theirs alone); the manager's the report.
      const link = email.to === lead.email ? `/reports/${round.id}/one-on-one` : `/reports/${round.id}\n`;
      assert.ok(email.text.includes(`Open Upward: ${app().config.BASE_URL}${link}`), `${email.to}: ${link}`);
      assert.match(email.html, /Europe\/Berlin time/);
      const ics = calendarOf(email);
      assert.equal(ics.method, 'REQUEST');
      assert.equal(ics.uid, `one-on-one-${round.id}@${new URL(app().config.BASE_URL).hostname}`);
      assert.equal(ics.sequence, 0);
      assert.equal(ics.start, '2027-01-12T08:00:00.000Z', '09:00 in Berlin is 08:00 UTC in January');
      assert.equal(ics.end, '2027-01-12T08:45:00.000Z');
      assert.equal(ics.tzid, 'Europe/Berlin');
      assert.equal(ics.endTzid, 'Europe/Berlin');
      assert.equal(ics.organizer, `mailto:${lead.email}`);
      assert.ok(ics.attendees.includes(`mailto:${mgr.email}`), 'the manager is invited');
      assert.equal(ics.location, 'https://meet.example.com/abc-defg');
      assert.equal(ics.stamp, 'DTSTAMP:20261201T090000Z', 'DTSTAMP is the clock, in UTC');
    }
    let page = textOf((await leader().get(`/reports/${round.id}/one-on-one`)).html);
    assert.match(page, /Planned When Tuesday, 12 January 2027, 09:00–09:45 \(Europe\/Berlin time\)/);

    const again = await post(path, meeting());
    assert.equal(again.status, 303);
    assert.equal((await delivered(before + 2)).length, 0, 'saving the same meeting sends nothing');

    await post(path, meeting({ day: '2027-07-13', time: '14:30', minutes: '30', place: 'Room 4' }));
    const moved = await delivered(before + 2);
    assert.deepEqual(moved.map((m) => m.to).sort(), [lead.email, mgr.email].sort());
    for (const email of moved) {
      assert.equal(email.subject, 'Moved: One-on-one: feedback for Mira Manager');
      const ics = calendarOf(email);
      assert.equal(ics.method, 'REQUEST');
      assert.equal(ics.uid, calendarOf(first[0]!).uid, 'the same event');
      assert.equal(ics.sequence, 1);
      assert.equal(ics.start, '2027-07-13T12:30:00.000Z', '14:30 in Berlin is 12:30 UTC in summer');
      assert.equal(ics.end, '2027-07-13T13:00:00.000Z');
      assert.equal(ics.location, 'Room 4');
    }
    page = textOf((await leader().get(`/reports/${round.id}/one-on-one`)).html);
    assert.match(page, /Moved When Tuesday, 13 July 2027, 14:30–15:00/);

    assert.equal((await leader().get(`/reports/${round.id}/one-on-one/cancel`)).status, 200);
    assert.equal((await post(`/reports/${round.id}/one-on-one/cancel`, {})).status, 303);
    const cancelled = await delivered(before + 4);
    assert.deepEqual(cancelled.map((m) => m.to).sort(), [lead.email, mgr.email].sort());
    for (const email of cancelled) {
      assert.equal(email.subject, 'Cancelled: One-on-one: feedback for Mira Manager');
      const ics = calendarOf(email);
      assert.equal(ics.method, 'CANCEL');
      assert.equal(ics.sequence, 2);
      assert.equal(ics.status, 'CANCELLED');
      assert.equal(ics.uid, calendarOf(first[0]!).uid);
    }
    page = textOf((await leader().get(`/reports/${round.id}/one-on-one`)).html);
    assert.match(page, /Cancelled When Tuesday, 13 July 2027/);
    const row = await database()
      .db.selectFrom('one_on_ones')
      .selectAll()
      .where('request_id', '=', round.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.check_in_due_at, null, 'no check-in for a cancelled meeting');

    clock.set('2027-07-20T09:00:00Z');
    assert.equal(await sendDueCheckIns(database().db, { clock, config: app().config }), 0);
    clock.set('2026-12-01T09:00:00Z');
  });

  it('lets only the leader plan it, once the report exists, and the leader add focus points before the release', async () => {
    const round = await closedRound();
    for (const who of [manager(), stranger()]) {
      assert.equal((await who.get(`/reports/${round.id}/one-on-one`)).status, who === manager() ? 403 : 404);
      assert.notEqual((await post(`/reports/${round.id}/one-on-one/meeting`, meeting(), who)).status, 303);
    }
    const added = await post(`/reports/${round.id}/focus-points`, { text: 'Weekly goals', follow_up_on: '2027-01-20' });
    assert.equal(added.status, 303, 'the leader writes focus points down in the one-on-one, before the release');
    const byManager = await post(
      `/reports/${round.id}/focus-points`,
      { text: 'Mine', follow_up_on: '2027-01-20' },
      manager(),
    );
    assert.equal(byManager.status, 403, 'the manager only once released');
    assert.match(
      textOf((await leader().get(`/reports/${round.id}/one-on-one`)).html),
      /Focus points Weekly goals Follow up on 20 January 2027/,
    );
  });

  it('asks both how it is going CHECK_IN_DAYS after the meeting, once each, listing the focus points agreed', async () => {
    const db = database().db;
    const deps = { clock, config: app().config };
    clock.set('2026-12-01T09:00:00Z');
    const withPoints = await closedRound();
    const without = await closedRound('released');
    await createFocusPoint(db, withPoints.id, { text: 'Share the roadmap monthly' });
    await post(
      `/reports/${withPoints.id}/one-on-one/meeting`,
      meeting({ day: '2026-12-10', time: '10:00', time_zone: 'UTC' }),
    );
    await post(
      `/reports/${without.id}/one-on-one/meeting`,
      meeting({ day: '2026-12-10', time: '10:00', time_zone: 'UTC' }),
    );
    await db.deleteFrom('email_outbox').where('name', '=', 'how-is-it-going').execute();
    const checkIns = () =>
      db
        .selectFrom('email_outbox')
        .select(['to_address', 'subject', 'text'])
        .where('name', '=', 'how-is-it-going')
        .execute();

    clock.set('2026-12-12T09:59:00Z');
    assert.equal(await sendDueCheckIns(db, deps), 0, 'not before two days after its start');
    // Signed in afresh: the suite's session has been idle too long by now.
    const { client: later } = await signedInClient(app(), db, people().leader);
    const held = textOf((await later.get(`/reports/${withPoints.id}/one-on-one`)).html);
    assert.match(held, /Held When Thursday, 10 December 2026, 10:00–10:45 \(UTC\)/, 'its time has passed');
    assert.doesNotMatch(held, /Cancel the meeting/, 'a meeting held is not cancelled');
    clock.set('2026-12-12T10:00:00Z');
    assert.equal(await sendDueCheckIns(db, deps), 4, 'one to each person of both one-on-ones');
    assert.equal(await sendDueCheckIns(db, deps), 0, 'a second run finds nothing');
    clock.set('2026-12-20T10:00:00Z');
    assert.equal(await sendDueCheckIns(db, deps), 0, 'nor days later');

    const sent = await checkIns();
    assert.deepEqual(
      sent.map((e) => e.to_address).sort(),
      [people().leader.email, people().leader.email, people().manager.email, people().manager.email].sort(),
    );
    assert.ok(sent.every((e) => e.subject === "How's that going?"));
    const listing = sent.filter((e) => e.text.includes('Share the roadmap monthly'));
    assert.equal(listing.length, 2, 'both people of the first one-on-one see its focus point');
    const asking = sent.filter((e) => e.text.includes('No focus points are written down yet'));
    assert.equal(asking.length, 2, 'both of the other are asked to write them down');
    assert.ok(asking.every((e) => e.text.includes(`/reports/${without.id}#focus-points`)));
    clock.set('2026-12-01T09:00:00Z');
  });

  it("offers a meeting not yet planned in the organizer's own time zone", async () => {
    const db = database().db;
    const round = await closedRound();
    await db.updateTable('users').set({ time_zone: 'Europe/Berlin' }).where('id', '=', people().leader.id).execute();
    try {
      const page = await leader().get(`/reports/${round.id}/one-on-one`);
      assert.match(page.html, /<option value="Europe\/Berlin" selected>/);
    } finally {
      await db.updateTable('users').set({ time_zone: null }).where('id', '=', people().leader.id).execute();
    }
  });

  it("asks how it is going at a waking hour on the meeting's clock: a meeting at 21:30 in Berlin is followed up at 09:00 there", async () => {
    clock.set('2026-12-01T09:00:00Z');
    const round = await closedRound();
    await post(
      `/reports/${round.id}/one-on-one/meeting`,
      meeting({ day: '2026-12-10', time: '21:30', time_zone: 'Europe/Berlin' }),
    );
    const row = await database()
      .db.selectFrom('one_on_ones')
      .select('check_in_due_at')
      .where('request_id', '=', round.id)
      .executeTakeFirstOrThrow();
    assert.equal(
      row.check_in_due_at?.toISOString(),
      '2026-12-13T08:00:00.000Z',
      'not 20:30Z on the 12th, but 09:00 CET the next morning',
    );
  });

  it(
    'sends one invitation and one update to each when the same meeting is planned, then moved, twice at the same moment',
    { skip: kind !== 'postgres' && 'two connections need PostgreSQL' },
    async () => {
      const db = database().db;
      const round = await closedRound();
      const found = await findReportRound(db, round.id);
      const other = connectPostgres(database().url!, 2);
      try {
        const input = { startsAt: new Date('2027-01-12T08:00:00Z'), minutes: 30, timeZone: 'UTC', place: 'Room 4' };
        const deps = (on: typeof db) => ({ db: on, clock, config: app().config });
        const planned = await Promise.all([
          planMeeting(deps(db), found!, input, 'en'),
          planMeeting(deps(other.db), found!, input, 'en'),
        ]);
        assert.deepEqual(planned.sort(), ['planned', 'unchanged'], 'the second waited for the first, then saw it');
        // Moved twice at once to the same new time: one update, SEQUENCE 1, not two.
        const later = { ...input, startsAt: new Date('2027-01-13T08:00:00Z') };
        const moved = await Promise.all([
          planMeeting(deps(db), found!, later, 'en'),
          planMeeting(deps(other.db), found!, later, 'en'),
        ]);
        assert.deepEqual(moved.sort(), ['moved', 'unchanged']);
        const row = await db
          .selectFrom('one_on_ones')
          .select('sequence')
          .where('request_id', '=', round.id)
          .executeTakeFirstOrThrow();
        assert.equal(row.sequence, 1);
        const sent = await db
          .selectFrom('email_outbox')
          .select('to_address')
          .where('name', '=', 'one-on-one-invitation')
          .where('text', 'like', `%/reports/${round.id}%`)
          .execute();
        assert.equal(sent.length, 4, 'one invitation and one update each');
      } finally {
        await other.close();
      }
    },
  );

  it(
    'sends each check-in once when two processes run the job at the same moment',
    { skip: kind !== 'postgres' && 'two connections need PostgreSQL' },
    async () => {
      const db = database().db;
      const deps = { clock, config: app().config };
      clock.set('2026-12-01T09:00:00Z');
      const rounds = await Promise.all([closedRound(), closedRound(), closedRound()]);
      for (const round of rounds)
        await post(
          `/reports/${round.id}/one-on-one/meeting`,
          meeting({ day: '2026-12-10', time: '10:00', time_zone: 'UTC' }),
        );
      await db.deleteFrom('email_outbox').where('name', '=', 'how-is-it-going').execute();
      clock.set('2026-12-12T10:00:00Z');
      const other = connectPostgres(database().url!, 2);
      try {
        const counts = await Promise.all([sendDueCheckIns(db, deps), sendDueCheckIns(other.db, deps)]);
        assert.equal(counts[0]! + counts[1]!, 6, `${counts.join(' + ')}: two for each of the three`);
        const rows = await db
          .selectFrom('email_outbox')
          .select(['to_address'])
          .where('name', '=', 'how-is-it-going')
          .execute();
        assert.equal(rows.length, 6);
      } finally {
        await other.close();
        clock.set('2026-12-01T09:00:00Z');
      }
    },
  );
});
