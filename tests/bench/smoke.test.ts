// Keeps the benchmark harness working: one short run of two scenarios against PGlite, and
// against PostgreSQL with pgbench's run of the same statements, with the real app in
// production mode. It asserts that numbers came out and nothing failed,
// never how fast anything was (these machines are shared and noisy).
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { runBench, summary } from '../../bench/harness.ts';
import { renderMarkdown } from '../../bench/report.ts';
import { pgbenchAvailable } from '../../bench/database-alone.ts';
import type { DatabaseKind } from '../../src/db/connect.ts';

/** One second of each scenario on one database, 10 connections: the survey page and the submission, and the report if asked. */
const smokeRun = (database: DatabaseKind, postgresAdminUrl: string, report = false) =>
  runBench({
    duration: 1,
    runs: 1,
    connections: 10,
    databases: [database],
    scenarios: report ? ['survey-page', 'submission', 'report'] : ['survey-page', 'submission'],
    postgresAdminUrl,
    reportResponses: report ? 50 : 0,
    otherRounds: report ? 12 : 0,
    responsesPerOtherRound: report ? 5 : 0,
    launchInvitees: 0,
    mailMessages: 0,
    log: () => {},
  });

test(
  'the benchmark harness measures the survey page, submission and report on PGlite',
  { timeout: 120_000 },
  async () => {
    const results = await smokeRun('pglite', 'postgres://unused', true);

    assert.deepEqual(results.failures, []);
    const scenarios = results.results.map((r) => `${r.scenario}/${r.database ?? '-'}`);
    assert.deepEqual(scenarios, [
      'bare-express/-',
      'survey-page/pglite',
      'submission/pglite',
      'report/pglite',
      'report-rounds/pglite',
    ]);
    for (const result of results.results) {
      const rps = summary(result.runs, 'rps');
      assert.ok(rps && rps.median > 0, `${result.scenario} measured some requests per second`);
      assert.equal(result.runs[0]!.errors, 0, `${result.scenario} had no errors`);
      assert.ok(result.runs[0]!.rss > 0, `${result.scenario} sampled the server's memory`);
    }
    const submission = results.results.find((r) => r.scenario === 'submission')!;
    assert.match(submission.checks.join('\n'), /(\d+) responses stored = \1 links spent/);
    const markdown = renderMarkdown(results);
    assert.match(markdown, /\| survey page \(GET \/s\/:token\) \| pglite \|/);
    assert.match(
      markdown,
      /\| … the leader’s reports of 10 other closed rounds \(5 responses each\), each request another round \| pglite \|/,
    );
  },
);

const postgresSkip = !process.env.TEST_DATABASE_URL
  ? 'TEST_DATABASE_URL is not set: the PostgreSQL smoke run is skipped'
  : !pgbenchAvailable()
    ? 'pgbench is not installed (Debian: postgresql-client): the PostgreSQL smoke run is skipped'
    : false;

test(
  'on PostgreSQL it also measures a bare version of the survey page and the survey’s two statements alone',
  { timeout: 120_000, skip: postgresSkip },
  async () => {
    const results = await smokeRun('postgres', process.env.TEST_DATABASE_URL!);

    assert.deepEqual(results.failures, []);
    const scenarios = results.results.map((r) => `${r.scenario}/${r.database ?? '-'}`);
    assert.deepEqual(scenarios, [
      'bare-express/-',
      'survey-page/postgres',
      'bare-page/postgres',
      'lookup-alone/postgres',
      'submission/postgres',
      'spend-alone/postgres',
    ]);
    for (const scenario of ['bare-page', 'lookup-alone', 'spend-alone']) {
      const result = results.results.find((r) => r.scenario === scenario)!;
      // spend-alone counts the responses the statement stored, so a statement that spent no
      // ballot (a wrong token, a closed round) would show here as 0.
      assert.ok(summary(result.runs, 'rps')!.median > 0, `${scenario} ran its statement`);
      // bare-page answers 500 (an error here) if its query found no link.
      assert.equal(result.runs[0]!.errors, 0, `${scenario} had no errors`);
    }
    assert.match(
      renderMarkdown(results),
      /\| … the database alone: the submission’s statement for one answer in pgbench/,
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

test('the close benchmark seals, closes and counts a small round on PGlite', { timeout: 120_000 }, async () => {
  const { benchClose } = await import('../../bench/close-round.ts');
  const figures = await benchClose('pglite', { responses: 20, postgresAdminUrl: 'postgres://unused', log: () => {} });
  assert.equal(figures.answers, 20 * 12);
  assert.ok(figures.closeS > 0);
});
