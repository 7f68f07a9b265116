// The shuffled rewrite at close (issue 17): a round's sealed rows opened and its answers
// written out, one row per question answered, with nothing that tells which were given
// together. Every row gets a new random id (the column's default), all of them go in one
// random order across questions and people (so neither their physical order nor their
// position within a question lines up with an order of answering or with one another), and
// all in the caller's transaction (so they share one transaction id). Runs inside closeRound.
import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  bodySpan,
  isPaddedFormat,
  openBody,
  openSealed,
  roundKey,
  sealedSize,
  type SealLayout,
} from '../survey/sealing.ts';
import type { NewAnswer } from '../survey/queries.ts';
import { questionsOf } from './round-queries.ts';
import { truncateSealedPartition } from './sealed-partitions.ts';

/** Sealed rows read per statement. */
const READ_BATCH = 1_000;
/**
 * What the first read takes of every row: one TOAST chunk (on PostgreSQL's default 8 KB
 * pages), so reading it fetches one chunk, and the body of a submission without long
 * comments is in it.
 */
const FIRST_READ = 1_996;
/** Answer rows per insert. */
const WRITE_BATCH = 10_000;

interface Collected {
  questionIds: string[];
  values: Array<number | null>;
  notApplicable: boolean[];
  texts: Array<string | null>;
}

function collect(into: Collected, answers: readonly NewAnswer[]) {
  for (const answer of answers) {
    into.questionIds.push(answer.questionId);
    into.values.push(answer.value);
    into.notApplicable.push(answer.notApplicable);
    into.texts.push(answer.text);
  }
}

/** A uniformly random order of 0…n-1 (Fisher–Yates, drawn from the system's CSPRNG). */
export function randomOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const draws = new Uint32Array(randomBytes(4 * n).buffer);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((draws[i]! / 2 ** 32) * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/** A row part to read after the first pass: the bytes `from` (0-based) for `length`, and the header before them. */
interface Pending {
  id: string;
  from: number;
  length: number;
  header: Buffer | null;
}

/**
 * Reads the given parts of the given rows of the round, as many at once as fit in a batch (by
 * the round and the id: the round's partition alone, by its primary key).
 */
async function readParts(
  trx: Transaction<Database>,
  requestId: string,
  parts: readonly Pending[],
  each: (part: Pending, bytes: Buffer) => void,
) {
  for (let start = 0; start < parts.length; start += READ_BATCH) {
    const batch = parts.slice(start, start + READ_BATCH);
    const { rows } = await sql<{ n: number; bytes: string }>`
      select p.n::int as n, encode(substring(r.sealed from p.f for p.l), 'base64') as bytes
      from unnest(${batch.map((p) => p.id)}::uuid[], ${batch.map((p) => p.from + 1)}::int[],
        ${batch.map((p) => p.length)}::int[]) with ordinality as p (id, f, l, n)
      join sealed_responses r on r.request_id = ${requestId} and r.id = p.id`.execute(trx);
    if (rows.length !== batch.length) throw new Error('sealed rows changed during the close');
    for (const row of rows) each(batch[row.n - 1]!, Buffer.from(row.bytes, 'base64'));
  }
}

/**
 * n random version-4 UUIDs, in ascending order (nearly: ties in the first 32 bits are left as
 * drawn). Each is as random as the column's default; handed out in the shuffled order, they
 * make the rows' physical order their ids' order, which is still a uniformly random order,
 * and the primary key is filled from the right instead of at random places (the random
 * inserts were half the cost of writing the answers).
 */
export function ascendingRandomIds(n: number): string[] {
  const bytes = randomBytes(16 * n);
  const firsts = new Uint32Array(n);
  for (let i = 0; i < n; i++) firsts[i] = bytes.readUInt32BE(16 * i);
  firsts.sort();
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const at = 16 * i;
    bytes.writeUInt32BE(firsts[i]!, at);
    bytes[at + 6] = (bytes[at + 6]! & 0x0f) | 0x40;
    bytes[at + 8] = (bytes[at + 8]! & 0x3f) | 0x80;
    const hex = bytes.toString('hex', at, at + 16);
    ids[i] = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return ids;
}

async function openAll(trx: Transaction<Database>, requestId: string, secret: string): Promise<Collected> {
  const layout: SealLayout = await questionsOf(trx, requestId);
  const key = roundKey(secret, requestId);
  const collected: Collected = { questionIds: [], values: [], notApplicable: [], texts: [] };
  const later: Pending[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // Only the start of each row: its header, and the body when it ends there (most do). The
    // padding after the body, most of the row, is never read (sealing.ts). As base64 text:
    // both drivers hand bytea over as hex text, twice the bytes, and PGlite converts it slowly.
    const rows = await trx
      .selectFrom('sealed_responses')
      .select([
        'id',
        sql<number>`octet_length(sealed)`.as('size'),
        sql<string>`encode(substring(sealed from 1 for ${FIRST_READ}), 'base64')`.as('start'),
      ])
      .where('request_id', '=', requestId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(READ_BATCH)
      .execute();
    for (const row of rows) {
      if (isPaddedFormat(layout, row.size)) {
        later.push({ id: row.id, from: 0, length: row.size, header: null });
        continue;
      }
      if (row.size !== sealedSize(layout)) throw new Error('sealed row of another size');
      const start = Buffer.from(row.start, 'base64');
      const { from, length } = bodySpan(key, layout, start);
      if (from + length <= start.length)
        collect(collected, openBody(key, layout, start, start.subarray(from, from + length)));
      else later.push({ id: row.id, from, length, header: start.subarray(0, from) });
    }
    if (rows.length < READ_BATCH) break;
    after = rows.at(-1)!.id;
  }
  // Bodies longer than the first read, and rows sealed in the first format (read whole).
  await readParts(trx, requestId, later, (part, bytes) =>
    collect(collected, part.header ? openBody(key, layout, part.header, bytes) : openSealed(key, layout, bytes)),
  );
  // Answers of a round that was open when migration 0013 ran and never sealed since.
  const unsealed = await trx
    .selectFrom('unsealed_responses')
    .select('answers')
    .where('request_id', '=', requestId)
    .execute();
  for (const row of unsealed) collect(collected, row.answers as NewAnswer[]);
  return collected;
}

/** Opens the round's sealed rows and writes their answers, shuffled; resolves with how many rows. */
export async function writeShuffledAnswers(trx: Transaction<Database>, requestId: string, secret: string) {
  const { questionIds, values, notApplicable, texts } = await openAll(trx, requestId, secret);
  const order = randomOrder(questionIds.length);
  const ids = ascendingRandomIds(order.length);
  for (let start = 0; start < order.length; start += WRITE_BATCH) {
    const slice = Array.from(order.subarray(start, start + WRITE_BATCH));
    await sql`insert into answers (id, question_id, value, not_applicable, text)
      select * from unnest(${ids.slice(start, start + WRITE_BATCH)}::uuid[],
        ${slice.map((i) => questionIds[i])}::uuid[], ${slice.map((i) => values[i])}::smallint[],
        ${slice.map((i) => notApplicable[i])}::boolean[], ${slice.map((i) => texts[i])}::text[])`.execute(trx);
  }
  return order.length;
}

/**
 * The round's sealed (and never sealed) rows go: their answers are out, or below k never will
 * be. The sealed ones with their partition's files, truncated (sealed-partitions.ts).
 */
export async function deleteSealed(trx: Transaction<Database>, requestId: string): Promise<void> {
  await truncateSealedPartition(trx, requestId);
  await trx.deleteFrom('unsealed_responses').where('request_id', '=', requestId).execute();
}
