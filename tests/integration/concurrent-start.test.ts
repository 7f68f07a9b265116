// Two app processes starting at once against one PostgreSQL must not both run a migration.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MIGRATIONS_DIR } from '../../src/db/migrator.ts';
import { runNode } from '../helpers/processes.ts';

const migrationCount = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).length;

describeEachDatabase(
  'concurrent start',
  (database) => {
    // PGlite is one process by design: pglite-data-dir.test.ts shows a second is refused.
    it('runs each migration once when three processes migrate at once', async () => {
      const env = { DATABASE_URL: database().url };
      const runs = await Promise.all(Array.from({ length: 3 }, () => runNode('src/db/migrate-cli.ts', env)));
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const applied = runs.filter((r) => r.stdout.startsWith('Applied')).length;
      assert.equal(applied, 1, `exactly one process applies the migrations:\n${runs.map((r) => r.stdout).join('')}`);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(database().db);
      assert.equal(rows[0]!.n, migrationCount);
    });
  },
  { migrate: false, kinds: ['postgres'] },
);
