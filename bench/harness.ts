// The benchmark: seeds its own data, starts the real app in production mode on loopback (on
// PostgreSQL and on PGlite), loads each scenario with autocannon and measures a bare
// Express 5 hello world in the same run as the ceiling. bench/run.ts prints and writes the
// results; tests/bench/smoke.test.ts runs a two-second version of it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import pg from 'pg';
import autocannon, { type Request } from 'autocannon';
import { connectPglite, connectPostgres, type DatabaseHandle, type DatabaseKind } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { rssOf, startProcess, sampleRss, type ServerProcess } from './processes.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import * as seed from './seed.ts';
import { lookupAlone, pgbenchAvailable, spendAlone } from './database-alone.ts';
import { hashToken } from '../src/lib/tokens.ts';
import { linkQuery } from '../src/survey/queries.ts';

/** The app's PostgreSQL pool (DATABASE_POOL_SIZE's default): the clients pgbench gets. */
const APP_POOL_SIZE = 10;

export const SCENARIOS = ['survey-page', 'submission', 'report', 'sign-in', 'launch', 'mail'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Seconds per load run. */
  duration: number;
  runs: number;
  connections: number;
  databases: DatabaseKind[];
  scenarios: ScenarioName[];
  /** A PostgreSQL server to create a fresh database on (dropped afterwards)… */
  postgresAdminUrl: string;
  /** …or an existing database to use as it is (DATABASE_URL). */
  postgresUrl?: string;
  reportResponses: number;
  otherRounds: number;
  responsesPerOtherRound: number;
  launchInvitees: number;
  mailMessages: number;
  log: (line: string) => void;
  /** Node flags for the app process, e.g. ['--cpu-prof', '--cpu-prof-dir=prof'] to profile it. */
  nodeArgs?: string[];
}

/** One measured run. Load runs fill rps/p50/p99; launch fills ms; mail fills perSecond. */
export interface RunFigures {
  rps?: number;
  p50?: number;
  p99?: number;
  ms?: number;
  deliveredMs?: number;
  perSecond?: number;
  errors: number;
  /** Load runs: responses with a 2xx status. */
  ok?: number;
  /** Peak resident memory of the server process during the run, in bytes. */
  rss: number;
}

export interface ScenarioResult {
  scenario: ScenarioName | 'bare-express' | 'bare-page' | 'lookup-alone' | 'spend-alone' | 'report-rounds';
  database: DatabaseKind | null;
  runs: RunFigures[];
  /** Facts checked after the runs, e.g. one response per spent link. */
  checks: string[];
  /** Something worth a line in the report, e.g. the first (uncached) view's time. */
  notes: string[];
}

export interface BenchResults {
  date: Date;
  machine: { cpu: string; cores: number; memoryGb: number };
  node: string;
  databaseVersions: Partial<Record<DatabaseKind, string>>;
  options: Omit<BenchOptions, 'log' | 'postgresAdminUrl' | 'postgresUrl'>;
  results: ScenarioResult[];
  /** Problems that must fail the run (errors, broken exactly-once). */
  failures: string[];
}

const SESSION_SECRET = randomBytes(32).toString('hex');

interface Load {
  path?: string;
  requests?: Request[];
  headers?: Record<string, string>;
}

/** A form's CSRF token for a session, as a browser gets it: from a page, with its cookie. */
async function formToken(baseUrl: string, sessionCookie: string, page: string) {
  const res = await fetch(`${baseUrl}${page}`, { headers: { cookie: sessionCookie }, redirect: 'manual' });
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1];
  const csrfCookie = res.headers.getSetCookie().map((line) => line.split(';')[0]!);
  if (!token) throw new Error(`${page} held no form token (status ${res.status})`);
  return { token, cookie: [sessionCookie, ...csrfCookie].join('; ') };
}

async function loadRun(
  server: ServerProcess,
  opts: BenchOptions,
  load: Load,
  onStop?: (stop: () => void) => void,
): Promise<RunFigures> {
  const rss = sampleRss(server.pid);
  const instance = autocannon({
    url: server.url + (load.path ?? ''),
    connections: opts.connections,
    duration: opts.duration,
    headers: load.headers,
    requests: load.requests,
    timeout: 30,
  });
  onStop?.(() => instance.stop());
  const result = await instance;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    ok: result['2xx'],
    rss: rss.stop(),
  };
}

export interface Prepared {
  handle: DatabaseHandle;
  env: Record<string, string>;
  version: string;
  dispose(): Promise<void>;
  reopen(): Promise<DatabaseHandle>;
}

