// Keeps the benchmark harness working: one short run of the survey's scenarios, the report and
// the mail worker against PGlite, against PostgreSQL with their ceilings (the bare page,
// pgbench), of PGlite's starts and WebAssembly flags, with the real app in production mode,
// and of the close of a small round on both. It asserts
// that numbers came out and nothing failed, never how fast anything was (these machines are
// shared and noisy).
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { runBench, summary, type ScenarioName } from '../../bench/harness.ts';
import { renderMarkdown } from '../../bench/report.ts';
import { benchClose, closeLine } from '../../bench/close-round.ts';
import { pgbenchAvailable } from '../../bench/database-alone.ts';
import type { DatabaseKind } from '../../src/db/connect.ts';

/** One second of each scenario on one database, 10 connections (the report 2). */
const smokeRun = (database: DatabaseKind, postgresAdminUrl: string, scenarios: ScenarioName[]) =>
  runBench({
    duration: 1,
    runs: 1,
    connections: 10,
    reportConnections: 2,
    databases: [database],
    scenarios,
    postgresAdminUrl,
    reportResponses: scenarios.includes('report') ? 50 : 0,
    otherRounds: scenarios.includes('report') ? 12 : 0,
    responsesPerOtherRound: scenarios.includes('report') ? 5 : 0,
    launchInvitees: 0,
    mailMessages: scenarios.includes('mail') ? 5 : 0,
    linksPerSecond: 6_000,
    wasmFlags: ['', '--liftoff-only'],
    settleMs: 500,
    log: () => {},
  });

test(
  'the benchmark harness measures the survey page, submission, report and mail worker on PGlite',
  { timeout: 120_000 },
  async () => {
    const results = await smokeRun('pglite', 'postgres://unused', ['survey-page', 'submission', 'report', 'mail']);

    assert.deepEqual(results.failures, []);
    const scenarios = results.results.map((r) => `${r.scenario}/${r.database}`);
    assert.deepEqual(scenarios, ['survey-page/pglite', 'submission/pglite', 'report/pglite', 'mail/pglite']);
    for (const result of results.results) {
      const rate = summary(result.runs, result.scenario === 'mail' ? 'perSecond' : 'rps');
      assert.ok(rate && rate.median > 0, `${result.scenario} measured some requests (or messages) per second`);
      assert.equal(result.runs[0]!.errors, 0, `${result.scenario} had no errors`);
      assert.ok(result.runs[0]!.rss > 0, `${result.scenario} sampled the server's memory`);
    }
    const submission = results.results.find((r) => r.scenario === 'submission')!;
    assert.match(submission.checks.join('\n'), /(\d+) responses stored = \1 links spent/);
    const markdown = renderMarkdown(results);
    assert.match(markdown, /\| survey page \(GET \/s\/:token\) \| pglite \|/);
    const report = results.results.find((r) => r.scenario === 'report')!;
    assert.ok(report.firstViewMs! > 0, 'the report’s first view after a fresh start was timed');
    assert.match(markdown, /\| \[pglite\] report p50 ≤ 20 ms at 2 connections \| p50 \d+ ms \| (met|missed) \|/);
  },
);

