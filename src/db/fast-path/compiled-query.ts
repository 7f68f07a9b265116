// Queries on the busiest paths, built and compiled by Kysely once and then run with new
// parameters. Building a query (its operation tree, then its SQL) cost more of the survey
// page's CPU than anything else in the app (a profile's figures are in docs/BENCHMARKS.md),
// while the query itself is the same every time but for the values. The query stays typed
// Kysely, for both databases, and a named prepared statement on each
// (src/db/fast-path/prepared-statements.ts, src/db/fast-path/pglite-prepared-statements.ts).
import {
  createQueryId,
  type Compilable,
  type CompiledQuery,
  type Kysely,
  type QueryResult,
  type RawBuilder,
} from 'kysely';
import type { Database } from '../schema.ts';
import { prepareStatement } from './prepared-statements.ts';

const MARK = '\u0000param:';

export interface CompiledOnce<Name extends string, Row> {
  (db: Kysely<Database>, values: Record<Name, unknown>): Promise<QueryResult<Row>>;
  /**
   * The query as it is sent: its SQL and, per placeholder ($1, $2, …), the name of the value
   * that goes there or the constant Kysely put there. For running the same statement outside
   * the app (bench/database-alone.ts).
   */
  statement(db: Kysely<Database>): { sql: string; parameters: Array<{ name: Name } | { value: unknown }> };
}

/**
 * `build` receives a stand-in for each named parameter and returns the query; the result
 * runs it with the values given in their place. The stand-ins are strings, so where the
 * database cannot tell a parameter's type from the query alone (raw SQL), cast it there
 * (`${p.ids}::uuid[]`).
 */
export function compiledOnce<Name extends string, Row>(
  names: readonly Name[],
  build: (db: Kysely<Database>, params: Record<Name, string>) => Compilable<Row> | RawBuilder<Row>,
): CompiledOnce<Name, Row> {
  const stand = Object.fromEntries(names.map((name) => [name, `${MARK}${name}`])) as Record<Name, string>;
  // Per Kysely instance: a transaction or a second database compiles its own.
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<Row>>();
  const compiledFor = (db: Kysely<Database>) => {
    let query = compiled.get(db);
    if (!query) {
      // Raw `sql` compiles with the database's dialect; query builders ignore the argument.
      const built = build(db, stand) as { compile(db: Kysely<Database>): CompiledQuery<Row> };
      query = built.compile(db);
      const unused = names.filter((name) => !query!.parameters.includes(stand[name]));
      if (unused.length) throw new Error(`compiledOnce: parameter ${unused.join(', ')} is not used by the query`);
      prepareStatement(query.sql);
      compiled.set(db, query);
    }
    return query;
  };
  const nameOf = (p: unknown) =>
    typeof p === 'string' && p.startsWith(MARK) ? (p.slice(MARK.length) as Name) : undefined;
  const run = (db: Kysely<Database>, values: Record<Name, unknown>) => {
    const query = compiledFor(db);
    const parameters = query.parameters.map((p) => {
      const name = nameOf(p);
      return name === undefined ? p : values[name];
    });
    // A compiled query with its parameters swapped, and createQueryId, lean on the shape of
    // Kysely's CompiledQuery, which its minor versions have changed: package.json pins Kysely
    // to an exact version (tests/integration/compiled-queries.test.ts checks this on upgrade).
    return db.executeQuery<Row>({ ...query, parameters, queryId: createQueryId() });
  };
  const statement = (db: Kysely<Database>) => {
    const query = compiledFor(db);
    return {
      sql: query.sql,
      parameters: query.parameters.map((p) => {
        const name = nameOf(p);
        return name === undefined ? { value: p } : { name };
      }),
    };
  };
  return Object.assign(run, { statement });
}
