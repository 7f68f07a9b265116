// The anonymity promise, checked on the database itself after several people answered:
// nothing in `sealed_responses` (columns, values, ids, sizes, or the transaction ids that
// wrote them) ties an answer to an invitation, nothing of an answer is in plaintext anywhere
// while the round is open, and the logs hold no link token. The close's rewrite is tested in
// tests/rounds/close-rewrite.test.ts. Every check runs on a round and on a check-back (issue 20),
// which is a round in every respect.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase, type TestDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { surveyRound } from '../helpers/factories.ts';
import { checkBackRound } from '../helpers/check-backs.ts';
import type { TestApp } from '../helpers/app.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Kysely } from 'kysely';
import { fullAnswers } from './survey-helpers.ts';
import { hashToken } from '../../src/lib/tokens.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const USER_AGENT = 'AnonymityProbe/1.0 (test)';

/** What the suite answers: its links, every question answered with a comment, and only what is required. */
interface Answered {
  request: { id: string };
  tokens: string[];
  questionIds: string[];
  path(i: number): string;
  full(comment: string): Record<string, string>;
  requiredOnly(): Record<string, string>;
}

const SUBJECTS: Record<string, (app: TestApp, db: Kysely<Database>) => Promise<Answered>> = {
  round: async (_app, db) => {
    const round = await surveyRound(db);
    return {
      ...round,
      questionIds: round.questions.map((q) => q.id),
      full: (comment) => fullAnswers(round, comment),
      requiredOnly: () => ({ [round.field(0)]: '2', [round.field(1)]: '3' }),
    };
  },
  // Two focus points (agree, required), then the optional comment.
  'check-back': async (app, db) => {
    const checkBack = await checkBackRound(app, db);
    return {
      ...checkBack,
      questionIds: checkBack.questions.map((q) => q.id),
      full: (comment) => ({ [checkBack.field(0)]: '4', [checkBack.field(1)]: 'na', [checkBack.field(2)]: comment }),
      requiredOnly: () => ({ [checkBack.field(0)]: '2', [checkBack.field(1)]: '3' }),
    };
  },
};

