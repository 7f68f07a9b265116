// What a hostile operator's copy of the database holds: every row of every table, every
// column as text, with the system columns pg_dump leaves out but a copy of the data files
// (or a WAL archive) keeps: the transaction that wrote the row version (xmin), any that
// locked or deleted it (xmax), and its physical place (ctid). The attack tests of issue 17
// diff such dumps; they name no table or column, so they hold whatever the storage becomes.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

export interface DumpRow {
  /** `schema.table` */
  table: string;
  xmin: string;
  xmax: string;
  /** `(block,offset)`: where the row sits in the table's file. */
  ctid: string;
  /** Every column by name, as PostgreSQL writes it as text (bytea as `\x…` hex); null stays null. */
  cells: Record<string, string | null>;
}

export type Dump = DumpRow[];

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every row of every table outside PostgreSQL's own schemas, each table in physical order. */
export async function dumpDatabase(db: Kysely<Database>): Promise<Dump> {
  const { rows: columns } = await sql<{ schema: string; table: string; column: string }>`
    select n.nspname as schema, c.relname as table, a.attname as column
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relkind = 'r'
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
    order by n.nspname, c.relname, a.attnum`.execute(db);
  const tables = new Map<string, string[]>();
  for (const { schema, table, column } of columns) {
    const name = `${quote(schema)}.${quote(table)}`;
    tables.set(name, [...(tables.get(name) ?? []), column]);
  }
  const dump: Dump = [];
  for (const [name, names] of tables) {
    const list = names.map((column, i) => `${quote(column)}::text as c${i}`).join(', ');
    const { rows } = await sql<Record<string, string | null>>`
      select xmin::text as sys_xmin, xmax::text as sys_xmax, ctid::text as sys_ctid, ${sql.raw(list)}
      from ${sql.raw(name)}`.execute(db);
    const table = name.replace(/"/g, '');
    const found = rows.map((row) => ({
      table,
      xmin: row.sys_xmin!,
      xmax: row.sys_xmax!,
      ctid: row.sys_ctid!,
      cells: Object.fromEntries(names.map((column, i) => [column, row[`c${i}`] ?? null])),
    }));
    dump.push(...found.sort((a, b) => comparePlaces(a.ctid, b.ctid)));
  }
  return dump;
}

/** [block, offset] of a ctid. */
export function placeOf(ctid: string): [number, number] {
  const match = /^\((\d+),(\d+)\)$/.exec(ctid);
  if (!match) throw new Error(`not a ctid: ${ctid}`);
  return [Number(match[1]), Number(match[2])];
}

export function comparePlaces(a: string, b: string): number {
  const [[ab, ao], [bb, bo]] = [placeOf(a), placeOf(b)];
  return ab - bb || ao - bo;
}

/** A row version exactly: table, system columns and every cell. */
export const rowKey = (row: DumpRow) => JSON.stringify([row.table, row.xmin, row.xmax, row.ctid, row.cells]);

/**
 * What changed between two dumps, row version by row version: a row inserted is added, one
 * deleted removed, one updated (or locked, which changes its xmax) both.
 */
export function diffDumps(before: Dump, after: Dump): { added: DumpRow[]; removed: DumpRow[] } {
  const [was, is] = [new Set(before.map(rowKey)), new Set(after.map(rowKey))];
  return { added: after.filter((row) => !was.has(rowKey(row))), removed: before.filter((row) => !is.has(rowKey(row))) };
}

/** The row's non-null cells. */
export const valuesOf = (row: DumpRow) => Object.values(row.cells).filter((v): v is string => v !== null);

/** The bytes of a bytea cell (`\x…`), or undefined for any other value. */
function byteaBytes(value: string): Buffer | undefined {
  return /^\\x(?:[0-9a-f]{2})*$/.test(value) ? Buffer.from(value.slice(2), 'hex') : undefined;
}

/**
 * Whether a cell holds `needle`: as text (jsonb escapes of plain words included), or, in a
 * bytea cell, as UTF-8 or UTF-16 bytes, so an answer "sealed" in plaintext is still found.
 */
export function holds(value: string, needle: string): boolean {
  if (value.includes(needle)) return true;
  const bytes = byteaBytes(value);
  if (!bytes) return false;
  return bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'));
}

/** Rows with a cell that holds `needle`. */
export function rowsHolding(dump: Dump, needle: string): DumpRow[] {
  return dump.filter((row) => valuesOf(row).some((value) => holds(value, needle)));
}

/**
 * The shape of a row as a copy shows it without reading it: its table and each cell's
 * length. Two rows of one shape tell nothing apart by their size.
 */
export const shapeOf = (row: DumpRow) =>
  `${row.table}(${Object.entries(row.cells)
    .map(([column, value]) => `${column}:${value === null ? 'null' : value.length}`)
    .join(',')})`;

/** The multiset of shapes of some rows, sorted, to compare what two writes added. */
export const shapesOf = (rows: DumpRow[]) => rows.map(shapeOf).sort();

/** A value long enough to be an id, a key, an address or a sealed answer, not a count or a flag. */
export const LONG = 8;

/** Rows whose content (table and cells, system columns aside) `before` did not have: what a write put there. */
export function contentAdded(before: Dump, after: Dump): DumpRow[] {
  const had = new Set(before.map((row) => JSON.stringify([row.table, row.cells])));
  return diffDumps(before, after).added.filter((row) => !had.has(JSON.stringify([row.table, row.cells])));
}

/** Rows whose content `after` no longer has: what a write took away. */
export function contentRemoved(before: Dump, after: Dump): DumpRow[] {
  return contentAdded(after, before);
}

/** Every value and every transaction id a dump holds. */
export function inventory(dump: Dump) {
  return {
    values: new Set(dump.flatMap(valuesOf)),
    xids: new Set(dump.flatMap((row) => [row.xmin, row.xmax])),
  };
}

/** What rows brought that `before` did not hold: long values and transaction ids. */
export function newTraces(rows: DumpRow[], before: Dump) {
  const had = inventory(before);
  return {
    values: [...new Set(rows.flatMap(valuesOf))].filter((v) => v.length >= LONG && !had.values.has(v)),
    xids: [...new Set(rows.flatMap((row) => [row.xmin, row.xmax]))].filter((x) => x !== '0' && !had.xids.has(x)),
  };
}

/** Rows of `dump` that hold any of `traces`, as a value (or part of one) or as a transaction id. */
export function rowsWithTraces(dump: Dump, traces: { values: string[]; xids: string[] }) {
  const xids = new Set(traces.xids);
  return dump.filter(
    (row) =>
      xids.has(row.xmin) ||
      xids.has(row.xmax) ||
      valuesOf(row).some((value) => traces.values.some((trace) => holds(value, trace))),
  );
}

export const describeRow = (row: DumpRow) => `${row.table} ${JSON.stringify(row.cells).slice(0, 300)}`;
