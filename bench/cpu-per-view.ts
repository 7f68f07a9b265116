// `npm run bench:cpu`: the CPU time one survey view (or, with BENCH_PAGE=report, one view of
// a leader's report of a closed round) costs the server, at a fixed rate well below
// saturation, on PostgreSQL. Throughput on this shared two-core machine moves 20-50%
// between runs; CPU per view at a fixed rate moves far less, so a change of a few tens of
// microseconds (a middleware, a Node flag) can be told apart from the noise. Each variant
// starts its own server, and the variants take turns, round after round:
//
//   npm run bench:cpu                                  the app, and the bare page beside it
//   npm run bench:cpu -- app app@--max-old-space-size=4096 bare-page
//   BENCH_RATE=2500 BENCH_DURATION=8 BENCH_ROUNDS=3 npm run bench:cpu
//   BENCH_PAGE=report BENCH_RATE=1000 BENCH_REPORT_RESPONSES=100000 npm run bench:cpu -- app
//
// A variant is `app` (the production start command) or, for the survey page only,
// `bare-page` (bench/bare-express.ts: the page's own query and bytes, nothing else), each
// optionally followed by `@` and more Node flags, comma-separated. CPU time is the process's user + system time (/proc, 10 ms
// ticks); the load is autocannon's, 50 connections, after a 2-second warm-up at the same rate.
// The report's round is alone in its database (BENCH_REPORT_RESPONSES responses, no other
// rounds), as in a new deployment's first big round: that is how PostgreSQL's JIT was found
// compiling every report view (src/db/connect.ts), which the full benchmark's 1,000 other
// rounds had hidden.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { migrateToLatest } from '../src/db/migrator.ts';
import { prepareDatabase, startBarePage } from './harness.ts';
import { sampleRss, startProcess, type ServerProcess } from './processes.ts';
import * as seed from './seed.ts';

const env = process.env;
const rate = Number(env.BENCH_RATE ?? 2_500);
const seconds = Number(env.BENCH_DURATION ?? 8);
const rounds = Number(env.BENCH_ROUNDS ?? 3);
const report = env.BENCH_PAGE === 'report';
if (env.BENCH_PAGE && !report) throw new Error(`BENCH_PAGE: "${env.BENCH_PAGE}" is neither survey nor report`);
const variants = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (!variants.length) variants.push('app', 'bare-page');
for (const variant of variants) {
  if (!/^(app|bare-page)(@.+)?$/.test(variant))
    throw new Error(`unknown variant "${variant}" (app or bare-page, then @flag,flag)`);
  if (report && variant.startsWith('bare-page'))
    throw new Error('the bare page is the survey page’s: leave it out with BENCH_PAGE=report');
}

/** User + system CPU time of a process in microseconds (Linux clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

const prepared = await prepareDatabase('postgres', {
  postgresUrl: env.DATABASE_URL || undefined,
  postgresAdminUrl: env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
});
const url = prepared.env.DATABASE_URL!;
const secret = 'cpu-per-view-'.padEnd(64, '0');
const appEnv = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  SESSION_SECRET: secret,
  SMTP_URL: 'smtp://127.0.0.1:1',
  DATABASE_URL: url,
};
try {
  const db = prepared.handle.db;
  await migrateToLatest(db);
  const people = await seed.seedPeople(db);
  const survey = await seed.seedSurveyRound(db, people, 0);
  // The report scenario's round (bench/harness.ts), its leader signed in by a session cookie.
  const reportRound = report
    ? await seed.seedReportRound(db, people, {
        responses: Number(env.BENCH_REPORT_RESPONSES ?? 100_000),
        others: 0,
        perOther: 0,
      })
    : undefined;
  await seed.settle(db);
  if (reportRound) await seed.storeReportResults(db, reportRound.id);
  const headers = report ? { cookie: (await seed.seedSession(db, secret, people.leaderId)).cookie } : undefined;
  const pagePath = reportRound ? `/reports/${reportRound.id}` : `/s/${survey.pageToken}`;
  // The survey page's bytes as the app sends them, for the bare page: fetched once, by an app
  // started for it.
  let page: Buffer | undefined;
  const pageAsSent = async () => {
    if (!page) {
      const app = await startProcess('src/main.ts', appEnv);
      try {
        page = Buffer.from(await (await fetch(app.url + pagePath)).arrayBuffer());
      } finally {
        await app.stop();
      }
    }
    return page;
  };
  const start = async (variant: string): Promise<{ server: ServerProcess; path: string }> => {
    const [kind, flags = ''] = variant.split('@') as [string, string?];
    const nodeArgs = flags.split(',').filter(Boolean);
    if (kind === 'app') return { server: await startProcess('src/main.ts', appEnv, nodeArgs), path: pagePath };
    return { server: await startBarePage(db, url, survey.pageToken, await pageAsSent(), nodeArgs), path: '/page' };
  };
  console.log(
    `${report ? 'report' : 'survey page'}: ${rate} views/s for ${seconds} s, 50 connections, ${rounds} rounds; CPU µs per view (p50 / p99 ms, peak RSS)`,
  );
  const perView = new Map<string, number[]>(variants.map((v) => [v, []]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const { server, path } = await start(variant);
      try {
        const check = await fetch(server.url + path, { headers });
        if (check.status !== 200) throw new Error(`${variant}: ${path} answered ${check.status}`);
        await check.arrayBuffer();
        const load = (duration: number) =>
          autocannon({ url: server.url + path, connections: 50, duration, overallRate: rate, headers });
        await load(2);
        const rss = sampleRss(server.pid);
        const before = cpuMicros(server.pid);
        const result = await load(seconds);
        const micros = (cpuMicros(server.pid) - before) / result.requests.total;
        perView.get(variant)!.push(micros);
        const failed = result.errors + result.timeouts + result.non2xx;
        console.log(
          `${variant.padEnd(40)} ${micros.toFixed(0).padStart(5)} µs  (${result.latency.p50} / ${result.latency.p99} ms, ${Math.round(rss.stop() / 2 ** 20)} MB${failed ? `, ${failed} failed` : ''})`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  console.log('\nmedian CPU µs per view:');
  for (const [variant, values] of perView) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `${variant.padEnd(40)} ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0).padStart(5)}  (${sorted.map((v) => v.toFixed(0)).join(', ')})`,
    );
  }
} finally {
  await prepared.handle.close();
  await prepared.dispose();
}
