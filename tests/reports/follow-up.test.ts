// After the release: focus points with a follow-up date, the nudge on that date sent exactly
// once to both people, and a follow-up round copied from the released one.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf, csrfOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { connectPostgres } from '../../src/db/connect.ts';
import { sendDueFollowUpNudges } from '../../src/jobs/follow-up-nudges.ts';
import { addAgreedFocusPoint } from '../../src/reports/actions.ts';
import { addFocusPoint, countFocusPointsLocked } from '../../src/reports/focus-points-queries.ts';
import { createAnsweredRound, createFocusPoint } from '../helpers/factories.ts';

describeEachDatabase('focus points, nudges and follow-up rounds', (database, kind) => {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { app, people, leader, manager } = useTestApp(database, { clock, signIn: ['leader', 'manager'] });

  const releasedRound = () =>
    createAnsweredRound(database().db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      status: 'released',
    });
  const nudges = () =>
    database()
      .db.selectFrom('email_outbox')
      .select(['to_address', 'subject', 'text'])
      .where('name', '=', 'follow-up-nudge')
      .execute();
  const clearNudges = () => database().db.deleteFrom('email_outbox').where('name', '=', 'follow-up-nudge').execute();

  it('adds focus points with a future date within a year, refusing others beside the field', async () => {
    const { id } = await releasedRound();
    const tooEarly = await manager().post(`/reports/${id}/focus-points`, {
      _csrf: await csrfOf(manager(), '/account'),
      text: 'Protect focus time',
      follow_up_on: '2026-12-01',
    });
    assert.equal(tooEarly.status, 422);
    assert.match(tooEarly.html, /id="follow_up_on-error"[^>]*>.*Pick a date after today/);
    assert.match(tooEarly.html, /Protect focus time<\/textarea>/);
    const tooLate = await manager().post(`/reports/${id}/focus-points`, {
      _csrf: await csrfOf(manager(), '/account'),
      text: 'x',
      follow_up_on: '2027-12-02',
    });
    assert.match(tooLate.html, /Pick a date within a year from today/);
    const tooLong = await manager().post(`/reports/${id}/focus-points`, {
      _csrf: await csrfOf(manager(), '/account'),
      text: 'x'.repeat(501),
      follow_up_on: '2027-01-10',
    });
    assert.match(tooLong.html, /id="text-error"[^>]*>.*under 500 characters/);

    const added = await manager().post(`/reports/${id}/focus-points`, {
      _csrf: await csrfOf(manager(), '/account'),
      text: 'Protect focus time',
      follow_up_on: '2027-12-01',
    });
    assert.equal(added.status, 303);
    const page = textOf((await leader().get(`/reports/${id}`)).html);
    assert.match(page, /Protect focus time Follow up on 1 December 2027 Mark done/);
  });

  it('holds at most 10 open focus points and 40 in all, refusing more beside the field with what was typed kept', async () => {
    const db = database().db;
    const { id } = await releasedRound();
    const points = () => db.selectFrom('focus_points').select(['id', 'done_at']).where('request_id', '=', id).execute();
    for (let i = 0; i < 9; i++) await createFocusPoint(db, id, { text: `Point ${i}` });
    // Ten at once when one place is left: they take turns, and one gets it.
    const together = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        addAgreedFocusPoint(
          { db, clock },
          { roundId: id, text: `At once ${i}`, followUpOn: '2027-02-01', createdBy: people().manager.id },
        ),
      ),
    );
    assert.deepEqual(together.sort(), ['added', ...Array<string>(9).fill('open')]);
    assert.equal((await points()).length, 10);
    const csrf = await csrfOf(manager(), '/account');

    const eleventh = await manager().post(`/reports/${id}/focus-points`, {
      _csrf: csrf,
      text: 'Speak up in reviews',
      follow_up_on: '2027-03-01',
    });
    assert.equal(eleventh.status, 422);
    assert.match(eleventh.html, /id="text-error"[^>]*>.*10 open focus points.*Mark one done before adding another/s);
    assert.match(eleventh.html, /aria-invalid="true" aria-describedby="text-error"/);
    assert.match(eleventh.html, /Speak up in reviews<\/textarea>/, 'the text is kept');
    assert.match(eleventh.html, /value="2027-03-01"/, 'the date is kept');
    assert.equal((await points()).length, 10, 'nothing was added');

    const first = (await points())[0]!;
    await manager().post(`/reports/${id}/focus-points/${first.id}/done`, { _csrf: csrf });
    const fits = await manager().post(`/reports/${id}/focus-points`, {
      _csrf: csrf,
      text: 'Speak up in reviews',
      follow_up_on: '2027-03-01',
    });
    assert.equal(fits.status, 303, 'a point marked done makes room');

    // Points marked done still count towards the 40 a report holds.
    await db.updateTable('focus_points').set({ done_at: clock.now() }).where('request_id', '=', id).execute();
    for (let i = 11; i < 40; i++) await createFocusPoint(db, id, { text: `Old point ${i}` });
    await db.updateTable('focus_points').set({ done_at: clock.now() }).where('request_id', '=', id).execute();
    const fortyFirst = await leader().post(`/reports/${id}/focus-points`, {
      _csrf: await csrfOf(leader(), '/account'),
      text: 'One more',
      follow_up_on: '2027-03-01',
    });
    assert.equal(fortyFirst.status, 422);
    assert.match(textOf(fortyFirst.html), /holds 40 focus points, as many as it can/);
    assert.equal((await points()).length, 40);
  });

  it(
    'makes a focus point added at the same moment as another wait for it, and count it',
    { skip: kind !== 'postgres' && 'two connections need PostgreSQL' },
    async () => {
      const db = database().db;
      const { id } = await releasedRound();
      for (let i = 0; i < 9; i++) await createFocusPoint(db, id, { text: `Point ${i}` });
      const other = connectPostgres(database().url!, 2);
      try {
        // Another add holds the report between its count and its commit.
        let commit!: () => void;
        const committing = new Promise<void>((resolve) => (commit = resolve));
        let added!: () => void;
        const addedNotCommitted = new Promise<void>((resolve) => (added = resolve));
        const first = other.db.transaction().execute(async (trx) => {
          await countFocusPointsLocked(trx, id);
          await addFocusPoint(trx, {
            requestId: id,
            text: 'First',
            followUpOn: '2027-02-01',
            createdBy: people().leader.id,
            now: clock.now(),
          });
          added();
          await committing;
        });
        await addedNotCommitted;
        const second = addAgreedFocusPoint(
          { db, clock },
          { roundId: id, text: 'Second', followUpOn: '2027-02-01', createdBy: people().manager.id },
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        commit();
        await first;
        assert.equal(await second, 'open', 'the second counted the first, once it was committed');
        const open = await db.selectFrom('focus_points').select('text').where('request_id', '=', id).execute();
        assert.equal(open.length, 10);
      } finally {
        await other.close();
      }
    },
  );

  it('nudges the leader and the manager once on the follow-up date, never for points marked done', async () => {
    const db = database().db;
    await clearNudges();
    const { id } = await releasedRound();
    for (const [text, day] of [
      ['Weekly one-on-ones', '2026-12-15'],
      ['Share the roadmap', '2026-12-15'],
      ['Already sorted', '2026-12-15'],
    ]) {
      await leader().post(`/reports/${id}/focus-points`, {
        _csrf: await csrfOf(leader(), '/account'),
        text: text!,
        follow_up_on: day!,
      });
    }
    const done = await db
      .selectFrom('focus_points')
      .select('id')
      .where('request_id', '=', id)
      .where('text', '=', 'Already sorted')
      .executeTakeFirstOrThrow();
    assert.equal(
      (
        await manager().post(`/reports/${id}/focus-points/${done.id}/done`, {
          _csrf: await csrfOf(manager(), '/account'),
        })
      ).status,
      303,
    );

    const deps = { clock, config: app().config };
    clock.set('2026-12-14T23:59:00Z');
    assert.equal(await sendDueFollowUpNudges(db, deps), 0, 'not before its date');
    clock.set('2026-12-15T08:59:00Z');
    assert.equal(
      await sendDueFollowUpNudges(db, deps),
      0,
      "the day has come, but not 09:00 on the round's clock (UTC)",
    );
    clock.set('2026-12-15T09:00:00Z');
    assert.equal(await sendDueFollowUpNudges(db, deps), 2);
    assert.equal(await sendDueFollowUpNudges(db, deps), 0, 'the second run finds nothing left');
    clock.set('2026-12-20T09:00:00Z');
    assert.equal(await sendDueFollowUpNudges(db, deps), 0, 'nor days later');

    const sent = await nudges();
    assert.deepEqual(sent.map((e) => e.to_address).sort(), [people().leader.email, people().manager.email].sort());
    for (const email of sent) {
      assert.match(email.text, /Weekly one-on-ones/);
      assert.match(email.text, /Share the roadmap/);
      assert.doesNotMatch(email.text, /Already sorted/);
      assert.ok(email.text.includes(`${app().url}/reports/${id}`));
    }
    clock.set('2026-12-01T09:00:00Z');
  });

  it(
    'claims each due point for one runner only when two run at once',
    { skip: kind !== 'postgres' && 'two connections need PostgreSQL' },
    async () => {
      const db = database().db;
      await clearNudges();
      const rounds = [];
      for (let i = 0; i < 5; i++) rounds.push(await releasedRound());
      await db
        .insertInto('focus_points')
        .values(
          rounds.map(({ id }) => ({
            request_id: id,
            text: 'Check in',
            follow_up_on: '2026-12-10',
            created_by: null,
            created_at: clock.now(),
          })),
        )
        .execute();
      const second = connectPostgres(database().url!, 5);
      try {
        const deps = { clock: new ManualClock('2026-12-10T09:00:00Z'), config: app().config }; // 09:00 on the round's clock (UTC)
        const counts = await Promise.all([
          sendDueFollowUpNudges(db, deps),
          sendDueFollowUpNudges(second.db, deps),
          sendDueFollowUpNudges(second.db, deps),
        ]);
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          10,
        );
      } finally {
        await second.close();
      }
      const sent = await nudges();
      assert.equal(sent.length, 10, 'one email to each of the two people per round');
      assert.equal(new Set(sent.map((e) => `${e.to_address} ${e.text}`)).size, 10, 'no email twice');
      for (const person of [people().leader.email, people().manager.email])
        assert.equal(sent.filter((e) => e.to_address === person).length, 5);
    },
  );

  it('starts a follow-up round with the same questions and team, linked to the released one', async () => {
    const db = database().db;
    const { id, questions } = await releasedRound();
    const started = await manager().post(`/reports/${id}/follow-up`, { _csrf: await csrfOf(manager(), '/account') });
    assert.equal(started.status, 303);
    const newId = /^\/requests\/([0-9a-f-]{36})\/edit$/.exec(started.location!)![1]!;
    const draft = await db
      .selectFrom('feedback_requests')
      .selectAll()
      .where('id', '=', newId)
      .executeTakeFirstOrThrow();
    assert.equal(draft.status, 'draft');
    assert.equal(draft.manager_id, people().manager.id);
    assert.equal(draft.leader_email, people().leader.email);
    assert.equal(draft.previous_request_id, id);
    assert.deepEqual(draft.closes_at, new Date('2026-12-15T23:59:59.999Z'));
    const copied = await db
      .selectFrom('request_questions')
      .select(['position', 'kind', 'prompt', 'required', 'choices'])
      .where('request_id', '=', newId)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      copied,
      questions.map(({ position, kind, prompt, required, choices }) => ({ position, kind, prompt, required, choices })),
    );
    const team = await db
      .selectFrom('invitations')
      .select(['email'])
      .where('request_id', '=', newId)
      .orderBy('email')
      .execute();
    assert.deepEqual(
      team.map((i) => i.email),
      ['ann@example.com', 'bob@example.com', 'cy@example.com', 'di@example.com', 'ed@example.com'],
    );
    assert.equal(
      (await db.selectFrom('survey_links').select('key').where('request_id', '=', newId).execute()).length,
      0,
      'no links until launch',
    );
    // A second click opens the same draft rather than making another.
    const again = await manager().post(`/reports/${id}/follow-up`, { _csrf: await csrfOf(manager(), '/account') });
    assert.equal(again.location, started.location);
  });

  it('starts with an empty team, and says so, once the addresses were purged', async () => {
    const db = database().db;
    const { id } = await releasedRound();
    await db.updateTable('invitations').set({ email: null }).where('request_id', '=', id).execute();
    await db.updateTable('feedback_requests').set({ invitees_purged_at: clock.now() }).where('id', '=', id).execute();
    assert.match(
      textOf((await manager().get(`/reports/${id}`)).html),
      /addresses were deleted .* you will enter them again/,
    );
    const started = await manager().post(`/reports/${id}/follow-up`, { _csrf: await csrfOf(manager(), '/account') });
    const newId = /^\/requests\/([0-9a-f-]{36})\/edit\?team=purged$/.exec(started.location!)![1]!;
    assert.equal((await db.selectFrom('invitations').select('id').where('request_id', '=', newId).execute()).length, 0);
    assert.equal(
      (await db.selectFrom('request_questions').select('id').where('request_id', '=', newId).execute()).length,
      4,
    );
    assert.match(
      textOf((await manager().get(started.location!)).html),
      /team addresses have been deleted.*Add your team again/,
    );
  });
});
