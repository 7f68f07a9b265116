// How the app's pool sets up each PostgreSQL connection (src/db/connect.ts).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';

describeEachDatabase(
  'PostgreSQL connections',
  (database) => {
    // With JIT on (Debian's default), a report view of a big round in a database holding
    // little else spent ~750 ms compiling its plan, on every view (docs/BENCHMARKS.md).
    it('turns JIT compilation off on every connection of the pool, the first and the later ones', async () => {
      const settings = await Promise.all(
        Array.from({ length: 5 }, () =>
          sql<{ jit: string }>`select current_setting('jit') as jit from pg_sleep(0.05)`.execute(database().db),
        ),
      );
      assert.deepEqual(
        settings.map((result) => result.rows[0]!.jit),
        ['off', 'off', 'off', 'off', 'off'],
      );
      const backends = await sql<{
        n: number;
      }>`select count(distinct pid)::int as n from pg_stat_activity where datname = current_database()`.execute(
        database().db,
      );
      assert.ok(backends.rows[0]!.n >= 2, 'the queries ran on several connections');
    });
  },
  { migrate: false, kinds: ['postgres'] },
);
