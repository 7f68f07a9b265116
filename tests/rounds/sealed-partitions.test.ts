// A round's sealed rows in a partition of their own (src/rounds/sealed-partitions.ts,
// migration 0019): the close truncates it, so at its commit the partition's files hold nothing
// of any row (a delete would leave every row's bytes on disk until a vacuum), and afterwards
// the partition is dropped; other rounds keep theirs. On PostgreSQL also: a submission that
// arrives while the close runs stores nothing, and a launch's partition is attached without
// ACCESS EXCLUSIVE on `sealed_responses` and with no lock on `feedback_requests`.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';
import { addResponse, createOpenRound, createRequest, createUser } from '../helpers/factories.ts';
import { testConfig, TEST_SECRET } from '../helpers/app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { closeRound, vacuumAfterClose } from '../../src/rounds/close-round.ts';
import { createSealedPartition, dropEndedPartitions, partitionName } from '../../src/rounds/sealed-partitions.ts';
import { hashLinkToken } from '../../src/rounds/link-tokens.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';
import { spendLinkAndStoreSealed } from '../../src/survey/queries.ts';
import { storedFor } from '../survey/survey-helpers.ts';
import { roundKey, sealAnswers } from '../../src/survey/sealing.ts';

describeEachDatabase('a partition of sealed responses per round', (database, kind) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-10T12:00:00Z');
  const deps = { config: testConfig(), clock };

  async function answeredRound(people: number) {
    const manager = await createUser(db());
    const round = await createOpenRound(db(), {
      managerId: manager.id,
      leaderEmail: 'lee@example.com',
      invitees: Array.from({ length: people + 2 }, (_, i) => `p${i}-${manager.id}@example.com`),
      now: new Date('2026-11-02T09:00:00Z'),
      closesAt: new Date('2026-11-20T00:00:00Z'),
    });
    const ids = round.questions.map((q) => q.id);
    for (let i = 0; i < people; i++) {
      await db()
        .updateTable('survey_links')
        .set({ spent: true })
        .where('key', '=', hashLinkToken(round.tokens[i]!))
        .execute();
      // A long comment: the row's bytes go out of line, to the partition's TOAST table.
      await addResponse(db(), round.request.id, ids, [4, 'na', 1, `comment ${i} `.repeat(200)]);
    }
    return round;
  }

  /** The bytes on disk of the partition's table and its TOAST table (undefined: no partition). */
  async function partitionBytes(requestId: string) {
    const { rows } = await sql<{ bytes: string | null }>`
      select pg_relation_size(c.oid) + coalesce(pg_relation_size(nullif(c.reltoastrelid, 0)), 0) as bytes
      from pg_class c where c.oid = to_regclass(${partitionName(requestId)})`.execute(db());
    return rows[0] ? Number(rows[0].bytes) : undefined;
  }

  const sealedCount = async (requestId: string) => (await storedFor(db(), requestId)).responses.length;

  it('truncates the round’s partition in the close, so nothing of a row is left on disk, then drops it', async () => {
    const round = await answeredRound(4);
    const other = await answeredRound(3);
    assert.ok((await partitionBytes(round.request.id))! > 0, 'the round’s rows are in its partition');
    assert.equal(await closeRound(db(), round.request.id, deps), true);
    assert.equal(await sealedCount(round.request.id), 0);
    assert.equal(await partitionBytes(round.request.id), 0, 'at commit the partition’s files are empty');
    await vacuumAfterClose(db());
    assert.equal(await partitionBytes(round.request.id), undefined, 'the partition is gone');
    const { rows } = await sql<{ relname: string }>`
      select relname from pg_class where relname like ${`%${round.request.id.replaceAll('-', '')}%`}`.execute(db());
    assert.deepEqual(rows, [], 'no table, index or TOAST table of it is left');
    assert.equal(await sealedCount(other.request.id), 3, 'another open round keeps its rows');
    assert.ok((await partitionBytes(other.request.id))! > 0);
  });

  it('drops the partition, rows and all, of a request deleted while open', async () => {
    const round = await answeredRound(3);
    await db().deleteFrom('feedback_requests').where('id', '=', round.request.id).execute();
    assert.ok((await dropEndedPartitions(db())) >= 1);
    assert.equal(await partitionBytes(round.request.id), undefined);
  });

  it('names a partition from a round id alone', () => {
    assert.equal(
      partitionName('0A1B2C3D-0000-4000-8000-00000000000F'),
      'sealed_responses_0a1b2c3d00004000800000000000000f',
    );
    assert.throws(() => partitionName('x"; drop table answers; --'));
  });

  if (kind !== 'postgres') return;

  it('stores nothing from a submission that arrives while the close runs', async () => {
    const round = await answeredRound(3);
    const unspent = round.tokens[3]!;
    const sealed = sealAnswers(roundKey(TEST_SECRET, round.request.id), await questionsOf(db(), round.request.id), [
      { questionId: round.questions[0]!.id, value: 5, notApplicable: false, text: null },
    ]);
    const waiting = async (what: string) => {
      for (let i = 0; i < 200; i++) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where not l.granted and a.query like ${what}`.execute(db());
        if (rows[0]!.n > 0) return;
        await sleep(25);
      }
      throw new Error(`nothing waited: ${what}`);
    };
    let submitted: Promise<unknown> | undefined;
    let closed: Promise<boolean> | undefined;
    // The close is held at its email (the outbox locked), after the links are deleted; the
    // submission then waits for the close's delete of its link, and sees it gone at commit.
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`lock table email_outbox in share mode`.execute(trx);
        closed = closeRound(db(), round.request.id, deps);
        await waiting('%email_outbox%');
        submitted = spendLinkAndStoreSealed(db(), {
          tokenHash: hashLinkToken(unspent),
          requestId: round.request.id,
          now: clock.now(),
          sealed,
        });
        await waiting('%survey_links%');
      });
    assert.equal(await closed, true);
    assert.equal(await submitted, undefined, 'the link was not spent');
    assert.equal(await sealedCount(round.request.id), 0);
    assert.equal(
      (
        await db()
          .selectFrom('feedback_requests')
          .select('response_count')
          .where('id', '=', round.request.id)
          .executeTakeFirstOrThrow()
      ).response_count,
      3,
    );
    await vacuumAfterClose(db());
    assert.equal(await partitionBytes(round.request.id), undefined);
  });

  it('closes two rounds at once: neither holds a lock on the other’s partition when it truncates its own', async () => {
    const [a, b] = [await answeredRound(3), await answeredRound(3)];
    let closes: Promise<boolean[]> | undefined;
    // Both closes held at their email (the outbox locked), each past its count of the answers
    // and before its truncate; released together, each truncates its own partition.
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`lock table email_outbox in share mode`.execute(trx);
        closes = Promise.all([closeRound(db(), a.request.id, deps), closeRound(db(), b.request.id, deps)]);
        for (let i = 0; ; i++) {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where not l.granted and a.query like '%email_outbox%'`.execute(db());
          if (rows[0]!.n >= 2) break;
          if (i > 200) throw new Error('the closes did not both reach their email');
          await sleep(25);
        }
      });
    // Counting a round's answers by the column instead of the value locked every partition,
    // and the two truncates deadlocked.
    assert.deepEqual(await closes, [true, true]);
    assert.equal((await sealedCount(a.request.id)) + (await sealedCount(b.request.id)), 0);
  });

  it('attaches a launch’s partition without ACCESS EXCLUSIVE on sealed_responses, and without locking feedback_requests', async () => {
    const manager = await createUser(db());
    const { request } = await createRequest(db(), { managerId: manager.id, leaderEmail: 'lee@example.com' });
    const locks = await db()
      .transaction()
      .execute(async (trx) => {
        await createSealedPartition(trx, request.id);
        const { rows } = await sql<{ relation: string; mode: string }>`
          select relation::regclass::text as relation, mode from pg_locks
          where pid = pg_backend_pid() and locktype = 'relation'
            and relation in ('sealed_responses'::regclass, 'feedback_requests'::regclass)`.execute(trx);
        return rows;
      });
    const modes = (table: string) =>
      locks
        .filter((l) => l.relation === table)
        .map((l) => l.mode)
        .sort();
    assert.ok(modes('sealed_responses').includes('ShareUpdateExclusiveLock'));
    assert.ok(!modes('sealed_responses').includes('AccessExclusiveLock'));
    // A lock on feedback_requests would make a launch wait for a close, and writers wait for it.
    assert.deepEqual(modes('feedback_requests'), []);
  });
});
