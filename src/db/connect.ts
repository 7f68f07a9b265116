// One Kysely instance for the whole process, over PostgreSQL (DATABASE_URL) or the embedded
// PGlite kept in DATA_DIR. Both run the same migrations and the same queries.
// PGlite (its JavaScript and, once created, its WebAssembly PostgreSQL) is imported only on
// the PGlite path, so a process on PostgreSQL never loads it.
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import path from 'node:path';
import type { Database } from './schema.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { namingPreparedStatements } from './fast-path/prepared-statements.ts';
import { preparingStatements } from './fast-path/pglite-prepared-statements.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Closes the pool or the embedded database and releases the data folder. */
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;

// Both drivers return the same JavaScript types: a `date` column stays 'YYYY-MM-DD' (no
// time zone shift), and bigint counts become numbers (our counts are far below 2^53).
const parsers = {
  [DATE_OID]: (value: string) => value,
  [INT8_OID]: (value: string) => Number(value),
};

export function connectPostgres(url: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid as keyof typeof parsers] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (restart, failover) emits here; without a
  // listener that would crash the process. The pool replaces the client on next use.
  pool.on('error', () => {});
  // No JIT compilation: every query here is short, and PostgreSQL compiles a plan it
  // estimates dear (above jit_above_cost) on each run, prepared or not. A report view of a
  // round of 100,000 responses in a database holding little else was estimated so (its
  // question has 100,000 answers, of which 30 are comments) and spent nearly all its time
  // compiling (docs/BENCHMARKS.md has the figures). Set per connection, as the named statements already need
  // session pooling. pg runs it before any query of the app on that client. A server without
  // the setting (PostgreSQL before 11, no JIT at all) refuses it, and that is fine.
  pool.on('connect', (client) => void client.query('set jit = off').catch(() => {}));
  // Named prepared statements for the hot paths' queries; see prepared-statements.ts.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namingPreparedStatements(pool) }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/** PGlite's module, loaded on first use (also by main.ts --warm-up, to compile it ahead). */
export const importPglite = () => import('@electric-sql/pglite');

/** Opens PGlite in `dataDir`, or in memory when no folder is given (tests). */
export async function connectPglite(dataDir?: string): Promise<DatabaseHandle> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const { PGlite } = await importPglite();
    const pglite: PGlite = await PGlite.create(dataDir ? path.resolve(dataDir, 'pglite') : undefined, { parsers });
    // Named prepared statements for the hot paths' queries; see pglite-prepared-statements.ts.
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: preparingStatements(pglite) }) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await db.destroy();
          if (!pglite.closed) await pglite.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export function connectDatabase(config: { DATABASE_URL?: string; DATABASE_POOL_SIZE: number; DATA_DIR: string }) {
  return config.DATABASE_URL
    ? Promise.resolve(connectPostgres(config.DATABASE_URL, config.DATABASE_POOL_SIZE))
    : connectPglite(config.DATA_DIR);
}
