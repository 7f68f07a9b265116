// The anonymity promise, checked on the database itself after several people answered:
// nothing in `responses` or `answers` (columns, values, ids, or the transaction ids that
// wrote them) ties an answer to an invitation, and the logs hold no link token.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { type SurveyRound, surveyRound } from '../helpers/factories.ts';
import { fullAnswers } from './survey-helpers.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const USER_AGENT = 'AnonymityProbe/1.0 (test)';

describeEachDatabase('anonymity of stored answers', (database) => {
  let round: SurveyRound;
  let invitationsBefore: Array<{ id: string; xmin: string; xmax: string }>;
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-05T10:00:00Z') });

  before(async () => {
    round = await surveyRound(db());
    invitationsBefore = await rowVersions('invitations');
    const client = new TestClient(app().url);
    client.extraHeaders['user-agent'] = USER_AGENT;
    const answers = ['agree 4', 'listens well', 'more one-on-ones please'];
    for (const [i, comment] of answers.entries()) {
      await client.get(round.path(i));
      const sent = await client.post(round.path(i), fullAnswers(round, comment));
      assert.equal(sent.status, 200);
    }
    // One person leaves a mistake first, then answers only what is required.
    assert.equal((await client.post(round.path(3), {})).status, 422);
    assert.equal((await client.post(round.path(3), { [round.field(0)]: '2', [round.field(1)]: '3' })).status, 200);
  });

  /** Each row's id with the transaction that wrote it (xmin) and any that locked or deleted it (xmax). */
  async function rowVersions(table: 'invitations' | 'responses' | 'answers') {
    const { rows } = await sql<{
      id: string;
      xmin: string;
      xmax: string;
    }>`select id, xmin::text as xmin, xmax::text as xmax from ${sql.table(table)}`.execute(db());
    return rows;
  }

  it('responses and answers have only their expected columns, none of a date or time type', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = current_schema() and table_name in ('responses', 'answers')`.execute(db());
    const columns = (table: string) =>
      Object.fromEntries(rows.filter((r) => r.table_name === table).map((r) => [r.column_name, r.data_type]));
    assert.deepEqual(columns('responses'), { id: 'uuid', request_id: 'uuid' });
    assert.deepEqual(columns('answers'), {
      id: 'uuid',
      response_id: 'uuid',
      question_id: 'uuid',
      value: 'smallint',
      not_applicable: 'boolean',
      text: 'text',
      // Set by the leader on a comment that would identify its author (migration 0006); a
      // flag on the answer, naming no one.
      hidden: 'boolean',
    });
    for (const row of rows)
      assert.doesNotMatch(
        row.data_type,
        /date|time|interval/i,
        `${row.table_name}.${row.column_name} is ${row.data_type}`,
      );
  });

  it('no stored value matches or contains an invitation id, email address, token hash or token', async () => {
    const invitations = await db().selectFrom('invitations').select(['id', 'email', 'token_hash']).execute();
    const secrets = [...invitations.flatMap((i) => [i.id, i.email, i.token_hash]), ...round.tokens].filter(
      (s): s is string => Boolean(s),
    );
    assert.equal(secrets.length, 5 * 4);
    const responses = await db().selectFrom('responses').selectAll().execute();
    const answers = await db().selectFrom('answers').selectAll().execute();
    assert.equal(responses.length, 4);
    assert.equal(answers.length, 3 * 4 + 2);
    for (const row of [...responses, ...answers]) {
      for (const value of Object.values(row)) {
        const text = String(value);
        for (const secret of secrets) assert.ok(!text.includes(secret), `a stored value contains ${secret}`);
      }
    }
  });

  it('every response and answer id is a random UUID (version 4)', async () => {
    const ids = [
      ...(await db().selectFrom('responses').select('id').execute()),
      ...(await db().selectFrom('answers').select('id').execute()),
    ].map((r) => r.id);
    for (const id of ids) assert.match(id, UUID_V4);
  });

  it('answering wrote no invitation row, so no transaction id pairs one with a response', async () => {
    const invitations = await rowVersions('invitations');
    assert.deepEqual(invitations, invitationsBefore, 'no invitation was written or locked while people answered');
    const invitationXids = new Set(invitations.map((r) => r.xmin));
    for (const row of [...(await rowVersions('responses')), ...(await rowVersions('answers'))]) {
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
});
