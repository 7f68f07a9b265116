// The close of a big round (issue 17): a round of sealed responses to the survey's twelve
// questions (ten on the agree scale, two comments), each sealed with the app's own function
// and so filled to the round's one size, closed by the app's closeRound: open every row, write
// the answers shuffled, delete the sealed rows and the links, compute the figures. Targets:
// ≤ 30 s for 100,000 responses; and on PostgreSQL, submissions to another round keep their
// speed: offered at half the rate they reach at full speed before the close (the app's own
// limit, measured in the same run), every one is stored at that rate during the close, and
// the close never holds the event loop of its process longer than LOOP_HELD_MS: a close runs
// in the app's own process, which serves every page meanwhile, so the submissions are sent
// from this one, where a held loop shows in their times too. Their p50 and p99 before and
// during are reported beside it (on two cores the close's reading and writing share the CPU
// and the disk with them). Run by `npm run bench` (bench/run.ts) after the other
// scenarios, or alone: `node bench/close-round.ts` (BENCH_DATABASES as in run.ts).
//
// How many responses, per database: BENCH_CLOSE_RESPONSES on PostgreSQL (100,000),
// BENCH_CLOSE_RESPONSES_PGLITE on PGlite (PGLITE_RESPONSES): PGlite takes in a sealed row's
// 20 KB slowly through its WebAssembly boundary, so seeding 100,000 would take about an hour;
// its figure is for fewer, and says so. 0 skips a database.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import type { DatabaseKind } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { connectPostgres } from '../src/db/connect.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ManualClock } from '../src/lib/clock.ts';
import { closeRound, vacuumAfterClose } from '../src/rounds/close-round.ts';
import { questionsOf } from '../src/rounds/round-queries.ts';
import { roundKey, sealAnswers } from '../src/survey/sealing.ts';
import { spendLinkAndStoreSealed } from '../src/survey/queries.ts';
import { hashLinkToken } from '../src/rounds/link-tokens.ts';
import { prepareDatabase } from './harness.ts';
import { seedPeople, seedSurveyRound, surveyAnswers } from './seed.ts';

const SECRET = 'bench close secret';
const TARGET_S = 30;
const TARGET_RESPONSES = 100_000;
const BATCH = 250;
/** What PGlite seeds and closes in a few minutes on a two-core machine (docs/BENCHMARKS.md). */
export const PGLITE_RESPONSES = 25_000;

export interface CloseFigures {
  kind: DatabaseKind;
  responses: number;
  seedS: number;
  closeS: number;
  /** The database alone writing as many answers to the round's questions, ids ascending, in one statement (rolled back). */
  writeAloneS: number;
  vacuumS: number;
  answers: number;
  met: boolean;
  /**
   * PostgreSQL only: another open round's submissions. `full`: stored a second at full speed
   * (ten senders) in the 10 s before the close. `before` and `during`: offered at a steady half
   * of that, for 10 s before the close and while it ran.
   */
  others?: { full: number; before: SteadyFigures; during: SteadyFigures };
}

/** Submissions to the other round: concurrent senders, each spending the next unspent link. */
const SENDERS = 10;
const BEFORE_MS = 10_000;
/** The steady rate offered to the other round, as a share of what it took at full speed before the close. */
const STEADY_SHARE = 0.5;
/** The longest the close may hold its process's event loop: every visitor's request waits for it. */
const LOOP_HELD_MS = 100;
/** Stored a second, as a share of those offered, for the rate to count as kept (a few are in flight at the end). */
const KEPT_RATE = 0.99;

interface OtherRound {
  id: string;
  tokens: string[];
  sealed: Buffer;
}

/** One submission to the other round, the survey's own statement; resolves with whether it stored its row. */
async function submitOne(db: Kysely<Database>, round: OtherRound): Promise<boolean> {
  const token = round.tokens.pop();
  if (!token) throw new Error('the other round ran out of links');
  const spent = await spendLinkAndStoreSealed(db, {
    tokenHash: hashLinkToken(token),
    requestId: round.id,
    now: new Date(),
    sealed: round.sealed,
  });
  return spent !== undefined;
}

/**
 * Submissions to another open round while `until` is pending, each the survey's own statement
 * (spend the link, store the sealed row) on its own connection pool: what the app's other
 * visitors do while a close runs. One sealed row serves every submission (sealing is the
 * app's CPU, not the database's, and would compete with the close's own work in this process).
 * Resolves with submissions stored a second.
 */
async function submitUntil(db: Kysely<Database>, round: OtherRound, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => (done = true));
  let stored = 0;
  const started = performance.now();
  const sender = async () => {
    while (!done) if (await submitOne(db, round)) stored++;
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return stored / ((performance.now() - started) / 1000);
}

