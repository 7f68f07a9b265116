// Links looked up at the same moment go to the database as one query (src/db/batched-lookup.ts,
// used by the survey's findLink). Each lookup must still get exactly its own link's row, see
// the database as it is now (nothing cached), and fail only with a real failure.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely, type KyselyPlugin } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';
import type { Database } from '../../src/db/schema.ts';
import { batchedLookup, MAX_BATCH } from '../../src/db/batched-lookup.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { findLink } from '../../src/survey/survey-repository.ts';
import { surveyRound } from '../survey/survey-helpers.ts';

/** The database as another Kysely instance that counts the queries it runs. */
function counting(db: Kysely<Database>): { db: Kysely<Database>; queries: () => number } {
  let queries = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      queries++;
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), queries: () => queries };
}

describeEachDatabase('lookups batched into one query', (database) => {
  it('gives each link looked up at once its own round, in one query', async () => {
    const rounds = await Promise.all([surveyRound(database().db), surveyRound(database().db, { leaderName: null })]);
    const [first, second] = rounds;
    const { db, queries } = counting(database().db);
    const asked = [first!.tokens[0]!, second!.tokens[1]!, 'not-a-link-anyone-was-sent', first!.tokens[0]!, second!.tokens[4]!];
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
    const { db, queries } = counting(database().db);
    const hash = hashToken(round.tokens[2]!);
    assert.equal((await findLink(db, hash))!.hasBallot, true);
    await database().db.deleteFrom('ballots').where('token_hash', '=', hash).execute();
    assert.equal((await findLink(db, hash))!.hasBallot, false);
    assert.equal(queries(), 2, 'lookups one after the other are a query each');
  });

  it('splits a crowd into batches of at most MAX_BATCH, each lookup still answered', async () => {
    const round = await surveyRound(database().db);
    const { db, queries } = counting(database().db);
    const tokens = Array.from({ length: MAX_BATCH * 2 + 5 }, (_, i) => round.tokens[i % round.tokens.length]!);
    const found = await Promise.all(tokens.map((token) => findLink(db, hashToken(token))));
    assert.equal(queries(), 3);
    assert.ok(found.every((link) => link?.request.id === round.request.id));
  });

  it('fails every lookup of a batch whose query fails, and the next batch works', async () => {
    let broken = true;
    const lookup = batchedLookup(
      async (db, ids: readonly number[]) => (await sql<{ id: number }>`select unnest(${broken ? 'not an array' : [...ids]}::int[]) as id`.execute(db)).rows,
      (row) => row.id,
    );
    const db = database().db;
    const failed = await Promise.allSettled([lookup(db, 1), lookup(db, 2)]);
    assert.deepEqual(failed.map((result) => result.status), ['rejected', 'rejected']);
    broken = false;
    assert.deepEqual(await Promise.all([lookup(db, 1), lookup(db, 2)]), [{ id: 1 }, { id: 2 }]);
  });
});
