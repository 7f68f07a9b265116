// Work that arrives together goes to the database as one statement. When a round opens, its
// whole team opens their links and answers within minutes: one statement per request made
// the round trip (the socket write, PostgreSQL waking to bind and run it, the commit, the
// reply) most of what a survey view or answer cost. The lookups, or the answers, asked for
// while one batch of incoming requests is being handled are collected and sent as one
// statement instead (DataLoader, batching only: nothing is cached, each batch reads and
// writes the database afresh).
//
// Nothing waits for a timer: the batch goes out once Node has handled the requests that
// arrived together (setImmediate), so a lone request costs what it did, and under load each
// statement serves many. Work on different Kysely instances (a transaction, a second
// database in tests) is never mixed.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The most items one statement takes; a busier moment sends several statements. */
export const MAX_BATCH = 100;

type Db = Kysely<Database>;

function loaders<In, Out>(runMany: (db: Db, items: readonly In[]) => Promise<ReadonlyArray<Out | Error>>) {
  const byDb = new WeakMap<Db, DataLoader<In, Out>>();
  return (db: Db) => {
    let loader = byDb.get(db);
    if (!loader) {
      loader = new DataLoader<In, Out>((items) => runMany(db, items), {
        // After the I/O callbacks of this turn (the requests that arrived together), not
        // after the current request's own microtasks, which would make every batch one item.
        batchScheduleFn: (send) => setImmediate(send),
        cache: false,
        maxBatchSize: MAX_BATCH,
      });
      byDb.set(db, loader);
    }
    return loader;
  };
}

export type BatchedLookup<Key, Row> = (db: Db, key: Key) => Promise<Row | undefined>;

/**
 * `load` fetches the rows of many keys at once (in any order, none for a key it does not
 * find); `keyOf` says which key a row belongs to. The result looks up one key, resolving to
 * its row or undefined. Should the query fail, every lookup in its batch fails with its error.
 */
export function batchedLookup<Key, Row>(
  load: (db: Db, keys: readonly Key[]) => Promise<readonly Row[]>,
  keyOf: (row: Row) => Key,
): BatchedLookup<Key, Row> {
  const loaderFor = loaders<Key, Row | undefined>(async (db, keys) => {
    const byKey = new Map((await load(db, keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key));
  });
  return (db, key) => loaderFor(db).load(key);
}

/**
 * `runMany` runs one statement for many items (say, answers to store) and returns one result
 * per item, in their order. The result runs one item. Should a statement for several items
 * fail, each of them is run again alone, so that one item's failure (or a deadlock between
 * two batches) fails only that item.
 */
export function batchedStatement<In, Out>(
  runMany: (db: Db, items: readonly In[]) => Promise<readonly Out[]>,
): (db: Db, item: In) => Promise<Out> {
  const loaderFor = loaders<In, Out>(async (db, items) => {
    try {
      return await runMany(db, items);
    } catch (error) {
      if (items.length === 1) throw error;
      return Promise.all(
        items.map((item) =>
          runMany(db, [item]).then(
            (results) => results[0]!,
            (alone: unknown) => toError(alone),
          ),
        ),
      );
    }
  });
  return (db, item) => loaderFor(db).load(item);
}

const toError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));
