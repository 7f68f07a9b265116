// The operator's command (`npm run ops -- …`): export and erase one person's data while
// every other person's aggregates stay exactly as they were, and list and retry failed
// emails. The functions run on both databases; the command itself on PostgreSQL.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeEachDatabase, postgresSkipReason, createTestDatabase } from '../helpers/databases.ts';
import { connectPglite } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { lockDataDir } from '../../src/db/data-dir-lock.ts';
import { testConfig } from '../helpers/app.ts';
import {
  addResponse,
  closeAnsweredRound,
  createOpenRound,
  createRequest,
  createFocusPoint,
  createUser,
  uniqueTag,
} from '../helpers/factories.ts';
import { runNode } from '../helpers/processes.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { queueEmail } from '../../src/email/outbox.ts';
import { questionFigures } from '../../src/reports/aggregate.ts';
import { countResponses } from '../../src/rounds/round-queries.ts';
import { ERASED_LEADER, erasePerson, exportPerson } from '../../src/ops/person.ts';
import { storedFor } from '../survey/survey-helpers.ts';
import { listFailedEmails, retryFailedEmails } from '../../src/ops/emails.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

/** Pat manages one closed round with answers, leads Mo's round, and is invited to Lee's closed round. */
async function world(db: Kysely<Database>) {
  const t = uniqueTag();
  const pat = await createUser(db, { email: `pat-${t}@example.com`, name: 'Pat Person' });
  const mo = await createUser(db, { email: `mo-${t}@example.com`, name: 'Mo Manager' });
  const lee = await createUser(db, { email: `lee-${t}@example.com`, name: 'Lee Leader' });
  const boss = await createUser(db, { email: `boss-${t}@example.com` });
  const team = (n: string) => ['a', 'b', 'c', 'd'].map((x) => `${x}${n}-${t}@example.com`);

  const patsRound = await createOpenRound(db, { managerId: pat.id, leaderEmail: boss.email, invitees: team('p') });
  for (const v of [4, 5, 3])
    await addResponse(
      db,
      patsRound.request.id,
      patsRound.questions.map((q) => q.id),
      [v, v, 0, 'About Pat'],
    );
  await closeAnsweredRound(db, patsRound.request.id);
  await createFocusPoint(db, patsRound.request.id, {
    text: 'Pat: shorter meetings',
    followUpOn: '2026-12-01',
    createdBy: pat.id,
  });

  const moRound = await createOpenRound(db, { managerId: mo.id, leaderEmail: pat.email, invitees: team('m') });
  const leeRound = await createOpenRound(db, {
    managerId: lee.id,
    leaderEmail: boss.email,
    invitees: [...team('l'), pat.email],
  });
  for (const v of [2, 4, 4, 5])
    await addResponse(
      db,
      leeRound.request.id,
      leeRound.questions.map((q) => q.id),
      [v, 3, 1, `Lee comment ${v}`],
    );
  await closeAnsweredRound(db, leeRound.request.id);
  const leeDraft = await createRequest(db, {
    managerId: lee.id,
    leaderEmail: boss.email,
    status: 'draft',
    invitees: [...team('d'), pat.email],
  });

  const config = testConfig({ BASE_URL: 'https://upward.example.com' });
  await queueEmail(
    db,
    { to: pat.email, name: 'sign-in-link', data: { link: '/sign-in/link/x', minutes: 10 } },
    { config, clock: new ManualClock() },
  );
  return { pat, mo, lee, patsRound, moRound, leeRound, leeDraft };
}

