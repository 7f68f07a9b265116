// Every database test runs on PGlite, and also on PostgreSQL when TEST_DATABASE_URL is set.
// Each test file gets its own fresh database (an in-memory PGlite, or a new PostgreSQL
// database named after a random id), migrated unless asked not to, and dropped afterwards.
import { after, before, describe } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { connectPglite, connectPostgres, type DatabaseHandle, type DatabaseKind } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase extends DatabaseHandle {
  /** For PostgreSQL, the URL of this test's own database (to hand to a child process). */
  url?: string;
}

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `upward_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function createTestDatabase(kind: DatabaseKind, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let handle: TestDatabase;
  if (kind === 'pglite') {
    handle = await connectPglite();
  } else {
    const { url, drop } = await createPostgresDatabase();
    const inner = connectPostgres(url, 5);
    handle = {
      ...inner,
      url,
      close: async () => {
        await inner.close();
        await drop();
      },
    };
  }
  if (opts.migrate ?? true) await migrateToLatest(handle.db);
  return handle;
}

export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

export const postgresSkipReason = TEST_DATABASE_URL
  ? false
  : 'TEST_DATABASE_URL is not set: the PostgreSQL run of these tests is skipped (PGlite still ran)';

/**
 * Declares the same suite once per database. `body` receives a getter for the suite's
 * database, which is ready inside tests and hooks.
 */
export function describeEachDatabase(
  title: string,
  body: (database: () => TestDatabase, kind: DatabaseKind) => void,
  opts: { migrate?: boolean; kinds?: DatabaseKind[] } = {},
): void {
  for (const kind of opts.kinds ?? DATABASE_KINDS) {
    describe(`${title} [${kind}]`, { skip: kind === 'postgres' ? postgresSkipReason : false }, () => {
      let database: TestDatabase | undefined;
      before(async () => {
        database = await createTestDatabase(kind, opts);
      });
      after(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('the test database is not ready yet');
        return database;
      }, kind);
    });
  }
}

/** The database as another Kysely instance that counts the queries it runs. */
export function countingQueries(db: Kysely<Database>): { db: Kysely<Database>; queries: () => number } {
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