export async function prepareDatabase(
  kind: DatabaseKind,
  opts: Pick<BenchOptions, 'postgresUrl' | 'postgresAdminUrl'>,
): Promise<Prepared> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'upward-bench-'));
    const open = () => connectPglite(dir);
    const handle = await open();
    const version = (await sql<{ v: string }>`select version() as v`.execute(handle.db)).rows[0]!.v;
    return {
      handle,
      env: { DATA_DIR: dir },
      version: `PGlite (${version.split(' on ')[0]})`,
      reopen: open,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  }
  let url = opts.postgresUrl;
  let drop = async () => {};
  if (!url) {
    const name = `upward_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: opts.postgresAdminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const target = new URL(opts.postgresAdminUrl);
    target.pathname = `/${name}`;
    url = target.toString();
    drop = async () => {
      const client = new pg.Client({ connectionString: opts.postgresAdminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  const open = async () => connectPostgres(url, 5);
  const handle = await open();
  const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(handle.db)).rows[0]!
    .v;
  return {
    handle,
    env: { DATABASE_URL: url },
    version: `PostgreSQL ${version.split(' ')[0]}`,
    reopen: open,
    dispose: drop,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summary(
  runs: RunFigures[],
  field: keyof RunFigures,
): { median: number; min: number; max: number } | null {
  const values = runs.map((run) => run[field]).filter((v): v is number => typeof v === 'number');
  if (!values.length) return null;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Starts bare-express.ts serving GET /page: the survey page's own query for `pageToken`
 * (the app's compiled SQL, prepared on a pg pool) and then `pageBytes`, as the app sent them.
 */
export async function startBarePage(
  db: Kysely<Database>,
  url: string,
  pageToken: string,
  pageBytes: Buffer,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'upward-bare-page-'));
  try {
    const statement = linkQuery.statement(db);
    const values = statement.parameters.map((p) => ('name' in p ? [hashToken(pageToken)] : p.value));
    await writeFile(path.join(dir, 'page.html'), pageBytes);
    return await startProcess(
      'bench/bare-express.ts',
      {
        BARE_DATABASE_URL: url,
        BARE_QUERY: statement.sql,
        BARE_QUERY_VALUES: JSON.stringify(values),
        BARE_PAGE_FILE: path.join(dir, 'page.html'),
      },
      nodeArgs,
    );
  } finally {
    // bare-express.ts has read the page by the time it listens.
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * On PostgreSQL, what the survey's scenarios are made of, each row after its scenario's: a
 * bare Express serving the page's bytes after the page's query (bare-express.ts), and
 * pgbench running the page's query and the submission's statement alone (database-alone.ts).
 */
async function measureSurveyBaselines(
  db: Kysely<Database>,
  url: string,
  ctx: {
    survey: seed.SurveyRound;
    pageBytes: Buffer | undefined;
    people: seed.People;
    want: (name: ScenarioName) => boolean;
    opts: BenchOptions;
    log: (line: string) => void;
    results: ScenarioResult[];
  },
): Promise<void> {
  const { opts, results } = ctx;
  // The rows measured under each scenario, put in after its row once all are measured.
  const under: Partial<Record<ScenarioName, ScenarioResult[]>> = {};
  const after = (scenario: ScenarioName, result: ScenarioResult) => (under[scenario] ??= []).push(result);
  const alone = (scenario: ScenarioResult['scenario']): ScenarioResult => ({
    scenario,
    database: 'postgres',
    runs: [],
    checks: [],
    notes: [],
  });
  if (ctx.want('survey-page') && ctx.pageBytes) {
    const result = alone('bare-page');
    const bare = await startBarePage(db, url, ctx.survey.pageToken, ctx.pageBytes);
    try {
      for (let i = 0; i < opts.runs; i++) result.runs.push(await loadRun(bare, opts, { path: '/page' }));
    } finally {
      await bare.stop();
    }
    after('survey-page', result);
    ctx.log(
      `bare Express with the page's query and bytes: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} req/s`,
    );
  }
  const load = { clients: APP_POOL_SIZE, duration: opts.duration };
  const pgbench = pgbenchAvailable();
  if (!pgbench) ctx.log('pgbench is not installed: the database-alone rows are left out');
  if (pgbench && ctx.want('survey-page')) {
    const result = alone('lookup-alone');
    for (let i = 0; i < opts.runs; i++) result.runs.push(await lookupAlone(db, url, ctx.survey.pageToken, load));
    after('survey-page', result);
    ctx.log(`the page's query alone: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} per second`);
  }
  if (pgbench && ctx.want('submission')) {
    const result = alone('spend-alone');
    const round = await seed.seedSurveyRound(db, ctx.people, 0);
    result.runs.push(...(await spendAlone(db, url, round.id, seed.surveyAnswers(round), { ...load, runs: opts.runs })));
    after('submission', result);
    ctx.log(
      `the submission's statement alone: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} responses per second`,
    );
  }
  for (const [scenario, rows] of Object.entries(under))
    results.splice(results.findIndex((r) => r.scenario === scenario) + 1, 0, ...rows);
}

