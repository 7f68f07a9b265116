// The close of a big round (issue 17): a round of sealed responses to the survey's twelve
// questions (ten on the agree scale, two comments), each sealed with the app's own function
// and so filled to the round's one size, closed by the app's closeRound: open every row, write
// the answers shuffled, delete the sealed rows and the links, compute the figures. Target
// ≤ 30 s for 100,000 responses. Run by `npm run bench` (bench/run.ts) after the other
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
  vacuumS: number;
  answers: number;
  met: boolean;
  /**
   * PostgreSQL only: submissions a second stored to another open round, from a pool of their
   * own, in the 10 s before the close and while it ran.
   */
  others?: { before: number; during: number };
}

/** Submissions to the other round: concurrent senders, each spending the next unspent link. */
const SENDERS = 10;
const BEFORE_MS = 10_000;

/**
 * Submissions to another open round while `until` is pending, each the survey's own statement
 * (spend the link, store the sealed row) on its own connection pool: what the app's other
 * visitors do while a close runs. One sealed row serves every submission (sealing is the
 * app's CPU, not the database's, and would compete with the close's own work in this process).
 * Resolves with submissions stored a second.
 */
async function submitUntil(
  db: Kysely<Database>,
  round: { id: string; tokens: string[]; sealed: Buffer },
  until: Promise<unknown>,
): Promise<number> {
  let done = false;
  void until.finally(() => (done = true));
  let stored = 0;
  const started = performance.now();
  const sender = async () => {
    while (!done) {
      const token = round.tokens.pop();
      if (!token) throw new Error('the other round ran out of links');
      const spent = await spendLinkAndStoreSealed(db, {
        tokenHash: hashLinkToken(token),
        requestId: round.id,
        now: new Date(),
        sealed: round.sealed,
      });
      if (spent) stored++;
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return stored / ((performance.now() - started) / 1000);
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

export async function benchClose(
  kind: DatabaseKind,
  opts: { responses: number; postgresAdminUrl: string; log: (line: string) => void },
): Promise<CloseFigures> {
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
    let others: CloseFigures['others'];
    if (other && submitters) {
      await sql`vacuum analyze`.execute(db);
      others = { before: await submitUntil(submitters.db, other, sleep(BEFORE_MS)), during: 0 };
    }
    const config = { BASE_URL: 'http://127.0.0.1', SESSION_SECRET: SECRET, ANONYMITY_THRESHOLD: 3 };
    started = performance.now();
    const closing = closeRound(db, id, { config, clock: new ManualClock(new Date()) });
    if (other && submitters && others) others.during = await submitUntil(submitters.db, other, closing);
    if (!(await closing)) throw new Error('the round did not close');
    const closeS = (performance.now() - started) / 1000;
    await submitters?.close();
    started = performance.now();
    await vacuumAfterClose(db);
    const vacuumS = (performance.now() - started) / 1000;
    const counted = await sql<{ n: number }>`
      select count(*)::int as n from answers a join request_questions q on q.id = a.question_id
      where q.request_id = ${id}`.execute(db);
    const answers = counted.rows[0]!.n;
    if (answers !== opts.responses * 12) throw new Error(`close wrote ${answers} answers, not ${opts.responses * 12}`);
    const figures = {
      kind,
      responses: opts.responses,
      seedS,
      closeS,
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
  `(${f.answers.toLocaleString('en-GB')} answers written; vacuum after ${f.vacuumS.toFixed(1)} s; ` +
  `seeded in ${f.seedS.toFixed(0)} s), ` +
  (f.responses === TARGET_RESPONSES
    ? `target ≤ ${TARGET_S} s ${f.met ? 'met' : 'MISSED'}`
    : `target (≤ ${TARGET_S} s for ${TARGET_RESPONSES.toLocaleString('en-GB')}) not measured at this size`) +
  (f.others
    ? `; submissions to another round: ${f.others.before.toFixed(0)}/s before, ${f.others.during.toFixed(0)}/s during ` +
      `(${Math.round((f.others.during / f.others.before) * 100)}%)`
    : '');

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
