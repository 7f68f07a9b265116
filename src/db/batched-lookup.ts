// Lookups by key that arrive together go to the database as one query. When a round opens,
// its whole team opens their links within minutes: each view needs its link's row, and one
// query per view made the round trip (the socket write, PostgreSQL waking to parse, bind and
// run it, the reply) most of what a view cost. Lookups asked for while the same batch of
// incoming requests is being handled are collected and sent as one `= any($1)` query instead
// (DataLoader, batching only: nothing is cached, each lookup reads the database afresh).
//
// A lookup waits for no timer: the batch goes out once Node has handled the requests that
// arrived together (setImmediate), so a lone request costs what it did; under load, each
// query serves many. Lookups on different Kysely instances (a transaction, a second database
// in tests) are never mixed.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The most keys one query asks for; a busier moment sends several queries. */
export const MAX_BATCH = 100;

export type BatchedLookup<Key, Row> = (db: Kysely<Database>, key: Key) => Promise<Row | undefined>;

/**
 * `load` fetches the rows of many keys at once (in any order, none for a key it does not
 * find); `keyOf` says which key a row belongs to. The result looks up one key, resolving to
 * its row or undefined. Should the query fail, every lookup in its batch fails with its error.
 */
export function batchedLookup<Key, Row>(
  load: (db: Kysely<Database>, keys: readonly Key[]) => Promise<readonly Row[]>,
  keyOf: (row: Row) => Key,
): BatchedLookup<Key, Row> {
  const loaders = new WeakMap<Kysely<Database>, DataLoader<Key, Row | undefined>>();
  const loaderFor = (db: Kysely<Database>) => {
    let loader = loaders.get(db);
    if (!loader) {
      loader = new DataLoader<Key, Row | undefined>(
        async (keys) => {
          const byKey = new Map((await load(db, keys)).map((row) => [keyOf(row), row]));
          return keys.map((key) => byKey.get(key));
        },
        // After the I/O callbacks of this turn (the requests that arrived together), not
        // after the current request's own microtasks, which would make every batch one key.
        { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (send) => setImmediate(send) },
      );
      loaders.set(db, loader);
    }
    return loader;
  };
  return (db, key) => loaderFor(db).load(key);
}