async function benchDatabase(
  kind: DatabaseKind,
  opts: BenchOptions,
  sink: SmtpSink,
  bareRps: number,
  out: BenchResults,
): Promise<void> {
  const want = (name: ScenarioName) => opts.scenarios.includes(name);
  const log = (line: string) => opts.log(`[${kind}] ${line}`);
  const prepared = await prepareDatabase(kind, opts);
  out.databaseVersions[kind] = prepared.version;
  let handle: DatabaseHandle | undefined = prepared.handle;
  let server: ServerProcess | undefined;
  const env = { NODE_ENV: 'production', LOG_LEVEL: 'info', SESSION_SECRET, SMTP_URL: sink.url, ...prepared.env };
  try {
    await migrateToLatest(handle.db);
    const db = handle.db;
    const started = performance.now();
    log('seeding');
    const people = await seed.seedPeople(db);
    const leader = await seed.seedSession(db, SESSION_SECRET, people.leaderId);
    // Links for every submission run: more than even a bare hello world could take at 60%.
    const perRun = Math.ceil(opts.duration * Math.max(bareRps, 1_000) * 0.6) + 200;
    const survey = await seed.seedSurveyRound(db, people, want('submission') ? perRun * opts.runs : 0);
    const report = want('report')
      ? await seed.seedReportRound(db, people, {
          responses: opts.reportResponses,
          others: opts.otherRounds,
          perOther: opts.responsesPerOtherRound,
        })
      : undefined;
    const reportId = report?.id;
    // Before the report's results are computed, as a closing round's tables would have been.
    await seed.settle(db);
    const resultsMs = reportId ? await seed.storeReportResults(db, reportId) : undefined;
    // The rounds of the "each request another round" row, one per connection, closed as well.
    const otherReports = report?.others.slice(0, opts.connections) ?? [];
    for (const id of otherReports) await seed.storeReportResults(db, id);
    const launches: string[] = [];
    if (want('launch'))
      for (let i = 0; i < opts.runs; i++)
        launches.push(await seed.seedLaunchRequest(db, people, opts.launchInvitees, `launch-${i}`));
    log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // PGlite allows one process: the app opens the folder only once we have let go of it.
    await handle.close();
    handle = undefined;

    server = await startProcess('src/main.ts', env, opts.nodeArgs);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idleRss = rssOf(server.pid);
    const results: ScenarioResult[] = [];
    const scenario = (name: ScenarioName) => {
      const result: ScenarioResult = { scenario: name, database: kind, runs: [], checks: [], notes: [] };
      results.push(result);
      return result;
    };

    let pageBytes: Buffer | undefined;
    if (want('survey-page')) {
      const result = scenario('survey-page');
      result.notes.push(`server RSS right after start, before any load: ${Math.round(idleRss / 1024 ** 2)} MB`);
      // The page as sent, for the bare version of it (measureSurveyBaselines).
      pageBytes = Buffer.from(await (await fetch(`${server.url}/s/${survey.pageToken}`)).arrayBuffer());
      for (let i = 0; i < opts.runs; i++)
        result.runs.push(await loadRun(server, opts, { path: `/s/${survey.pageToken}` }));
      log(`survey page: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} req/s`);
    }

    let submitted = 0;
    if (want('submission')) {
      const result = scenario('submission');
      const body = seed.surveyBody(survey);
      for (let i = 0; i < opts.runs; i++) {
        const tokens = survey.submitTokens.slice(i * perRun, (i + 1) * perRun);
        let next = 0;
        let stop = () => {};
        let ranOut = false;
        const figures = await loadRun(
          server,
          opts,
          {
            requests: [
              {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body,
                // Each request spends its own fresh link.
                setupRequest: (request) => {
                  const token = tokens[next++];
                  if (!token) {
                    ranOut = true;
                    stop();
                  }
                  return { ...request, path: `/s/${token ?? tokens[tokens.length - 1]}` };
                },
              },
            ],
          },
          (s) => (stop = s),
        );
        if (ranOut) result.notes.push(`run ${i + 1} used all ${tokens.length} links and stopped early`);
        result.runs.push(figures);
        submitted += Math.min(next, tokens.length);
      }
      log(`submission: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} req/s`);
    }

    if (reportId) {
      const result = scenario('report');
      const headers = { cookie: leader.cookie };
      const first = performance.now();
      const page = await fetch(`${server.url}/reports/${reportId}`, { headers });
      const html = await page.text();
      const firstMs = performance.now() - first;
      if (
        page.status !== 200 ||
        (!html.includes(opts.reportResponses.toLocaleString('en-GB')) && !html.includes(String(opts.reportResponses)))
      ) {
        out.failures.push(
          `[${kind}] the report page did not show ${opts.reportResponses} responses (status ${page.status})`,
        );
      }
      // One viewer at a time: the time a single report view takes, without 49 others queued.
      const single: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        await (await fetch(`${server.url}/reports/${reportId}`, { headers })).arrayBuffer();
        single.push(performance.now() - t);
      }
      const singleP50 = median(single);
      result.notes.push(
        `computing and storing its results, as closing it does: ${resultsMs!.toFixed(0)} ms`,
        `first view after start: ${firstMs.toFixed(0)} ms; then one viewer at a time: p50 ${singleP50.toFixed(1)} ms over ${single.length} views; page ${(html.length / 1024).toFixed(0)} KB`,
      );
      for (let i = 0; i < opts.runs; i++)
        result.runs.push(await loadRun(server, opts, { path: `/reports/${reportId}`, headers }));
      log(`report: p50 ${result.runs.map((r) => r.p50).join(', ')} ms`);
    }

    if (otherReports.length) {
      // The same leader's reports of as many other rounds as there are connections, each
      // request another round: views that arrive together are of different rounds, as when
      // many leaders open their reports at once, so neither a batch of reads nor the kept
      // pages serve one round to all of them.
      const result: ScenarioResult = { scenario: 'report-rounds', database: kind, runs: [], checks: [], notes: [] };
      results.push(result);
      const headers = { cookie: leader.cookie };
      const paths = otherReports.map((id) => `/reports/${id}`);
      // Each one's first view, whose figures part is made then, as for the round above.
      let bytes = 0;
      for (const page of paths) {
        const response = await fetch(`${server.url}${page}`, { headers });
        bytes += (await response.arrayBuffer()).byteLength;
        if (response.status !== 200) out.failures.push(`[${kind}] ${page} answered ${response.status}`);
      }
      result.notes.push(
        `${paths.length} rounds of ${opts.responsesPerOtherRound} responses without comments; pages of ${(bytes / paths.length / 1024).toFixed(0)} KB`,
      );
      let next = 0;
      const requests = [
        { headers, setupRequest: (request: object) => ({ ...request, path: paths[next++ % paths.length] }) },
      ];
      for (let i = 0; i < opts.runs; i++) result.runs.push(await loadRun(server, opts, { headers, requests }));
      log(`report, ${paths.length} rounds: p50 ${result.runs.map((r) => r.p50).join(', ')} ms`);
    }

    if (want('sign-in')) {
      const result = scenario('sign-in');
      for (let i = 0; i < opts.runs; i++) result.runs.push(await loadRun(server, opts, { path: '/sign-in' }));
      log(`sign-in page: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} req/s`);
    }

    if (want('launch')) {
      const result = scenario('launch');
      const form = await formToken(server.url, leader.cookie, '/account');
      for (const id of launches) {
        const before = sink.arrivals.length;
        const rss = sampleRss(server.pid);
        const start = performance.now();
        const res = await fetch(`${server.url}/collect/${id}/launch`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: form.token }).toString(),
        });
        await res.arrayBuffer();
        const ms = performance.now() - start;
        // Every invitation and the manager's email reach the SMTP sink.
        const delivered = (await sink.waitFor(before + opts.launchInvitees + 1, 300_000)) - start;
        result.runs.push({ ms, deliveredMs: delivered, errors: res.status === 303 ? 0 : 1, rss: rss.stop() });
      }
      log(`launch: ${result.runs.map((r) => r.ms!.toFixed(0)).join(', ')} ms`);
    }

    await server.stop();
    server = undefined;
    handle = await prepared.reopen();

    if (kind === 'postgres' && (want('survey-page') || want('submission'))) {
      await measureSurveyBaselines(handle.db, prepared.env.DATABASE_URL!, {
        survey,
        pageBytes,
        people,
        want,
        opts,
        log,
        results,
      });
    }

    if (want('submission')) {
      const result = results.find((r) => r.scenario === 'submission')!;
      const tally = await seed.submissionTally(handle.db, survey, survey.submitTokens.length + 1);
      // Requests still in flight when a run ends are answered after autocannon stopped
      // counting, so the thank-you pages counted may fall short of the responses, never exceed them.
      const thanked = result.runs.reduce((sum, run) => sum + (run.ok ?? 0), 0);
      result.checks.push(
        `${tally.responses} responses stored = ${tally.spent} links spent (${submitted} links sent, ${thanked} thank-you pages counted)`,
      );
      if (tally.responses !== tally.spent)
        out.failures.push(`[${kind}] ${tally.responses} responses but ${tally.spent} spent links`);
      if (thanked > tally.responses)
        out.failures.push(`[${kind}] ${thanked} thank-you pages but only ${tally.responses} responses`);
    }
    if (want('launch')) {
      const result = results.find((r) => r.scenario === 'launch')!;
      // Those sent already keep no address (leavesNoTrail): they count by being blank.
      const invitations = await handle.db
        .selectFrom('email_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name', '=', 'invitation')
        .where((eb) => eb.or([eb('to_address', 'like', 'launch-%'), eb('to_address', '=', '')]))
        .executeTakeFirstOrThrow();
      const expected = opts.launchInvitees * launches.length;
      result.checks.push(
        `${Number(invitations.n)} of ${expected} invitations in the outbox (queued in the launch's own transaction)`,
      );
      if (Number(invitations.n) !== expected)
        out.failures.push(`[${kind}] ${Number(invitations.n)} invitations queued, expected ${expected}`);
    }

    if (want('mail')) {
      const result = scenario('mail');
      for (let i = 0; i < opts.runs; i++) {
        await seed.seedOutbox(handle.db, opts.mailMessages, `mail-${i}`, 'http://127.0.0.1');
        await handle.close();
        handle = undefined;
        const before = sink.arrivals.length;
        server = await startProcess('src/main.ts', env);
        const rss = sampleRss(server.pid);
        const start = performance.now();
        const last = await sink.waitFor(before + opts.mailMessages, 600_000);
        const seconds = (last - start) / 1000;
        result.runs.push({ perSecond: opts.mailMessages / seconds, errors: 0, rss: rss.stop() });
        await server.stop();
        server = undefined;
        handle = await prepared.reopen();
      }
      const failed = await handle.db
        .selectFrom('email_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'sent')
        .executeTakeFirstOrThrow();
      result.checks.push(`${Number(failed.n)} emails left unsent or failed`);
      if (Number(failed.n) !== 0) out.failures.push(`[${kind}] ${Number(failed.n)} emails were not sent`);
      log(`mail: ${result.runs.map((r) => r.perSecond!.toFixed(0)).join(', ')} messages/s`);
    }

    for (const result of results) {
      const errors = result.runs.reduce((sum, run) => sum + run.errors, 0);
      if (errors) out.failures.push(`[${kind}] ${result.scenario}: ${errors} errors`);
    }
    out.results.push(...results);
  } catch (error) {
    if (server) opts.log(`server stderr:\n${server.errors()}`);
    throw error;
  } finally {
    await server?.stop();
    await handle?.close();
    await prepared.dispose();
  }
}

