// The shuffled rewrite at close (issue 17): a round's sealed rows opened and its answers
// written out, one row per question answered, with nothing that tells which were given
// together. Every row gets a new random id (the column's default), all of them go in one
// random order across questions and people (so neither their physical order nor their
// position within a question lines up with an order of answering or with one another), and
// all in the caller's transaction (so they share one transaction id). Runs inside closeRound.
import { setImmediate as yieldToVisitors } from 'node:timers/promises';
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
import { ascendingRandomIds, randomOrder } from './shuffled-order.ts';

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

/** Rows opened between two turns of the event loop: the close runs in the app's own process. */
const OPEN_BETWEEN_YIELDS = 100;
/** Whether the event loop gets its turn after opening the i-th row of a batch. */
const turnDue = (i: number) => i % OPEN_BETWEEN_YIELDS === OPEN_BETWEEN_YIELDS - 1;

const RATING = 0;
const NOT_APPLICABLE = 1;
const COMMENT = 2;

/**
 * The round's answers as opened, in typed arrays outside the JavaScript heap, so a round's
 * million answers neither grow it nor lengthen its garbage collections while visitors are
 * served: per answer its question (by position), its kind, and its value or the index of its
 * comment in `comments`.
 */
class OpenedAnswers {
  length = 0;
  question = new Uint16Array(1 << 16);
  kind = new Uint8Array(1 << 16);
  slot = new Int32Array(1 << 16);
  readonly comments: string[] = [];
  readonly questionIds: string[];
  private readonly indexOf: Map<string, number>;

  constructor(layout: SealLayout) {
    this.questionIds = layout.map((question) => question.id);
    this.indexOf = new Map(this.questionIds.map((id, i) => [id, i]));
  }

  add(answers: readonly NewAnswer[]) {
    if (this.length + answers.length > this.question.length) this.grow();
    for (const answer of answers) {
      const at = this.length++;
      this.question[at] = this.indexOf.get(answer.questionId)!;
      if (typeof answer.text === 'string') {
        this.kind[at] = COMMENT;
        this.slot[at] = this.comments.push(answer.text) - 1;
      } else {
        this.kind[at] = answer.notApplicable ? NOT_APPLICABLE : RATING;
        this.slot[at] = answer.value ?? 0;
      }
    }
  }

  // Each answer as the answers table takes it.
  questionIdAt = (at: number) => this.questionIds[this.question[at]!]!;
  valueAt = (at: number) => (this.kind[at] === RATING ? this.slot[at]! : null);
  notApplicableAt = (at: number) => this.kind[at] === NOT_APPLICABLE;
  textAt = (at: number) => (this.kind[at] === COMMENT ? this.comments[this.slot[at]!]! : null);

  private grow() {
    const size = 2 * this.question.length;
    const question = new Uint16Array(size);
    const kind = new Uint8Array(size);
    const slot = new Int32Array(size);
    question.set(this.question);
    kind.set(this.kind);
    slot.set(this.slot);
    Object.assign(this, { question, kind, slot });
  }
}

/**
 * A statement started now, to be awaited later: its failure surfaces there (and rolls the close
 * back), never as an unhandled rejection in between.
 */
function started<T>(statement: Promise<T>): Promise<T> {
  statement.catch(() => undefined);
  return statement;
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
    for (const [i, row] of rows.entries()) {
      if (turnDue(i)) await yieldToVisitors();
      each(batch[row.n - 1]!, Buffer.from(row.bytes, 'base64'));
    }
  }
}

async function openAll(trx: Transaction<Database>, requestId: string, secret: string): Promise<OpenedAnswers> {
  const layout: SealLayout = await questionsOf(trx, requestId);
  const key = roundKey(secret, requestId);
  const opened = new OpenedAnswers(layout);
  const later: Pending[] = [];
  // Only the start of each row: its header, and the body when it ends there (most do). The
  // padding after the body, most of the row, is never read (sealing.ts). As base64 text: both
  // drivers hand bytea over as hex text, twice the bytes, and PGlite converts it slowly.
  const readStarts = (after: string) =>
    started(
      trx
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
        .execute(),
    );
  let reading = readStarts('00000000-0000-0000-0000-000000000000');
  for (;;) {
    const rows = await reading;
    const more = rows.length === READ_BATCH;
    // The database reads the next batch while this process opens this one.
    if (more) reading = readStarts(rows.at(-1)!.id);
    for (const [i, row] of rows.entries()) {
      if (turnDue(i)) await yieldToVisitors();
      if (isPaddedFormat(layout, row.size)) {
        later.push({ id: row.id, from: 0, length: row.size, header: null });
        continue;
      }
      if (row.size !== sealedSize(layout)) throw new Error('sealed row of another size');
      const start = Buffer.from(row.start, 'base64');
      const { from, length } = bodySpan(key, layout, start);
      if (from + length <= start.length) opened.add(openBody(key, layout, start, start.subarray(from, from + length)));
      else later.push({ id: row.id, from, length, header: start.subarray(0, from) });
    }
    if (!more) break;
  }
  // Bodies longer than the first read, and rows sealed in the first format (read whole).
  await readParts(trx, requestId, later, (part, bytes) =>
    opened.add(part.header ? openBody(key, layout, part.header, bytes) : openSealed(key, layout, bytes)),
  );
  // Answers of a round that was open when migration 0013 ran and never sealed since.
  const unsealed = await trx
    .selectFrom('unsealed_responses')
    .select('answers')
    .where('request_id', '=', requestId)
    .execute();
  for (const row of unsealed) opened.add(row.answers as NewAnswer[]);
  return opened;
}

/** Opens the round's sealed rows and writes their answers, shuffled; resolves with how many rows. */
export async function writeShuffledAnswers(trx: Transaction<Database>, requestId: string, secret: string) {
  const opened = await openAll(trx, requestId, secret);
  const order = randomOrder(opened.length);
  const ids = ascendingRandomIds(opened.length);
  let writing: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < opened.length; start += WRITE_BATCH) {
    const slice = Array.from(order.next(WRITE_BATCH));
    const insert = sql`insert into answers (id, question_id, value, not_applicable, text)
      select * from unnest(${ids.next(WRITE_BATCH)}::uuid[],
        ${slice.map(opened.questionIdAt)}::uuid[], ${slice.map(opened.valueAt)}::smallint[],
        ${slice.map(opened.notApplicableAt)}::boolean[], ${slice.map(opened.textAt)}::text[])`;
    await writing;
    writing = started(insert.execute(trx));
  }
  await writing;
  return opened.length;
}

/**
 * The round's sealed (and never sealed) rows go: their answers are out, or below k never will
 * be. The sealed ones with their partition's files, truncated (sealed-partitions.ts).
 */
export async function deleteSealed(trx: Transaction<Database>, requestId: string): Promise<void> {
  await truncateSealedPartition(trx, requestId);
  await trx.deleteFrom('unsealed_responses').where('request_id', '=', requestId).execute();
}