function anonymitySuite(database: () => TestDatabase, kind: string): void {
  const subject = SUBJECTS[kind]!;
  let round: Answered;
  let invitationsBefore: Array<{ id: string; xmin: string; xmax: string }>;
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-05T10:00:00Z') });

  before(async () => {
    round = await subject(app(), db());
    invitationsBefore = await rowVersions('invitations');
    const client = new TestClient(app().url);
    client.extraHeaders['user-agent'] = USER_AGENT;
    const answers = ['agree 4', 'listens well', 'more one-on-ones please'];
    for (const [i, comment] of answers.entries()) {
      await client.get(round.path(i));
      const sent = await client.post(round.path(i), round.full(comment));
      assert.equal(sent.status, 200);
    }
    // One person leaves a mistake first, then answers only what is required.
    assert.equal((await client.post(round.path(3), {})).status, 422);
    assert.equal((await client.post(round.path(3), round.requiredOnly())).status, 200);
  });

  /** Each row's id with the transaction that wrote it (xmin) and any that locked or deleted it (xmax). */
  async function rowVersions(table: 'invitations' | 'sealed_responses') {
    const { rows } = await sql<{
      id: string;
      xmin: string;
      xmax: string;
    }>`select id, xmin::text as xmin, xmax::text as xmax from ${sql.table(table)}`.execute(db());
    return rows;
  }

  /** Every row of every table of the app, as text. */
  async function everyRow(): Promise<string> {
    const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db());
    const dumps: string[] = [];
    for (const { name } of tables) {
      const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} as t`.execute(db());
      dumps.push(...rows.map((r) => r.row));
    }
    return dumps.join('\n');
  }

  it('sealed responses, links and invitations have only their expected columns, none of a date or time type', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name in ('sealed_responses', 'answers', 'survey_links', 'invitations')`.execute(
      db(),
    );
    const columns = (table: string) =>
      Object.fromEntries(rows.filter((r) => r.table_name === table).map((r) => [r.column_name, r.data_type]));
    assert.deepEqual(columns('sealed_responses'), { id: 'uuid', request_id: 'uuid', sealed: 'bytea' });
    assert.deepEqual(columns('survey_links'), { key: 'text', request_id: 'uuid', spent: 'boolean' });
    assert.deepEqual(columns('invitations'), { id: 'uuid', request_id: 'uuid', email: 'text' });
    assert.deepEqual(columns('answers'), {
      id: 'uuid',
      question_id: 'uuid',
      value: 'smallint',
      not_applicable: 'boolean',
      text: 'text',
      // Set by the leader on a comment that would identify its author (migration 0006); a
      // flag on the answer, naming no one.
      hidden: 'boolean',
    });
    for (const row of rows.filter((r) => r.table_name !== 'invitations'))
      assert.doesNotMatch(
        row.data_type,
        /date|time|interval/i,
        `${row.table_name}.${row.column_name} is ${row.data_type}`,
      );
  });

  it('while open, no answer is in plaintext in any table, and every sealed row has the same size', async () => {
    const dump = await everyRow();
    for (const comment of ['listens well', 'more one-on-ones please']) assert.ok(!dump.includes(comment), comment);
    const answers = await db()
      .selectFrom('answers')
      .select('id')
      .where('question_id', 'in', round.questionIds)
      .execute();
    assert.equal(answers.length, 0, 'no answer rows while open');
    const { rows } = await sql<{ size: number }>`
    select octet_length(sealed) as size from sealed_responses where request_id = ${round.request.id}`.execute(db());
    assert.equal(rows.length, 4);
    assert.equal(new Set(rows.map((r) => r.size)).size, 1, 'the required-only answer seals as long as the others');
  });

  it('no stored value but the link itself holds an invitation id, email address, token or link key', async () => {
    const invitations = await db().selectFrom('invitations').select(['id', 'email']).execute();
    const keys = round.tokens.map(hashToken);
    const secrets = [...invitations.flatMap((i) => [i.id, i.email]), ...round.tokens, ...keys].filter(
      (s): s is string => Boolean(s),
    );
    // Every invitation with its address (a check-back's round's too), every link and its key.
    assert.equal(secrets.length, invitations.length * 2 + round.tokens.length * 2);
    assert.ok(round.tokens.length === 5);
    const sealed = await db().selectFrom('sealed_responses').selectAll().execute();
    assert.equal(sealed.length, 4);
    for (const row of sealed) {
      for (const value of [row.id, row.request_id, row.sealed.toString('hex'), row.sealed.toString('latin1')]) {
        for (const secret of secrets) assert.ok(!value.includes(secret), `a sealed row contains ${secret}`);
      }
    }
    const invitationRows = JSON.stringify(await db().selectFrom('invitations').selectAll().execute());
    for (const key of keys) assert.ok(!invitationRows.includes(key), 'an invitation holds its link key');
  });

  it('every sealed row id is a random UUID (version 4)', async () => {
    for (const { id } of await db().selectFrom('sealed_responses').select('id').execute()) assert.match(id, UUID_V4);
  });

  it('answering wrote no invitation row, so no transaction id pairs one with a sealed row', async () => {
    const invitations = await rowVersions('invitations');
    assert.deepEqual(invitations, invitationsBefore, 'no invitation was written or locked while people answered');
    const invitationXids = new Set(invitations.map((r) => r.xmin));
    for (const row of await rowVersions('sealed_responses')) {
      assert.ok(!invitationXids.has(row.xmin), `row ${row.id} was written by the transaction that wrote an invitation`);
    }
  });

  it('the logs name no token, IP address or user agent', () => {
    const logs = app().logs.text;
    assert.match(logs, /"path":"\/s\/:token"/, 'survey requests are logged, under the path name');
    for (const token of round.tokens) assert.ok(!logs.includes(token), 'a link token is in the logs');
    assert.ok(!logs.includes(USER_AGENT));
    assert.doesNotMatch(logs, /127\.0\.0\.1|remoteAddress|user-agent/i);
  });
}

for (const kind of Object.keys(SUBJECTS))
  describeEachDatabase(`anonymity of stored answers (${kind})`, (database) => anonymitySuite(database, kind));