export async function runBench(opts: BenchOptions): Promise<BenchResults> {
  const cpuList = cpus();
  const out: BenchResults = {
    date: new Date(),
    machine: { cpu: cpuList[0]?.model.trim() ?? 'unknown', cores: cpuList.length, memoryGb: totalmem() / 1024 ** 3 },
    node: process.version,
    databaseVersions: {},
    options: {
      duration: opts.duration,
      runs: opts.runs,
      connections: opts.connections,
      databases: opts.databases,
      scenarios: opts.scenarios,
      reportResponses: opts.reportResponses,
      otherRounds: opts.otherRounds,
      responsesPerOtherRound: opts.responsesPerOtherRound,
      launchInvitees: opts.launchInvitees,
      mailMessages: opts.mailMessages,
    },
    results: [],
    failures: [],
  };
  const sink = await startSmtpSink();
  try {
    const bare = await startProcess('bench/bare-express.ts', {});
    const ceiling: ScenarioResult = { scenario: 'bare-express', database: null, runs: [], checks: [], notes: [] };
    try {
      for (let i = 0; i < opts.runs; i++) ceiling.runs.push(await loadRun(bare, opts, { path: '/' }));
    } finally {
      await bare.stop();
    }
    out.results.push(ceiling);
    const bareRps = summary(ceiling.runs, 'rps')!.median;
    opts.log(`bare Express: ${ceiling.runs.map((r) => r.rps!.toFixed(0)).join(', ')} req/s`);
    for (const kind of opts.databases) await benchDatabase(kind, opts, sink, bareRps, out);
  } finally {
    await sink.close();
  }
  return out;
}
