// Named prepared statements for the few queries of the busiest paths (the ones built with
// compiledOnce, src/db/fast-path/compiled-query.ts). Kysely sends every query unnamed, so the server
// parses and plans it again each time; for the survey's lookup and its spend-and-store
// statement that was a large share of PostgreSQL's work per request. A named statement is
// parsed once per connection, and its plan is cached. This file names them on a pg pool;
// src/db/fast-path/pglite-prepared-statements.ts does the same for PGlite.
//
// Only texts registered here are named: each name stays prepared on its connection for the
// connection's life, so naming every query (some are as long as their IN lists) would grow
// without bound.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

const names = new Map<string, string>();

/** Marks a query text (a fixed text, with parameters) to run as a named prepared statement. */
export function prepareStatement(text: string): void {
  if (!names.has(text)) names.set(text, `upward_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
}

/** The statement name of a registered text; undefined for any other query. */
export const preparedStatementName = (text: string): string | undefined => names.get(text);

/** The pool as Kysely sees it, naming the registered texts on their way to the server. */
export function namingPreparedStatements(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let wrapper = wrapped.get(client);
    if (!wrapper) {
      const query = ((textOrCursor: unknown, values?: unknown[]) => {
        const name = typeof textOrCursor === 'string' ? names.get(textOrCursor) : undefined;
        if (name) return client.query({ name, text: textOrCursor as string, values });
        return Reflect.apply(client.query, client, [textOrCursor, values]);
      }) as PostgresPoolClient['query'];
      wrapper = { query, release: (destroy?: boolean) => client.release(destroy) };
      wrapped.set(client, wrapper);
    }
    return wrapper;
  };
  return {
    options: pool.options,
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
