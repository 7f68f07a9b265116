// Named prepared statements on PGlite, for the texts registered in prepared-statements.ts.
//
// PGlite's query() sends every statement unnamed, in six separate calls into its
// WebAssembly PostgreSQL (parse, describe, bind, describe, execute, sync), so each survey
// view re-parses and re-plans its four-table lookup in the app's own thread, several times
// what the same lookup costs prepared once and then bound and run in one call
// (docs/BENCHMARKS.md has the figures). PGlite offers named statements only
// through its protocol calls, so this wraps the instance Kysely's dialect is given: a
// registered text is parsed once under its name, then each run is a single message of
// bind + describe + execute + sync. Every other query, and everything else, goes to PGlite
// unchanged.
//
// Kysely already sends one query at a time to PGlite (its dialect has a single connection
// behind a lock). This still takes PGlite's own locks as its query() does, so nothing else
// using the instance can slip in between: the transaction lock outside a transaction, and
// the query lock always.
import { parse, protocol, type PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import { preparedStatementName } from './prepared-statements.ts';

type QueryOptions = Parameters<PGlite['query']>[2];
type Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;

const { serialize } = protocol;
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
// After the bind, the same three messages every time.
const describeExecuteSync = concat([serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);

/** `pglite`, with the registered texts run as named prepared statements. */
export function preparingStatements(pglite: PGlite): PGlite {
  // Statement name -> its parameters' type ids, once prepared on this instance.
  const prepared = new Map<string, number[]>();

  const prepare = async (name: string, text: string) => {
    let types = prepared.get(name);
    if (!types) {
      // Closing first makes this safe to repeat after a failed attempt.
      const messages = await pglite.execProtocolStream(
        concat([
          serialize.close({ type: 'S', name }),
          serialize.parse({ name, text }),
          serialize.describe({ type: 'S', name }),
          serialize.sync(),
        ]),
        { syncToFs: false },
      );
      types = parse.parseDescribeStatementResults(messages);
      prepared.set(name, types);
    }
    return types;
  };

  const run = async <T>(
    name: string,
    text: string,
    params: unknown[],
    options: QueryOptions,
    inTransaction: boolean,
  ) => {
    const types = await prepare(name, text);
    // As PGlite's query() turns values into text: its serializer for the type, else toString.
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const toText = options?.serializers?.[types[i]!] ?? pglite.serializers[types[i]!];
      return toText ? toText(param) : String(param);
    });
    // One call: if the bind or the run fails, the sync in the same message still ends the
    // exchange, and PGlite throws the database's error.
    const messages = await pglite.execProtocolStream(
      concat([serialize.bind({ statement: name, values }), describeExecuteSync]),
      {
        syncToFs: false,
      },
    );
    if (!inTransaction) await pglite.syncToFs();
    return parse.parseResults(messages, pglite.parsers, options)[0] as Results<T>;
  };

  const querying = (original: Query, inTransaction: boolean): Query =>
    (<T>(text: string, params: unknown[] = [], options?: QueryOptions) => {
      const name = preparedStatementName(text);
      if (!name) return original<T>(text, params, options);
      // _runExclusiveQuery and _runExclusiveTransaction are PGlite's private locks (what its
      // own query() takes): not part of its API, which is why package.json pins PGlite to an
      // exact version. Check them on every upgrade (tests/integration/compiled-queries.test.ts).
      const exclusive = () => pglite._runExclusiveQuery(() => run<T>(name, text, params, options, inTransaction));
      return inTransaction ? exclusive() : pglite._runExclusiveTransaction(exclusive);
    }) as Query;

  const outsideQuery = querying(pglite.query.bind(pglite) as Query, false);
  const transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    pglite.transaction((tx) => {
      const insideQuery = querying(tx.query.bind(tx) as Query, true);
      return callback(
        new Proxy(tx, { get: (target, key) => (key === 'query' ? insideQuery : Reflect.get(target, key)) }),
      );
    });

  // Methods are bound to the instance itself: PGlite keeps its state in private fields.
  return new Proxy(pglite, {
    get(target, key) {
      if (key === 'query') return outsideQuery;
      if (key === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
