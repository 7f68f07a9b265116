// Work that arrives at the same moment goes to the database as one statement
// (src/db/fast-path/batches.ts): the survey's link lookups (findLink) and its answers
// (spendLinkAndStoreSealed) and the signed-in pages' sessions (findSession). Each lookup
// must still get exactly its own row and see the database as it is now (nothing cached);
// each answer must be stored once, with its own answers, or not at all; one failure must
// fail only its own request.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { countingQueries, describeEachDatabase } from '../helpers/databases.ts';
import type { Database } from '../../src/db/schema.ts';
import { batchedLookup, MAX_BATCH } from '../../src/db/fast-path/batches.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { findLink, spendLinkAndStoreSealed, type NewAnswer, type Submission } from '../../src/survey/queries.ts';
import { createUser, type SurveyRound, surveyRound } from '../helpers/factories.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { roundKey, sealAnswers } from '../../src/survey/sealing.ts';
import { ballotCount, storedFor } from '../survey/survey-helpers.ts';
import { findSession, insertSession } from '../../src/http/session-store.ts';

const NOW = new Date('2026-11-05T10:00:00Z');

/** Link `i` of the round answering its four sample questions: agree `value`, the rest left out. */
function submission(round: SurveyRound, i: number, value: number, now = NOW): Submission {
  const answers: NewAnswer[] = [{ questionId: round.questions[0]!.id, value, notApplicable: false, text: null }];
  const sealed = sealAnswers(roundKey(TEST_SECRET, round.request.id), round.questions, answers);
  return { tokenHash: hashToken(round.tokens[i]!), requestId: round.request.id, now, sealed };
}

async function valuesStored(db: Kysely<Database>, round: SurveyRound): Promise<number[]> {
  const { answers } = await storedFor(db, round.request.id);
  return answers.map((a) => a.value!).sort();
}