export interface SteadyFigures {
  /** Submissions offered a second. */
  rate: number;
  /** Submissions stored a second, of those offered. */
  stored: number;
  p50: number;
  p99: number;
  max: number;
  /** The longest the event loop of this process (the one closing) was held, in ms. */
  loopMax: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/**
 * Submissions to another open round offered at a steady `rate` while `until` is pending, each
 * started on time whether the earlier ones have finished or not, as visitors arrive: their
 * time from the moment each was due to its commit, so a stall anywhere (the database, the
 * pool, this process's event loop) counts. What a visitor notices of a close elsewhere.
 */
async function submitSteadily(
  db: Kysely<Database>,
  round: OtherRound,
  rate: number,
  until: Promise<unknown>,
): Promise<SteadyFigures> {
  let done = false;
  void until.finally(() => (done = true));
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let offered = 0;
  while (!done) {
    const due = started + (offered * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    offered++;
    const submission = submitOne(db, round).then((spent) => {
      if (spent) latencies.push(performance.now() - due);
      inFlight.delete(submission);
    });
    inFlight.add(submission);
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  loop.disable();
  latencies.sort((a, b) => a - b);
  return {
    rate: offered / seconds,
    stored: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    loopMax: loop.max / 1e6,
  };
}

/** The other round: open, with links to spend and one sealed row to store with each. */
async function seedOtherRound(db: Kysely<Database>, people: Awaited<ReturnType<typeof seedPeople>>, links: number) {
  const round = await seedSurveyRound(db, people, links);
  const sealed = sealAnswers(
    roundKey(SECRET, round.id),
    await questionsOf(db, round.id),
    surveyAnswers(round).map((a) => ({ ...a, notApplicable: false })),
  );
  return { id: round.id, tokens: [...round.submitTokens], sealed };
}

/** The round seeded: its links all spent and one sealed row per response, sealed as the app does. */
async function seedSealedRound(
  db: Kysely<Database>,
  people: Awaited<ReturnType<typeof seedPeople>>,
  responses: number,
): Promise<string> {
  const round = await seedSurveyRound(db, people, responses);
  await sql`update survey_links set spent = true where request_id = ${round.id}`.execute(db);
  const key = roundKey(SECRET, round.id);
  const layout = await questionsOf(db, round.id);
  const answers = surveyAnswers(round).map((a) => ({ ...a, notApplicable: false }));
  for (let done = 0; done < responses; done += BATCH) {
    // As base64 text, decoded in SQL, as the survey's own statement sends them.
    const rows = Array.from({ length: Math.min(BATCH, responses - done) }, () =>
      sealAnswers(key, layout, answers).toString('base64'),
    );
    await sql`insert into sealed_responses (request_id, sealed)
      select ${round.id}::uuid, decode(s, 'base64') from unnest(${rows}::text[]) as s`.execute(db);
  }
  await sql`vacuum analyze`.execute(db);
  return round.id;
}

/**
 * The floor of the close's writing on this machine in this run: the database alone inserts the
 * round's number of answers to its questions (ids ascending, as the close's are; a comment to
 * each text question) in one statement, in a transaction rolled back.
 */
async function databaseAloneWrites(db: Kysely<Database>, requestId: string, responses: number): Promise<number> {
  const trx = await db.startTransaction().execute();
  try {
    const started = performance.now();
    await sql`insert into answers (id, question_id, value, not_applicable, text)
      select (lpad(to_hex(row_number() over ()), 8, '0') || substr(md5(random()::text), 1, 24))::uuid, q.id,
        case when q.kind = 'text' then null else n % 5 + 1 end, false,
        case when q.kind = 'text' then 'a comment, number ' || n end
      from generate_series(1, ${responses}) as n cross join request_questions q
      where q.request_id = ${requestId}`.execute(trx);
    return (performance.now() - started) / 1000;
  } finally {
    await trx.rollback().execute();
  }
}

export async function benchClose(
  kind: DatabaseKind,
  opts: {
    responses: number;
    postgresAdminUrl: string;
    log: (line: string) => void;
    /** How long each measure of the other round before the close runs (the smoke test's is short). */
    beforeMs?: number;
  },
): Promise<CloseFigures> {
  const beforeMs = opts.beforeMs ?? BEFORE_MS;
  const prepared = await prepareDatabase(kind, { postgresAdminUrl: opts.postgresAdminUrl, postgresUrl: undefined });
  const db = prepared.handle.db;
  try {
    await migrateToLatest(db);
    let started = performance.now();
    const people = await seedPeople(db);
    const id = await seedSealedRound(db, people, opts.responses);
    const seedS = (performance.now() - started) / 1000;
    opts.log(`[${kind}] close: ${opts.responses} sealed responses seeded in ${seedS.toFixed(0)} s`);
    // On PostgreSQL, visitors of another round go on submitting: their rate before and during.
    const other =
      kind === 'postgres' ? await seedOtherRound(db, people, Math.max(30_000, opts.responses * 2)) : undefined;
    const submitters = other && prepared.env.DATABASE_URL ? connectPostgres(prepared.env.DATABASE_URL, 10) : undefined;
    let beforeClose: { full: number; before: SteadyFigures } | undefined;
    if (other && submitters) {
      await sql`vacuum analyze`.execute(db);
      // The seeding's gigabytes written to disk now, not in a checkpoint that stalls the
      // submissions measured next.
      await sql`checkpoint`.execute(db);
      const full = await submitUntil(submitters.db, other, sleep(beforeMs));
      beforeClose = { full, before: await submitSteadily(submitters.db, other, full * STEADY_SHARE, sleep(beforeMs)) };
    }
    const config = { BASE_URL: 'http://127.0.0.1', SESSION_SECRET: SECRET, ANONYMITY_THRESHOLD: 3 };
    started = performance.now();
    const closing = closeRound(db, id, { config, clock: new ManualClock(new Date()) });
    const during =
      other && submitters && beforeClose
        ? submitSteadily(submitters.db, other, beforeClose.before.rate, closing)
        : undefined;
    if (!(await closing)) throw new Error('the round did not close');
    const closeS = (performance.now() - started) / 1000;
    const others: CloseFigures['others'] = beforeClose && during ? { ...beforeClose, during: await during } : undefined;
    await submitters?.close();
    started = performance.now();
    await vacuumAfterClose(db);
    const vacuumS = (performance.now() - started) / 1000;
    const counted = await sql<{ n: number }>`
      select count(*)::int as n from answers a join request_questions q on q.id = a.question_id
      where q.request_id = ${id}`.execute(db);
    const answers = counted.rows[0]!.n;
    if (answers !== opts.responses * 12) throw new Error(`close wrote ${answers} answers, not ${opts.responses * 12}`);
    const writeAloneS = await databaseAloneWrites(db, id, opts.responses);
    const figures = {
      kind,
      responses: opts.responses,
      seedS,
      closeS,
      writeAloneS,
      vacuumS,
      answers,
      met: closeS <= TARGET_S,
      others,
    };
    opts.log(`[${kind}] ${closeLine(figures)}`);
    return figures;
  } finally {
    await prepared.handle.close();
    await prepared.dispose();
  }
}

export const closeLine = (f: CloseFigures) =>
  `close of ${f.responses.toLocaleString('en-GB')} sealed responses: ${f.closeS.toFixed(1)} s ` +
  `(${f.answers.toLocaleString('en-GB')} answers written; the database alone writes as many in ` +
  `${f.writeAloneS.toFixed(1)} s; vacuum after ${f.vacuumS.toFixed(1)} s; ` +
  `seeded in ${f.seedS.toFixed(0)} s), ` +
  (f.responses === TARGET_RESPONSES
    ? `target ≤ ${TARGET_S} s ${f.met ? 'met' : 'MISSED'}`
    : `target (≤ ${TARGET_S} s for ${TARGET_RESPONSES.toLocaleString('en-GB')}) not measured at this size`) +
  (f.others ? `; ${othersLine(f.others)}` : '');

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const steadyLine = (s: SteadyFigures) =>
  `${s.stored.toFixed(0)} of ${s.rate.toFixed(0)}/s stored, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, ` +
  `max ${ms(s.max)}, event loop held up to ${ms(s.loopMax)}`;
/** Whether the other round's submissions kept their speed during the close (the target above). */
export const othersKept = (o: NonNullable<CloseFigures['others']>) =>
  o.during.stored >= KEPT_RATE * o.during.rate && o.during.loopMax <= LOOP_HELD_MS;
const othersLine = (o: NonNullable<CloseFigures['others']>) =>
  `submissions to another round (${o.full.toFixed(0)}/s at full speed before the close), ` +
  `offered at half that: before the close ${steadyLine(o.before)}; during it ${steadyLine(o.during)}; ` +
  `target (all stored, event loop held ≤ ${LOOP_HELD_MS} ms) ${othersKept(o) ? 'met' : 'MISSED'}`;

/** Every database asked for, one after the other; a failure is reported, not thrown. */
export async function runCloseBench(opts: {
  databases: DatabaseKind[];
  responses: Record<DatabaseKind, number>;
  postgresAdminUrl: string;
  log: (line: string) => void;
}): Promise<{ lines: string[]; failures: string[] }> {
  const lines: string[] = [];
  const failures: string[] = [];
  for (const kind of opts.databases) {
    const responses = opts.responses[kind];
    if (responses <= 0) continue;
    try {
      lines.push(`- ${kind}: ${closeLine(await benchClose(kind, { ...opts, responses }))}`);
    } catch (error) {
      failures.push(`[${kind}] close: ${(error as Error).message}`);
    }
  }
  return { lines, failures };
}

if (import.meta.main) {
  const databases = (process.env.BENCH_DATABASES ?? 'postgres,pglite').split(',') as DatabaseKind[];
  const result = await runCloseBench({
    databases,
    responses: {
      postgres: Number(process.env.BENCH_CLOSE_RESPONSES ?? TARGET_RESPONSES),
      pglite: Number(process.env.BENCH_CLOSE_RESPONSES_PGLITE ?? PGLITE_RESPONSES),
    },
    postgresAdminUrl: process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    log: (line) => console.log(line),
  });
  console.log(result.lines.join('\n'));
  if (result.failures.length) {
    console.error(result.failures.join('\n'));
    process.exitCode = 1;
  }
}
