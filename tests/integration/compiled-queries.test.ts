// Queries compiled once (src/db/fast-path/compiled-query.ts) run as named prepared statements on both
// databases (src/db/fast-path/prepared-statements.ts, src/db/fast-path/pglite-prepared-statements.ts). They must
// behave exactly as Kysely's own queries do: same rows and types, errors that leave the
// database usable, and transactions that keep their statements in and others out.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';
import { compiledOnce } from '../../src/db/fast-path/compiled-query.ts';

const insertUser = compiledOnce(['email', 'name'], (db, p) =>
  db
    .insertInto('users')
    .values({ email: p.email, display_name: p.name })
    .returning(['id', 'email', 'display_name', 'created_at']),
);
const usersByEmails = compiledOnce(['emails'], (db, p) =>
  db
    .selectFrom('users')
    .where('email', '=', (eb) => eb.fn.any(sql<string[]>`${p.emails}::text[]`))
    .select(['email', 'display_name'])
    .orderBy('email'),
);
const userById = compiledOnce(['id'], (db, p) => db.selectFrom('users').where('id', '=', p.id).select('email'));
const aDay = compiledOnce(['day'], (_db, p) => sql<{ day: unknown }>`select ${p.day}::date as day`);

describeEachDatabase('queries compiled once, run as prepared statements', (database) => {
  it('return the same rows and types as an ordinary query, with new values each run', async () => {
    const db = database().db;
    const first = (await insertUser(db, { email: 'ann@example.com', name: 'Ann' })).rows[0]!;
    const second = (await insertUser(db, { email: 'bo@example.com', name: null })).rows[0]!;
    assert.equal(first.email, 'ann@example.com');
    assert.ok(first.created_at instanceof Date, 'a timestamptz comes back as a Date');
    assert.equal(second.display_name, null, 'a null value stays null');
    const plain = await db
      .selectFrom('users')
      .where('id', '=', first.id)
      .select(['email', 'display_name', 'created_at'])
      .executeTakeFirstOrThrow();
    assert.deepEqual(plain, { email: first.email, display_name: first.display_name, created_at: first.created_at });
    // An array parameter goes through the database's own array type.
    const found = await usersByEmails(db, { emails: ['bo@example.com', 'ann@example.com', 'nobody@example.com'] });
    assert.deepEqual(found.rows, [
      { email: 'ann@example.com', display_name: 'Ann' },
      { email: 'bo@example.com', display_name: null },
    ]);
    assert.deepEqual((await usersByEmails(db, { emails: [] })).rows, []);
    // The app's own type parsers apply (src/db/connect.ts): a date stays its calendar day.
    assert.deepEqual((await aDay(db, { day: '2026-12-01' })).rows, [{ day: '2026-12-01' }]);
  });

  it('fail with the database error, and the next run works', async () => {
    const db = database().db;
    await insertUser(db, { email: 'cy@example.com', name: 'Cy' });
    await assert.rejects(
      insertUser(db, { email: 'cy@example.com', name: 'Cy again' }),
      (error: { code?: string }) => error.code === '23505',
    );
    await assert.rejects(
      insertUser(db, { email: ' Not Normalised ', name: null }),
      (error: { code?: string }) => error.code === '23514',
    );
    const next = await insertUser(db, { email: 'dee@example.com', name: 'Dee' });
    assert.equal(next.rows[0]!.email, 'dee@example.com');
    // A value the parameter's type refuses fails before the statement runs (at bind).
    await assert.rejects(userById(db, { id: 'not-a-uuid' }), (error: { code?: string }) => error.code === '22P02');
    assert.deepEqual((await userById(db, { id: next.rows[0]!.id })).rows, [{ email: 'dee@example.com' }]);
  });

  it('take part in the transaction they run in, and stay out of another request’s', async () => {
    const db = database().db;
    let outside: Promise<unknown> | undefined;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await insertUser(trx, { email: 'rolled-back@example.com', name: null });
        // Another request's statement, sent while this transaction is open.
        outside = insertUser(db, { email: 'kept@example.com', name: null });
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await outside;
    const emails = (await usersByEmails(db, { emails: ['rolled-back@example.com', 'kept@example.com'] })).rows.map(
      (r) => r.email,
    );
    assert.deepEqual(emails, ['kept@example.com']);
    await db.transaction().execute((trx) => insertUser(trx, { email: 'committed@example.com', name: null }));
    assert.equal((await usersByEmails(db, { emails: ['committed@example.com'] })).rows.length, 1);
  });
});
