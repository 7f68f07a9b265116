// The benchmark: seeds its own data, starts the real app in production mode on loopback (on
// PostgreSQL and on PGlite) and loads each scenario with autocannon. A scenario with a
// ceiling is measured in turns with it, run by run (the app, then its ceiling, then the app
// again…), and its figure is the median of the per-run ratios: on this shared machine the
// speed moves between minutes, and a pair of neighbouring runs sees the same machine.
// bench/run.ts prints and writes the results; tests/bench/smoke.test.ts runs a short version.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import pg from 'pg';
import autocannon, { type Request } from 'autocannon';
import { connectPglite, connectPostgres, type DatabaseHandle, type DatabaseKind } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { peakRssOf, startProcess, sampleRss, type ServerProcess } from './processes.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import * as seed from './seed.ts';
import { pgbenchAvailable, prepareSpendAlone } from './database-alone.ts';
import { hashToken } from '../src/lib/tokens.ts';
import { linkQuery } from '../src/survey/queries.ts';

/** The app's PostgreSQL pool (DATABASE_POOL_SIZE's default): the clients pgbench gets. */
const APP_POOL_SIZE = 10;

/** `start` and `wasm-flags` are PGlite's alone; the others run on every database asked for. */
export const SCENARIOS = ['survey-page', 'submission', 'report', 'launch', 'mail', 'start', 'wasm-flags'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The V8 WebAssembly flags compared on PGlite: none (the start command as it is), then each. */
export const WASM_FLAGS = ['', '--liftoff-only', '--no-wasm-tier-up'] as const;

export interface BenchOptions {
  /** Seconds per load run. */
  duration: number;
  runs: number;
  connections: number;
  /** Connections of the report's load runs (a report has two readers). */
  reportConnections: number;
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
  /** Survey links seeded per second of a submission run (more than the app can spend). */
  linksPerSecond: number;
  /** The variants of `start` and `wasm-flags`: Node flags each, '' for none. */
  wasmFlags: string[];
  /**
   * How long after a start answers /healthz its peak memory is read, and load may begin: V8
   * goes on compiling PGlite's WebAssembly in the background after the app is ready.
   */
  settleMs: number;
  /** Said in the report's first line, e.g. "quick run". */
  label?: string;
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
  /** Peak resident memory of the server process during the run, in bytes (0: not measured). */
  rss: number;
  /** This run's rps over its ceiling's run taken next to it. */
  ratio?: number;
}

export type RowName = ScenarioName | 'bare-page' | 'spend-alone';

export interface ScenarioResult {
  scenario: RowName;
  database: DatabaseKind;
  runs: RunFigures[];
  /** Facts checked after the runs, e.g. one response per spent link. */
  checks: string[];
  /** Something worth a line in the report. */
  notes: string[];
  /** The report: its first view after a fresh start of the app, in ms. */
  firstViewMs?: number;
}

/** Two starts of the app on PGlite: on an empty data folder and compile cache, then again. */
export interface StartFigures {
  emptyPeak: number;
  emptyReadyMs: number;
  laterPeak: number;
  laterReadyMs: number;
}

/** One variant of V8's WebAssembly flags on PGlite. */
export interface WasmVariant {
  flags: string;
  start?: StartFigures;
  /** Load runs on a seeded copy; `ratio` is to the first variant's run of the same turn. */
  survey: RunFigures[];
  submission: RunFigures[];
}

export interface BenchResults {
  date: Date;
  machine: { cpu: string; cores: number; memoryGb: number };
  node: string;
  databaseVersions: Partial<Record<DatabaseKind, string>>;
  options: Omit<BenchOptions, 'log' | 'postgresAdminUrl' | 'postgresUrl'>;
  results: ScenarioResult[];
  wasm: WasmVariant[];
  /** Problems that must fail the run (errors, broken exactly-once). */
  failures: string[];
}

const SESSION_SECRET = randomBytes(32).toString('hex');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const flagList = (flags: string) => flags.split(/\s+/).filter(Boolean);

interface Load {
  path?: string;
  requests?: Request[];
  headers?: Record<string, string>;
  connections?: number;
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
    connections: load.connections ?? opts.connections,
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

/**
 * One submission run: POSTs of `body`, each request spending its own link of `tokens`. Stops
 * early (and says so) if the links run out, so no request spends a link twice.
 */
async function submissionRun(
  server: ServerProcess,
  opts: BenchOptions,
  tokens: string[],
  body: string,
): Promise<{ figures: RunFigures; sent: number; ranOut: boolean }> {
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
  return { figures, sent: Math.min(next, tokens.length), ranOut };
}

/** Links for one submission run: more than the app spends in it. */
const linksPerRun = (opts: BenchOptions) => Math.ceil(opts.duration * opts.linksPerSecond) + 200;

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

const appEnv = (sink: SmtpSink, database: Record<string, string>) => ({
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  SESSION_SECRET,
  SMTP_URL: sink.url,
  ...database,
});

/** Starts the app and waits for its start to settle, so that what follows is not the start. */
async function startApp(opts: BenchOptions, env: Record<string, string>, flags = ''): Promise<ServerProcess> {
  const server = await startProcess('src/main.ts', env, [...(opts.nodeArgs ?? []), ...flagList(flags)]);
  await sleep(opts.settleMs);
  return server;
}

/**
 * PGlite's peak memory at start, per variant of the WebAssembly flags: the app on an empty
 * data folder with an empty compile cache (initdb, migrations, every module stripped and
 * compiled), then again on the same two (a later start). The peak is the kernel's VmHWM,
 * read once the start has settled.
 */
async function measureStarts(opts: BenchOptions, sink: SmtpSink, out: BenchResults): Promise<void> {
  for (const flags of opts.wasmFlags) {
    const data = await mkdtemp(path.join(tmpdir(), 'upward-bench-start-'));
    const cache = await mkdtemp(path.join(tmpdir(), 'upward-bench-cache-'));
    try {
      const env = appEnv(sink, { DATA_DIR: data, NODE_COMPILE_CACHE: cache });
      const once = async () => {
        const server = await startApp(opts, env, flags);
        const figures = { peak: peakRssOf(server.pid), readyMs: server.readyMs };
        await server.stop();
        return figures;
      };
      const empty = await once();
      const later = await once();
      const start = {
        emptyPeak: empty.peak,
        emptyReadyMs: empty.readyMs,
        laterPeak: later.peak,
        laterReadyMs: later.readyMs,
      };
      variantOf(out, flags).start = start;
      opts.log(
        `[pglite] start ${flags || 'without flags'}: ${mb(start.emptyPeak)} MB (ready ${start.emptyReadyMs.toFixed(0)} ms), later ${mb(start.laterPeak)} MB (${start.laterReadyMs.toFixed(0)} ms)`,
      );
    } finally {
      await rm(data, { recursive: true, force: true });
      await rm(cache, { recursive: true, force: true });
    }
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 ** 2);

function variantOf(out: BenchResults, flags: string): WasmVariant {
  let variant = out.wasm.find((v) => v.flags === flags);
  if (!variant) out.wasm.push((variant = { flags, survey: [], submission: [] }));
  return variant;
}

/**
 * What each variant of the WebAssembly flags costs the survey page and the submission on
 * PGlite: one seeded folder copied per variant, an app started on each, and the variants
 * loaded in turns, run after run; each run's ratio is to the first variant's (no flags) run
 * of the same turn. The apps wait idle while another is loaded.
 */
async function benchWasmFlags(opts: BenchOptions, sink: SmtpSink, out: BenchResults): Promise<void> {
  const prepared = await prepareDatabase('pglite', opts);
  const copies: string[] = [];
  const servers: ServerProcess[] = [];
  try {
    await migrateToLatest(prepared.handle.db);
    const people = await seed.seedPeople(prepared.handle.db);
    const perRun = linksPerRun(opts);
    const survey = await seed.seedSurveyRound(prepared.handle.db, people, perRun * opts.runs);
    await seed.settle(prepared.handle.db);
    await prepared.handle.close();
    for (const flags of opts.wasmFlags) {
      const copy = await mkdtemp(path.join(tmpdir(), 'upward-bench-wasm-'));
      copies.push(copy);
      await cp(prepared.env.DATA_DIR!, copy, { recursive: true });
      servers.push(await startApp(opts, appEnv(sink, { DATA_DIR: copy }), flags));
    }
    const variants = opts.wasmFlags.map((flags) => variantOf(out, flags));
    const body = seed.surveyBody(survey);
    for (let i = 0; i < opts.runs; i++) {
      // Each turn starts with another variant, so that none is always first or last.
      const order = servers.map((_, k) => (i + k) % servers.length);
      for (const v of order)
        variants[v]!.survey[i] = await loadRun(servers[v]!, opts, { path: `/s/${survey.pageToken}` });
      for (const v of order) {
        const tokens = survey.submitTokens.slice(i * perRun, (i + 1) * perRun);
        const run = await submissionRun(servers[v]!, opts, tokens, body);
        if (run.ranOut) out.failures.push(`[pglite] wasm ${opts.wasmFlags[v] || 'none'}: a run used all its links`);
        variants[v]!.submission[i] = run.figures;
      }
    }
    for (const variant of variants)
      for (const field of ['survey', 'submission'] as const)
        variant[field].forEach((run, i) => (run.ratio = run.rps! / variants[0]![field][i]!.rps!));
    for (const variant of variants) {
      const errors = [...variant.survey, ...variant.submission].reduce((sum, run) => sum + run.errors, 0);
      if (errors) out.failures.push(`[pglite] wasm ${variant.flags || 'none'}: ${errors} errors`);
      opts.log(
        `[pglite] ${variant.flags || 'no flags'}: survey ${variant.survey.map((r) => r.rps!.toFixed(0)).join(', ')} req/s, submission ${variant.submission.map((r) => r.rps!.toFixed(0)).join(', ')} req/s`,
      );
    }
  } finally {
    for (const server of servers) await server.stop();
    await prepared.handle.close().catch(() => {});
    await prepared.dispose();
    for (const copy of copies) await rm(copy, { recursive: true, force: true });
  }
}

async function benchDatabase(kind: DatabaseKind, opts: BenchOptions, sink: SmtpSink, out: BenchResults): Promise<void> {
  const want = (name: ScenarioName) => opts.scenarios.includes(name);
  const log = (line: string) => opts.log(`[${kind}] ${line}`);
  const prepared = await prepareDatabase(kind, opts);
  out.databaseVersions[kind] = prepared.version;
  // PostgreSQL serves the harness and the app at once: the ceilings run beside the app, and
  // the tallies are read while it runs. PGlite belongs to one process: the harness lets go
  // of it while the app runs.
  const shared = kind === 'postgres';
  const pgbench = shared && pgbenchAvailable();
  if (shared && !pgbench) log('pgbench is not installed: the submission has no ceiling');
  let handle: DatabaseHandle | undefined = prepared.handle;
  let server: ServerProcess | undefined;
  const env = appEnv(sink, prepared.env);
  const reopen = async () => (handle ??= await prepared.reopen());
  const letGo = async () => {
    if (shared) return;
    await handle?.close();
    handle = undefined;
  };
  try {
    await migrateToLatest(handle.db);
    const db = handle.db;
    const started = performance.now();
    log('seeding');
    const people = await seed.seedPeople(db);
    const leader = await seed.seedSession(db, SESSION_SECRET, people.leaderId);
    const perRun = linksPerRun(opts);
    const survey = await seed.seedSurveyRound(db, people, want('submission') ? perRun * opts.runs : 0);
    const report = want('report')
      ? await seed.seedReportRound(db, people, {
          responses: opts.reportResponses,
          others: opts.otherRounds,
          perOther: opts.responsesPerOtherRound,
        })
      : undefined;
    const reportId = report?.id;
    // The submission's ceiling: pgbench spending survey links of a round of its own.
    const spendAlone =
      pgbench && want('submission')
        ? await prepareSpendAlone(db, prepared.env.DATABASE_URL!, await seed.seedSurveyRound(db, people, 0), {
            clients: APP_POOL_SIZE,
            duration: opts.duration,
            runs: opts.runs,
          })
        : undefined;
    // Before the report's results are computed, as a closing round's tables would have been.
    await seed.settle(db);
    const resultsMs = reportId ? await seed.storeReportResults(db, reportId) : undefined;
    const launches: string[] = [];
    if (want('launch'))
      for (let i = 0; i < opts.runs; i++)
        launches.push(await seed.seedLaunchRequest(db, people, opts.launchInvitees, `launch-${i}`));
    log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await letGo();

    server = await startApp(opts, env);
    const results: ScenarioResult[] = [];
    const row = (name: RowName) => {
      const result: ScenarioResult = { scenario: name, database: kind, runs: [], checks: [], notes: [] };
      results.push(result);
      return result;
    };
    const startNote = `the app's start before it (seeded folder, warm compile cache): ready in ${server.readyMs.toFixed(0)} ms, peak RSS ${mb(peakRssOf(server.pid))} MB`;

    if (want('survey-page')) {
      const result = row('survey-page');
      result.notes.push(startNote);
      const pagePath = `/s/${survey.pageToken}`;
      // The page as sent, for the bare version of it.
      const pageBytes = Buffer.from(await (await fetch(server.url + pagePath)).arrayBuffer());
      const bare = shared
        ? await startBarePage(db, prepared.env.DATABASE_URL!, survey.pageToken, pageBytes)
        : undefined;
      const ceiling = bare ? row('bare-page') : undefined;
      try {
        for (let i = 0; i < opts.runs; i++) {
          const app = await loadRun(server, opts, { path: pagePath });
          if (bare && ceiling) {
            const alone = await loadRun(bare, opts, { path: '/page' });
            ceiling.runs.push(alone);
            app.ratio = app.rps! / alone.rps!;
          }
          result.runs.push(app);
        }
      } finally {
        await bare?.stop();
      }
      log(
        `survey page: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} req/s; bare page ${ceiling?.runs.map((r) => r.rps!.toFixed(0)).join(', ') ?? '–'}`,
      );
    }

    let submitted = 0;
    if (want('submission')) {
      const result = row('submission');
      const ceiling = spendAlone ? row('spend-alone') : undefined;
      const body = seed.surveyBody(survey);
      for (let i = 0; i < opts.runs; i++) {
        const tokens = survey.submitTokens.slice(i * perRun, (i + 1) * perRun);
        const run = await submissionRun(server, opts, tokens, body);
        if (run.ranOut) result.notes.push(`run ${i + 1} used all ${tokens.length} links and stopped early`);
        submitted += run.sent;
        if (spendAlone && ceiling) {
          const alone = await spendAlone.run(i);
          ceiling.runs.push(alone);
          run.figures.ratio = run.figures.rps! / alone.rps!;
        }
        result.runs.push(run.figures);
      }
      log(
        `submission: ${result.runs.map((r) => r.rps!.toFixed(0)).join(', ')} req/s; database alone ${ceiling?.runs.map((r) => r.rps!.toFixed(0)).join(', ') ?? '–'}`,
      );
    }

    if (reportId) {
      const result = row('report');
      // A fresh start: the first view pays for every cold cache there is.
      await server.stop();
      server = await startApp(opts, env);
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
      result.firstViewMs = firstMs;
      result.notes.push(
        `computing and storing its results, as closing it does: ${resultsMs!.toFixed(0)} ms`,
        `page ${(html.length / 1024).toFixed(0)} KB`,
      );
      for (let i = 0; i < opts.runs; i++)
        result.runs.push(
          await loadRun(server, opts, {
            path: `/reports/${reportId}`,
            headers,
            connections: opts.reportConnections,
          }),
        );
      log(`report: first view ${firstMs.toFixed(0)} ms, p50 ${result.runs.map((r) => r.p50).join(', ')} ms`);
    }

    if (want('launch')) {
      const result = row('launch');
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
    const db2 = (await reopen()).db;

    if (want('submission')) {
      const result = results.find((r) => r.scenario === 'submission')!;
      const tally = await seed.submissionTally(db2, survey, survey.submitTokens.length + 1);
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
      const invitations = await db2
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
      const result = row('mail');
      for (let i = 0; i < opts.runs; i++) {
        await seed.seedOutbox((await reopen()).db, opts.mailMessages, `mail-${i}`, 'http://127.0.0.1');
        await letGo();
        const before = sink.arrivals.length;
        server = await startProcess('src/main.ts', env, opts.nodeArgs);
        const rss = sampleRss(server.pid);
        const start = performance.now();
        const last = await sink.waitFor(before + opts.mailMessages, 600_000);
        const seconds = (last - start) / 1000;
        result.runs.push({ perSecond: opts.mailMessages / seconds, errors: 0, rss: rss.stop() });
        await server.stop();
        server = undefined;
      }
      const failed = await (
        await reopen()
      ).db
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
      reportConnections: opts.reportConnections,
      databases: opts.databases,
      scenarios: opts.scenarios,
      reportResponses: opts.reportResponses,
      otherRounds: opts.otherRounds,
      responsesPerOtherRound: opts.responsesPerOtherRound,
      launchInvitees: opts.launchInvitees,
      mailMessages: opts.mailMessages,
      linksPerSecond: opts.linksPerSecond,
      wasmFlags: opts.wasmFlags,
      settleMs: opts.settleMs,
      label: opts.label,
      nodeArgs: opts.nodeArgs,
    },
    results: [],
    wasm: [],
    failures: [],
  };
  const sink = await startSmtpSink();
  try {
    for (const kind of opts.databases) await benchDatabase(kind, opts, sink, out);
    if (opts.databases.includes('pglite')) {
      if (opts.scenarios.includes('start')) await measureStarts(opts, sink, out);
      if (opts.scenarios.includes('wasm-flags') && opts.wasmFlags.length) await benchWasmFlags(opts, sink, out);
    }
  } finally {
    await sink.close();
  }
  return out;
}
