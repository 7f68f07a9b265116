// The dump the attack tests of issue 17 read (tests/helpers/dump.ts) must show what a copy of
// the database would: every table, including one it was never told about, every column with
// its value as text, and the system columns; and its helpers must find a word however a
// cell keeps it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';
import { diffDumps, dumpDatabase, holds, rowsHolding, shapesOf } from '../helpers/dump.ts';

describeEachDatabase('a dump of the whole database', (database) => {
  const db = () => database().db;

  it('holds every row of every table, a table made after the app’s too, with xmin, xmax and ctid', async () => {
    await sql`create table probe_hidden (id integer, secret bytea, note jsonb)`.execute(db());
    await sql`insert into probe_hidden values (1, convert_to('Tucked away', 'UTF8'), '{"said": "quietly"}')`.execute(
      db(),
    );
    const dump = await dumpDatabase(db());
    const [row, ...more] = dump.filter((r) => r.table === 'public.probe_hidden');
    assert.equal(more.length, 0);
    assert.deepEqual(Object.keys(row!.cells), ['id', 'secret', 'note']);
    assert.equal(row!.cells.id, '1');
    assert.match(row!.xmin, /^\d+$/);
    assert.equal(row!.xmax, '0');
    assert.equal(row!.ctid, '(0,1)');
    assert.equal(rowsHolding(dump, 'Tucked away').length, 1, 'found inside a bytea');
    assert.equal(rowsHolding(dump, 'quietly').length, 1, 'found inside jsonb');
    assert.ok(
      dump.some((r) => r.table === 'public.templates'),
      'the app’s own tables too',
    );
  });

  it('diffs two dumps row version by row version, so a lock (xmax) shows as a change', async () => {
    await sql`create table probe_diff (id integer primary key, n integer)`.execute(db());
    await sql`insert into probe_diff values (1, 1), (2, 2)`.execute(db());
    const before = await dumpDatabase(db());
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`select * from probe_diff where id = 1 for key share`.execute(trx);
        await sql`update probe_diff set n = 20 where id = 2`.execute(trx);
        await sql`insert into probe_diff values (3, 3)`.execute(trx);
      });
    const { added, removed } = diffDumps(before, await dumpDatabase(db()));
    const ids = (rows: typeof added) => rows.map((r) => `${r.table}:${r.cells.id}`).sort();
    assert.deepEqual(ids(added), ['public.probe_diff:1', 'public.probe_diff:2', 'public.probe_diff:3']);
    assert.deepEqual(ids(removed), ['public.probe_diff:1', 'public.probe_diff:2']);
    assert.deepEqual(shapesOf(added.filter((r) => r.cells.id === '2')), ['public.probe_diff(id:1,n:2)']);
  });
});

it('finds a word in a bytea cell whether stored as UTF-8 or UTF-16, and in plain text', () => {
  const hex = (buffer: Buffer) => `\\x${buffer.toString('hex')}`;
  assert.ok(holds(hex(Buffer.from('xx Marker yy', 'utf8')), 'Marker'));
  assert.ok(holds(hex(Buffer.from('xx Marker yy', 'utf16le')), 'Marker'));
  assert.ok(holds('a Marker b', 'Marker'));
  assert.ok(!holds(hex(Buffer.from('xx Mark yy', 'utf16le')), 'Marker'));
});
