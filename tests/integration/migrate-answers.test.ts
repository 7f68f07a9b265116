// Migrations 0012 and 0013 on a database holding rounds in every state, on both databases:
// links move to survey_links without their pairing with invitations; an open round's answers
// wait unsealed for the next start; a closed round's are rewritten per question with new ids;
// one that closed below its threshold keeps only its count.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { createMigrator, migrateToLatest } from '../../src/db/migrator.ts';

const BEFORE = '2026-12-02-0011-reminders-keep-no-count';

/** A round with two questions, `answered` responses (rating 4 and a comment each) and one unused ballot. */
async function oldRound(db: Kysely<Database>, manager: string, status: string, answered: number, threshold = 3) {
  const { rows } = await sql<{ id: string }>`
    insert into feedback_requests (manager_id, leader_email, status, closes_at, anonymity_threshold, invited_count, created_at)
    values (${manager}, 'lee@example.com', ${status}, now(), ${threshold}, ${answered + 1}, now()) returning id`.execute(
    db,
  );
  const id = rows[0]!.id;
  const questions = await sql<{ id: string }>`
    insert into request_questions (request_id, position, kind, prompt, required)
    values (${id}, 0, 'agree', 'Listens', true), (${id}, 1, 'text', 'Keep?', false) returning id`.execute(db);
  const [agree, text] = questions.rows.map((q) => q.id);
  for (let i = 0; i <= answered; i++) {
    const hash = `hash-${status}-${answered}-${i}`;
    await sql`insert into invitations (request_id, email, token_hash) values (${id}, ${`${hash}@example.com`}, ${hash})`.execute(
      db,
    );
    if (i === answered) {
      await sql`insert into ballots (token_hash, request_id) values (${hash}, ${id})`.execute(db);
      continue;
    }
    const response = await sql<{ id: string }>`insert into responses (request_id) values (${id}) returning id`.execute(
      db,
    );
    const rid = response.rows[0]!.id;
    await sql`insert into answers (response_id, question_id, value) values (${rid}, ${agree}, 4)`.execute(db);
    await sql`insert into answers (response_id, question_id, text) values (${rid}, ${text}, ${`comment ${status} ${i}`})`.execute(
      db,
    );
  }
  return { id, questions: [agree!, text!] };
}

describeEachDatabase(
  'migrating stored answers to sealed rows and the closed shape',
  (database) => {
    it('moves links, answers and counts over', async () => {
      const db = database().db;
      const { error } = await createMigrator(db).migrateTo(BEFORE);
      assert.equal(error, undefined);
      const user = await sql<{ id: string }>`insert into users (email) values ('mo@example.com') returning id`.execute(
        db,
      );
      const manager = user.rows[0]!.id;
      const open = await oldRound(db, manager, 'open', 2);
      const closed = await oldRound(db, manager, 'closed', 3);
      const below = await oldRound(db, manager, 'released', 2);

      await migrateToLatest(db);

      const links = await sql<{ key: string; request_id: string; spent: boolean }>`
        select key, request_id, spent from survey_links order by key`.execute(db);
      assert.deepEqual(
        links.rows.filter((l) => l.request_id === open.id).map((l) => [l.key, l.spent]),
        [
          ['hash-open-2-0', true],
          ['hash-open-2-1', true],
          ['hash-open-2-2', false],
        ],
        'an open round’s used links stay used, its unused one works',
      );
      const columns = await sql<{ column_name: string }>`
        select column_name from information_schema.columns where table_name = 'invitations'`.execute(db);
      assert.ok(!columns.rows.some((c) => c.column_name === 'token_hash'));

      const unsealed = await sql<{ request_id: string; answers: unknown[] }>`
        select request_id, answers from unsealed_responses`.execute(db);
      assert.equal(unsealed.rows.length, 2);
      assert.ok(unsealed.rows.every((r) => r.request_id === open.id && r.answers.length === 2));

      const answers = async (round: { questions: string[] }) =>
        (
          await sql<{ text: string | null }>`
            select text from answers where question_id = any(${round.questions}::uuid[])`.execute(db)
        ).rows;
      assert.equal((await answers(open)).length, 0, 'an open round has no answer rows');
      assert.deepEqual(
        (await answers(closed))
          .map((a) => a.text)
          .filter(Boolean)
          .sort(),
        ['comment closed 0', 'comment closed 1', 'comment closed 2'],
      );
      assert.equal((await answers(closed)).length, 6);
      assert.equal((await answers(below)).length, 0, 'a round that closed below its threshold keeps no answer');
      const counts = await sql<{ id: string; response_count: number | null }>`
        select id, response_count from feedback_requests`.execute(db);
      const countOf = (id: string) => counts.rows.find((r) => r.id === id)!.response_count;
      assert.deepEqual([countOf(open.id), countOf(closed.id), countOf(below.id)], [null, 3, 2]);
      const tables = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_name in ('responses', 'ballots')`.execute(
        db,
      );
      assert.deepEqual(tables.rows, []);
    });
  },
  { migrate: false },
);