test(
  'on PGlite it measures the peak memory of a start and what each WebAssembly flag costs',
  { timeout: 300_000 },
  async () => {
    const results = await smokeRun('pglite', 'postgres://unused', ['start', 'wasm-flags']);

    assert.deepEqual(results.failures, []);
    assert.deepEqual(
      results.wasm.map((v) => v.flags),
      ['', '--liftoff-only'],
    );
    for (const variant of results.wasm) {
      assert.ok(variant.start!.emptyPeak > 0 && variant.start!.laterPeak > 0, `${variant.flags}: start peaks read`);
      for (const run of [...variant.survey, ...variant.submission]) {
        assert.ok(run.rps! > 0 && run.ratio! > 0, `${variant.flags}: measured, with its ratio to no flags`);
        assert.equal(run.errors, 0);
      }
    }
    const markdown = renderMarkdown(results);
    assert.match(markdown, /\| \[pglite\] peak RSS at start, empty data folder and compile cache ≤ 512 MB \| \d+ MB/);
    assert.match(markdown, /\| `--liftoff-only` \| \d+ MB \(/);
  },
);

const postgresSkip = !process.env.TEST_DATABASE_URL
  ? 'TEST_DATABASE_URL is not set: the PostgreSQL smoke run is skipped'
  : !pgbenchAvailable()
    ? 'pgbench is not installed (Debian: postgresql-client): the PostgreSQL smoke run is skipped'
    : false;

test(
  'on PostgreSQL it measures the survey page and the submission in turns with their ceilings: the bare page, pgbench',
  { timeout: 120_000, skip: postgresSkip },
  async () => {
    const results = await smokeRun('postgres', process.env.TEST_DATABASE_URL!, ['survey-page', 'submission']);

    assert.deepEqual(results.failures, []);
    const scenarios = results.results.map((r) => `${r.scenario}/${r.database}`);
    assert.deepEqual(scenarios, [
      'survey-page/postgres',
      'bare-page/postgres',
      'submission/postgres',
      'spend-alone/postgres',
    ]);
    for (const scenario of ['survey-page', 'submission'])
      assert.ok(
        results.results.find((r) => r.scenario === scenario)!.runs[0]!.ratio! > 0,
        `${scenario}: its ratio to the ceiling run beside it`,
      );
    for (const scenario of ['bare-page', 'spend-alone']) {
      const result = results.results.find((r) => r.scenario === scenario)!;
      // spend-alone counts the responses the statement stored, so a statement that spent no
      // ballot (a wrong token, a closed round) would show here as 0.
      assert.ok(summary(result.runs, 'rps')!.median > 0, `${scenario} ran its statement`);
      // bare-page answers 500 (an error here) if its query found no link.
      assert.equal(result.runs[0]!.errors, 0, `${scenario} had no errors`);
    }
    assert.match(
      renderMarkdown(results),
      /\| \[postgres\] submission ≥ 85% of the database alone, 0 errors, one response per link \| \d+%, 0 errors/,
    );
  },
);

test(
  'the CPU-per-view tool measures the app and the bare page at a fixed rate on PostgreSQL',
  {
    timeout: 120_000,
    skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set: the CPU-per-view smoke run is skipped',
  },
  () => {
    const run = spawnSync(process.execPath, ['bench/cpu-per-view.ts', 'app', 'bare-page@--max-old-space-size=256'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        ...process.env,
        BENCH_POSTGRES_ADMIN_URL: process.env.TEST_DATABASE_URL,
        DATABASE_URL: '',
        BENCH_RATE: '100',
        BENCH_DURATION: '1',
        BENCH_ROUNDS: '1',
      },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /failed/);
    const median = run.stdout.split('median CPU µs per view:')[1] ?? '';
    assert.match(median, /^app +\d+ +\(\d+\)$/m, run.stdout);
    assert.match(median, /^bare-page@--max-old-space-size=256 +\d+ +\(\d+\)$/m, run.stdout);
  },
);

test('the close bench closes a small round on PGlite, every answer written', { timeout: 120_000 }, async () => {
  const figures = await benchClose('pglite', { responses: 20, postgresAdminUrl: 'postgres://unused', log: () => {} });
  assert.equal(figures.answers, 240);
  assert.equal(figures.others, undefined, 'PGlite serves one statement at a time: no other round measured');
  assert.match(closeLine(figures), /^close of 20 sealed responses: [\d.]+ s \(240 answers written; the database alone/);
});

test(
  'on PostgreSQL the close bench times another round’s submissions before and during the close',
  { timeout: 120_000, skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set' },
  async () => {
    const figures = await benchClose('postgres', {
      responses: 40,
      postgresAdminUrl: process.env.TEST_DATABASE_URL!,
      log: () => {},
      beforeMs: 300,
    });
    assert.equal(figures.answers, 480);
    const others = figures.others!;
    assert.ok(others.full > 0 && others.before.stored > 0, 'the other round stored submissions before the close');
    assert.ok(others.during.rate > 0, 'and was offered some during it');
    assert.match(closeLine(figures), /target \(all stored, event loop held ≤ 100 ms\) (met|MISSED)$/);
  },
);
