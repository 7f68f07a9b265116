import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MIGRATIONS_DIR, migrateDown, migrateToLatest, pendingMigrations } from '../../src/db/migrator.ts';

const onDisk = readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

async function tableNames(db: Kysely<Database>) {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(db);
  return rows.map((r) => r.name);
}

describeEachDatabase(
  'migrations',
  (database) => {
    it('start from an empty database with everything pending', async () => {
      assert.deepEqual(await tableNames(database().db), []);
      assert.deepEqual(await pendingMigrations(database().db), onDisk);
    });

    it('apply every migration up from empty', async () => {
      assert.deepEqual(await migrateToLatest(database().db), onDisk);
      assert.deepEqual(await pendingMigrations(database().db), []);
      assert.ok((await tableNames(database().db)).includes('users'));
      assert.deepEqual(await migrateToLatest(database().db), [], 'a second run has nothing to do');
    });

    it('revert the last migration with down, and reapply it', async () => {
      const last = onDisk.at(-1)!;
      assert.deepEqual(await migrateDown(database().db), [last]);
      assert.deepEqual(await pendingMigrations(database().db), [last]);
      assert.deepEqual(await migrateToLatest(database().db), [last]);
    });

    it('revert every migration back to an empty schema', async () => {
      for (const name of [...onDisk].reverse()) assert.deepEqual(await migrateDown(database().db), [name]);
      assert.deepEqual(await tableNames(database().db), []);
    });
  },
  { migrate: false },
);