describeEachDatabase('work batched into one statement', (database) => {
  it('gives each link looked up at once its own round, in one query', async () => {
    const rounds = await Promise.all([surveyRound(database().db), surveyRound(database().db, { leaderName: null })]);
    const [first, second] = rounds;
    const { db, queries } = countingQueries(database().db);
    const asked = [
      first!.tokens[0]!,
      second!.tokens[1]!,
      'not-a-link-anyone-was-sent',
      first!.tokens[0]!,
      second!.tokens[4]!,
    ];
    const found = await Promise.all(asked.map((token) => findLink(db, hashToken(token))));
    assert.equal(queries(), 1, 'five lookups at once, one query');
    assert.deepEqual(
      found.map((link) => link?.request.id),
      [first!.request.id, second!.request.id, undefined, first!.request.id, second!.request.id],
    );
    assert.equal(found[1]!.people.leaderName, second!.leaderEmail, 'each row is its own round’s, names included');
    assert.equal(found[0]!.people.leaderName, 'Lee Leader');
  });

  it('reads the database afresh each time: a link spent since shows as spent', async () => {
    const round = await surveyRound(database().db);
    const { db, queries } = countingQueries(database().db);
    const hash = hashToken(round.tokens[2]!);
    assert.equal((await findLink(db, hash))!.hasBallot, true);
    await database().db.updateTable('survey_links').set({ spent: true }).where('key', '=', hash).execute();
    assert.equal((await findLink(db, hash))!.hasBallot, false);
    assert.equal(queries(), 2, 'lookups one after the other are a query each');
  });

  it('splits a crowd into batches of at most MAX_BATCH, each lookup still answered', async () => {
    const round = await surveyRound(database().db);
    const { db, queries } = countingQueries(database().db);
    const tokens = Array.from({ length: MAX_BATCH * 2 + 5 }, (_, i) => round.tokens[i % round.tokens.length]!);
    const found = await Promise.all(tokens.map((token) => findLink(db, hashToken(token))));
    assert.equal(queries(), 3);
    assert.ok(found.every((link) => link?.request.id === round.request.id));
  });

  it('fails every lookup of a batch whose query fails, and the next batch works', async () => {
    let broken = true;
    const lookup = batchedLookup(
      async (db, ids: readonly number[]) =>
        (await sql<{ id: number }>`select unnest(${broken ? 'not an array' : [...ids]}::int[]) as id`.execute(db)).rows,
      (row) => row.id,
    );
    const db = database().db;
    const failed = await Promise.allSettled([lookup(db, 1), lookup(db, 2)]);
    assert.deepEqual(
      failed.map((result) => result.status),
      ['rejected', 'rejected'],
    );
    broken = false;
    assert.deepEqual(await Promise.all([lookup(db, 1), lookup(db, 2)]), [{ id: 1 }, { id: 2 }]);
  });

  it('stores answers sent at the same moment in one statement, each response with its own', async () => {
    const [first, second] = await Promise.all([surveyRound(database().db), surveyRound(database().db)]);
    const { db, queries } = countingQueries(database().db);
    const sent = [
      submission(first!, 0, 1),
      submission(second!, 0, 2),
      submission(first!, 1, 3),
      submission(second!, 1, 4),
    ];
    const results = await Promise.all(sent.map((s) => spendLinkAndStoreSealed(db, s)));
    assert.equal(queries(), 1, 'four answers at once, one statement');
    assert.ok(results.every((r) => r?.leaderName === 'Lee Leader'));
    assert.deepEqual(await valuesStored(database().db, first!), [1, 3]);
    assert.deepEqual(await valuesStored(database().db, second!), [2, 4]);
    assert.equal((await storedFor(database().db, first!.request.id)).responses.length, 2);
    assert.equal(await ballotCount(database().db, first!.request.id), 3);
  });

  it('spends a link sent twice in one batch once, and leaves out what cannot be spent', async () => {
    const round = await surveyRound(database().db);
    const late = new Date('2026-11-21T00:00:00Z'); // after the round closed (end of 20 November)
    const sent = [
      submission(round, 0, 1),
      submission(round, 0, 2),
      submission(round, 1, 3, late),
      { ...submission(round, 2, 4), requestId: randomUUID() },
      submission(round, 3, 5),
    ];
    const results = await Promise.all(sent.map((s) => spendLinkAndStoreSealed(database().db, s)));
    assert.equal(results.filter((r) => r !== undefined).length, 2, 'one of the two copies, and link 3');
    assert.notEqual(results[0] === undefined, results[1] === undefined, 'exactly one copy of link 0 is stored');
    assert.deepEqual(
      results.slice(2).map((r) => r !== undefined),
      [false, false, true],
    );
    const stored = await valuesStored(database().db, round);
    assert.equal(stored.length, 2);
    assert.ok(stored.includes(5) && stored.includes(1) !== stored.includes(2));
    assert.equal(
      await ballotCount(database().db, round.request.id),
      3,
      'the late link and the crossed one keep their ballots',
    );
  });

  it('fails only the answer that breaks its batch; the others are stored', async () => {
    const round = await surveyRound(database().db);
    const broken = { ...submission(round, 1, 2), requestId: 'not-a-round-id' }; // fails the statement's cast
    const results = await Promise.allSettled(
      [submission(round, 0, 1), broken, submission(round, 2, 3)].map((s) => spendLinkAndStoreSealed(database().db, s)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(await valuesStored(database().db, round), [1, 3]);
    assert.equal(await ballotCount(database().db, round.request.id), 3, 'the failed answer’s link is not spent');
  });

  it('refuses to seal an answer to another round’s question, so nothing is spent for it', async () => {
    const [round, other] = await Promise.all([surveyRound(database().db), surveyRound(database().db)]);
    const crossed: NewAnswer[] = [{ questionId: other.questions[0]!.id, value: 2, notApplicable: false, text: null }];
    assert.throws(() => sealAnswers(roundKey(TEST_SECRET, round.request.id), round.questions, crossed), /do not fit/);
    assert.ok(await spendLinkAndStoreSealed(database().db, submission(round, 0, 1)));
    assert.deepEqual(await valuesStored(database().db, round), [1]);
    assert.equal(await ballotCount(database().db, round.request.id), 4, 'the crossed answer’s link is not spent');
  });

  it('gives each session looked up at once its own person, in one query', async () => {
    const people = await Promise.all(['Ada', 'Bo', 'Cy'].map((name) => createUser(database().db, { name })));
    const hashes = people.map(() => `session-${randomUUID()}`);
    for (const [i, person] of people.entries())
      await insertSession(database().db, { idHash: hashes[i]!, userId: person.id, now: NOW });
    const { db, queries } = countingQueries(database().db);
    const asked = [hashes[0]!, hashes[2]!, 'no-such-session', hashes[1]!, hashes[0]!];
    const found = await Promise.all(asked.map((hash) => findSession(db, hash)));
    assert.equal(queries(), 1, 'five lookups at once, one query');
    assert.deepEqual(
      found.map((row) => row && [row.display_name, row.id_hash]),
      [['Ada', hashes[0]], ['Cy', hashes[2]], undefined, ['Bo', hashes[1]], ['Ada', hashes[0]]],
    );
  });
});
