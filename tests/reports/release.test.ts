// The leader's notes and the release: a confirmation page, one conditional update, and the
// manager's email queued once in the same transaction. Notes reach the manager only then.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf, csrfOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createAnsweredRound } from '../helpers/factories.ts';

describeEachDatabase('report release and notes', (database) => {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { app, people, leader, manager } = useTestApp(database, { clock, signIn: ['leader', 'manager'] });

  it('keeps the notes private until the release, then emails the manager once and shows them the report with the notes', async () => {
    const db = database().db;
    const { id } = await createAnsweredRound(db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
    });

    const saved = await leader().post(`/reports/${id}/notes`, {
      _csrf: await csrfOf(leader(), '/account'),
      notes: 'Ask about focus time.\nCelebrate check-ins.',
    });
    assert.equal(saved.status, 303);
    assert.match(textOf((await leader().follow(saved)).html), /Your notes are saved/);

    const before = await manager().get(`/reports/${id}`);
    assert.match(
      textOf(before.html),
      /closed on 16 November 2026 with 5 answers\. Leo Leader will share the results with you after your one-on-one/,
    );
    assert.doesNotMatch(before.html, /Ask about focus time/);

    const confirm = await leader().get(`/reports/${id}/release`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.html), /Release the report to Mira Manager\? .*cannot be taken back/);

    const released = await leader().submit(`/reports/${id}/release`, {});
    assert.equal(released.status, 303);
    assert.match(textOf((await leader().follow(released)).html), /The report is released/);
    // A second click (or a second tab) changes nothing and sends nothing.
    assert.equal(
      (await leader().post(`/reports/${id}/release`, { _csrf: await csrfOf(leader(), '/account') })).status,
      303,
    );

    const row = await db
      .selectFrom('feedback_requests')
      .select(['status', 'released_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'released');
    assert.deepEqual(row.released_at, clock.now());
    const emails = await db.selectFrom('email_outbox').selectAll().where('name', '=', 'report-released').execute();
    assert.equal(emails.length, 1);
    assert.equal(emails[0]!.to_address, people().manager.email);
    assert.equal(emails[0]!.subject, 'Leo Leader shared your feedback report');
    assert.ok(emails[0]!.text.includes(`${app().url}/reports/${id}`), 'links to the report');

    const after = await manager().get(`/reports/${id}`);
    assert.equal(after.status, 200);
    assert.match(textOf(after.html), /Notes from Leo Leader Ask about focus time\. Celebrate check-ins\./);
    assert.match(after.html, /<div class="chart"/);
    // Released: the confirmation page has nothing left to confirm.
    assert.equal((await leader().get(`/reports/${id}/release`)).status, 303);
  });

  it('refuses notes over 5,000 characters, keeping what was typed beside the error', async () => {
    const { id } = await createAnsweredRound(database().db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
    });
    const long = `${'x'.repeat(5_000)}y`;
    const page = await leader().post(`/reports/${id}/notes`, {
      _csrf: await csrfOf(leader(), '/account'),
      notes: long,
    });
    assert.equal(page.status, 422);
    assert.match(page.html, /id="notes-error"[^>]*>.*Keep the notes under 5,000 characters/);
    assert.ok(page.html.includes(`>${long}</textarea>`));
    const row = await database()
      .db.selectFrom('feedback_requests')
      .select('leader_notes')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.leader_notes, '');
  });

  it('does not release a round below its threshold', async () => {
    const { id } = await createAnsweredRound(database().db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      answers: [[5], [4]],
    });
    assert.equal(
      (await leader().post(`/reports/${id}/release`, { _csrf: await csrfOf(leader(), '/account') })).status,
      403,
    );
    const row = await database()
      .db.selectFrom('feedback_requests')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'closed');
  });
});
