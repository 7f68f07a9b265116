// `npm run bench`: runs every scenario on PostgreSQL and PGlite, prints the results and
// writes them into docs/BENCHMARKS.md. `npm run bench -- --smoke` is a quick run that writes
// nothing. Knobs (environment):
//   BENCH_DURATION   seconds per load run (10)        BENCH_RUNS         runs per scenario (3)
//   BENCH_CONNECTIONS concurrent connections (50)     BENCH_DATABASES    postgres,pglite
//   BENCH_SCENARIOS  survey-page,submission,report,sign-in,launch,mail
//   BENCH_REPORT_RESPONSES (100000)  BENCH_OTHER_ROUNDS (1000)  BENCH_OTHER_RESPONSES (20)
//   BENCH_CLOSE_RESPONSES (100000; 0 skips) the close of a round of sealed responses (bench/close-round.ts)
//   BENCH_CPU_PROF   a folder: the app (first start per database) writes a V8 CPU profile there
//   BENCH_NODE_ARGS  more Node flags for the app, after production's own (a later flag wins),
//                    for trying a setting without editing the start command
//   DATABASE_URL     an existing PostgreSQL database to use as it is; unset, a fresh database
//                    is created on BENCH_POSTGRES_ADMIN_URL (postgres://postgres@127.0.0.1:5432)
//                    and dropped afterwards
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from '../src/db/connect.ts';
import { runBench, SCENARIOS, type BenchOptions, type ScenarioName } from './harness.ts';
import { mergeInto, renderMarkdown } from './report.ts';
import { runCloseBench } from './close-round.ts';

const DOC = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));

const env = process.env;
const smoke = process.argv.includes('--smoke');
const write = !smoke && !process.argv.includes('--no-write');
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const list = <T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] => {
  const items = (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items)
    if (!allowed.includes(item as T)) throw new Error(`${name}: unknown "${item}" (known: ${allowed.join(', ')})`);
  return items.length ? (items as T[]) : [...fallback];
};

const options: BenchOptions = {
  duration: number('BENCH_DURATION', smoke ? 1 : 10),
  runs: number('BENCH_RUNS', smoke ? 1 : 3),
  connections: number('BENCH_CONNECTIONS', 50),
  databases: list<DatabaseKind>('BENCH_DATABASES', ['postgres', 'pglite'], ['postgres', 'pglite']),
  scenarios: list<ScenarioName>('BENCH_SCENARIOS', SCENARIOS, SCENARIOS),
  postgresAdminUrl: env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  postgresUrl: env.DATABASE_URL || undefined,
  reportResponses: number('BENCH_REPORT_RESPONSES', smoke ? 1_000 : 100_000),
  otherRounds: number('BENCH_OTHER_ROUNDS', smoke ? 10 : 1_000),
  responsesPerOtherRound: number('BENCH_OTHER_RESPONSES', smoke ? 10 : 20),
  launchInvitees: number('BENCH_LAUNCH_INVITEES', smoke ? 50 : 1_000),
  mailMessages: number('BENCH_MAIL_MESSAGES', smoke ? 100 : 5_000),
  log: (line) => console.log(line),
  // BENCH_CPU_PROF=<folder>: the app writes a V8 CPU profile there when it stops.
  nodeArgs: [
    ...(env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : []),
    ...(env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  ],
};

const started = performance.now();
const results = await runBench(options);
const close = await runCloseBench({ ...options, responses: number('BENCH_CLOSE_RESPONSES', smoke ? 200 : 100_000) });
results.failures.push(...close.failures);
const markdown = `${renderMarkdown(results)}${close.lines.length ? `\n\nClosing a round:\n\n${close.lines.join('\n')}` : ''}`;
console.log(`\n${markdown}\n\nTook ${((performance.now() - started) / 1000).toFixed(0)} s.`);
if (write) {
  const existing = await readFile(DOC, 'utf8').catch(() => undefined);
  await writeFile(DOC, mergeInto(existing, markdown));
  console.log(`Written to ${DOC}.`);
}
if (results.failures.length) {
  console.error(`\nFailed:\n${results.failures.map((f) => `- ${f}`).join('\n')}`);
  process.exitCode = 1;
}
