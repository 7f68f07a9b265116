// Answers of rounds that were open when migration 0013 ran: the migration has no secret, so
// it left them in plaintext in `unsealed_responses`. The first start of the app or a worker
// after it seals them (README, docs/OPERATIONS.md), each round in one transaction, in random
// order, then vacuums the table so no dead plaintext row version stays behind.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { questionsOf } from '../rounds/round-queries.ts';
import type { NewAnswer } from './queries.ts';
import { roundKey, sealAnswers } from './sealing.ts';

/** Seals every unsealed response; resolves with how many it sealed. */
export async function sealUnsealedResponses(db: Kysely<Database>, secret: string): Promise<number> {
  const rounds = await db.selectFrom('unsealed_responses').select('request_id').distinct().execute();
  let sealed = 0;
  for (const { request_id: requestId } of rounds) {
    sealed += await db.transaction().execute(async (trx) => {
      const rows = await trx
        .deleteFrom('unsealed_responses')
        .where('request_id', '=', requestId)
        .returning('answers')
        .execute();
      if (!rows.length) return 0;
      const layout = await questionsOf(trx, requestId);
      const key = roundKey(secret, requestId);
      await trx
        .insertInto('sealed_responses')
        .values(
          rows.map((row) => ({ request_id: requestId, sealed: sealAnswers(key, layout, row.answers as NewAnswer[]) })),
        )
        .execute();
      return rows.length;
    });
  }
  if (sealed) await sql`vacuum unsealed_responses`.execute(db);
  return sealed;
}