describeEachDatabase("operator: one person's data", (database) => {
  const db = () => database().db;

  it('exports the account, requests made with questions, invitees and self-assessment, requests led, focus points; never a response', async () => {
    const w = await world(db());
    await db()
      .insertInto('self_answers')
      .values({
        question_id: w.patsRound.questions[0]!.id,
        request_id: w.patsRound.request.id,
        value: 4,
        updated_at: new Date('2026-11-03T09:00:00Z'),
      })
      .execute();
    const data = await exportPerson(db(), `  ${w.pat.email.toUpperCase()} `);
    assert.equal(data.account?.email, w.pat.email);
    assert.equal(data.requestsMade.length, 1);
    const made = data.requestsMade[0]!;
    assert.equal(made.id, w.patsRound.request.id);
    assert.deepEqual(
      made.questions.map((q) => q.prompt),
      w.patsRound.questions.map((q) => q.prompt),
    );
    assert.equal(made.invitees.length, 4);
    assert.deepEqual(
      made.focusPoints.map((f) => f.text),
      ['Pat: shorter meetings'],
    );
    assert.deepEqual(
      made.selfAssessment.map((a) => [a.prompt, a.value]),
      [[w.patsRound.questions[0]!.prompt, 4]],
      'their own, signed answers about themself',
    );
    assert.deepEqual(
      data.requestsLed.map((r) => r.id),
      [w.moRound.request.id],
    );
    assert.deepEqual(
      new Set(data.invitedTo.map((i) => i.request_id)),
      new Set([w.leeRound.request.id, w.leeDraft.request.id]),
    );
    assert.equal(data.emails.length, 1);
    const json = JSON.stringify(data);
    assert.doesNotMatch(json, /About Pat|Lee comment/, 'no answer text');
    assert.doesNotMatch(json, /token_hash|ballot/i, 'nothing that says whether they answered');
    await assert.rejects(exportPerson(db(), 'nobody@example.com'), /No account and no invitation/);
  });

  it('erases a manager whose round is open with its sealed answers, which have no key to cascade from', async () => {
    const kim = await createUser(db(), { email: `kim-${Date.now()}@example.com` });
    const open = await createOpenRound(db(), {
      managerId: kim.id,
      leaderEmail: 'boss@example.com',
      invitees: ['a', 'b', 'c'].map((x) => `${x}-${kim.id}@example.com`),
    });
    for (const v of [4, 2])
      await addResponse(
        db(),
        open.request.id,
        open.questions.map((q) => q.id),
        [v, v, 0, 'About Kim'],
      );
    await erasePerson(db(), kim.email);
    assert.equal((await storedFor(db(), open.request.id)).responses.length, 0);
  });

  it("erases them, keeps requests they lead and every other person's aggregates intact", async () => {
    const w = await world(db());
    const leeId = w.leeRound.request.id;
    const before = { count: await countResponses(db(), leeId), figures: await questionFigures(db(), leeId, 3) };

    const erased = await erasePerson(db(), w.pat.email);
    assert.deepEqual(erased, {
      account: true,
      requestsDeleted: 1,
      requestsLedKept: 1,
      invitationsRemoved: 1,
      addressesCleared: 1,
      emailsDeleted: 1,
    });

    assert.equal(await db().selectFrom('users').select('id').where('id', '=', w.pat.id).executeTakeFirst(), undefined);
    assert.equal(
      await db()
        .selectFrom('feedback_requests')
        .select('id')
        .where('id', '=', w.patsRound.request.id)
        .executeTakeFirst(),
      undefined,
    );
    assert.equal(
      (
        await db()
          .selectFrom('answers')
          .select('id')
          .where(
            'question_id',
            'in',
            w.patsRound.questions.map((q) => q.id),
          )
          .execute()
      ).length,
      0,
      'feedback about them goes with them',
    );
    const led = await db()
      .selectFrom('feedback_requests')
      .select(['status', 'leader_email'])
      .where('id', '=', w.moRound.request.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      led,
      { status: 'open', leader_email: ERASED_LEADER },
      'the request they lead stays, without their address',
    );

    assert.equal(await countResponses(db(), leeId), before.count);
    assert.deepEqual(await questionFigures(db(), leeId, 3), before.figures, "Lee's report is unchanged");
    const leeInvites = await db().selectFrom('invitations').select('email').where('request_id', '=', leeId).execute();
    assert.equal(leeInvites.length, 5, 'the invitation count stays');
    assert.ok(!leeInvites.some((i) => i.email === w.pat.email));
    const draftInvites = await db()
      .selectFrom('invitations')
      .select('email')
      .where('request_id', '=', w.leeDraft.request.id)
      .execute();
    assert.deepEqual(draftInvites.length, 4, 'left a list not yet launched');

    assert.equal(
      (await db().selectFrom('email_outbox').select('id').where('to_address', '=', w.pat.email).execute()).length,
      0,
    );
    await assert.rejects(erasePerson(db(), w.pat.email), /No account/, 'a second erase finds nothing');
    await assert.rejects(exportPerson(db(), w.pat.email), /No account/);
  });
});

describeEachDatabase('operator: failed emails', (database) => {
  const db = () => database().db;
  it('lists failed emails and puts them back in the queue, all or by id', async () => {
    const config = testConfig({ BASE_URL: 'https://upward.example.com' });
    const ids: string[] = [];
    for (const to of ['f1@example.com', 'f2@example.com', 'ok@example.com']) {
      ids.push(
        (
          await queueEmail(
            db(),
            { to, name: 'sign-in-link', data: { link: '/x', minutes: 10 } },
            { config, clock: new ManualClock() },
          )
        ).id,
      );
    }
    await db()
      .updateTable('email_outbox')
      .set({ status: 'failed', attempts: 8, last_error: '451: try later' })
      .where('id', 'in', ids.slice(0, 2))
      .execute();
    const failed = await listFailedEmails(db());
    assert.deepEqual(new Set(failed.map((f) => f.id)), new Set(ids.slice(0, 2)));
    assert.equal(failed[0]!.last_error, '451: try later');

    const now = new Date('2026-12-01T10:00:00Z');
    await assert.rejects(retryFailedEmails(db(), ['not-an-id'], now), /Not an email id/);
    assert.equal(await retryFailedEmails(db(), [ids[0]!, ids[2]!], now), 1, 'only a failed one is retried');
    assert.equal(await retryFailedEmails(db(), 'all', now), 1);
    const rows = await db()
      .selectFrom('email_outbox')
      .select(['status', 'attempts', 'next_attempt_at'])
      .where('id', 'in', ids.slice(0, 2))
      .execute();
    assert.ok(
      rows.every((r) => r.status === 'pending' && r.attempts === 0 && r.next_attempt_at.getTime() === now.getTime()),
    );
    assert.deepEqual(await listFailedEmails(db()), []);
  });
});

it('npm run ops: a bad command is one plain line and exit code 1', async () => {
  const result = await runNode('src/ops/cli.ts', { DATA_DIR: '/nonexistent-upward-data' }, ['frobnicate']);
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /Unknown command "frobnicate"\. Usage: npm run ops/);
});

it(
  'npm run ops on PostgreSQL: export-person, erase-person, failed-emails, retry-emails',
  { skip: postgresSkipReason },
  async () => {
    const database = await createTestDatabase('postgres');
    try {
      const w = await world(database.db);
      const env = { DATABASE_URL: database.url!, LOG_LEVEL: 'silent' };
      const exported = await runNode('src/ops/cli.ts', env, ['export-person', w.pat.email]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.equal(JSON.parse(exported.stdout).account.email, w.pat.email);

      await database.db
        .updateTable('email_outbox')
        .set({ status: 'failed', last_error: '550: no such mailbox' })
        .execute();
      const listed = await runNode('src/ops/cli.ts', env, ['failed-emails']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /sign-in-link\t.*550: no such mailbox/);
      const retried = await runNode('src/ops/cli.ts', env, ['retry-emails', '--all']);
      assert.match(retried.stdout, /^1 email\(s\) queued again\./);

      const erased = await runNode('src/ops/cli.ts', env, ['erase-person', w.pat.email]);
      assert.equal(erased.code, 0, erased.stderr);
      assert.match(erased.stdout, /account deleted, 1 request\(s\) they made deleted/);
      const again = await runNode('src/ops/cli.ts', env, ['erase-person', w.pat.email]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /^No account and no invitation holds the address/);
    } finally {
      await database.close();
    }
  },
);

it('npm run ops on the embedded database: works on a stopped data folder, refuses one in use', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'upward-ops-'));
  try {
    const database = await connectPglite(dir);
    await migrateToLatest(database.db);
    const w = await world(database.db);
    await database.close();
    const exported = await runNode('src/ops/cli.ts', { DATA_DIR: dir, LOG_LEVEL: 'silent' }, [
      'export-person',
      w.pat.email,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(JSON.parse(exported.stdout).requestsMade.length, 1);

    const release = lockDataDir(dir); // as a running server holds it
    try {
      const refused = await runNode('src/ops/cli.ts', { DATA_DIR: dir, LOG_LEVEL: 'silent' }, [
        'erase-person',
        w.pat.email,
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /already in use by another Upward process/);
      assert.equal(refused.stderr.trim().split('\n').length, 1);
    } finally {
      release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
