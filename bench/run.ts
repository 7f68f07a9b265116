// `npm run bench`: runs every scenario on PostgreSQL and PGlite, prints the results and
// writes them into docs/BENCHMARKS.md. `npm run bench -- --quick` is a short run (fewer and
// shorter runs, less data) that still writes, and says so; `-- --smoke` is seconds long and
// writes nothing; `-- --no-write` only prints. Knobs (environment):
//   BENCH_DURATION   seconds per load run (10)        BENCH_RUNS         runs per scenario (3)
//   BENCH_CONNECTIONS concurrent connections (50)     BENCH_REPORT_CONNECTIONS the report's (5)
//   BENCH_DATABASES  postgres,pglite
//   BENCH_SCENARIOS  survey-page,submission,report,launch,mail,start,wasm-flags
//                    (start and wasm-flags are PGlite's: its memory at start, and the flags compared)
//   BENCH_WASM_FLAGS the variants compared, comma-separated, "none" for none; flags within a
//                    variant by spaces (none,--liftoff-only,--no-wasm-tier-up)
//   BENCH_REPORT_RESPONSES (100000)  BENCH_OTHER_ROUNDS (1000)  BENCH_OTHER_RESPONSES (20)
//   BENCH_LINKS_PER_SECOND survey links seeded per second of a submission run (6000)
//   BENCH_SETTLE_MS  wait after each start of the app before its peak is read or load begins (3000)
//   BENCH_CLOSE_RESPONSES (100000; 0 skips) the close of a round of sealed responses (bench/close-round.ts)
//   BENCH_CLOSE_RESPONSES_PGLITE (PGLITE_RESPONSES there) the same on PGlite, fewer: seeding is slow
//   BENCH_CPU_PROF   a folder: the app (first start per database) writes a V8 CPU profile there
//   BENCH_NODE_ARGS  more Node flags for the app, after production's own (a later flag wins),
//                    for trying a setting without editing the start command
//   DATABASE_URL     an existing PostgreSQL database to use as it is; unset, a fresh database
//                    is created on BENCH_POSTGRES_ADMIN_URL (postgres://postgres@127.0.0.1:5432)
//                    and dropped afterwards
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from '../src/db/connect.ts';
import { runBench, SCENARIOS, WASM_FLAGS, type BenchOptions, type ScenarioName } from './harness.ts';
import { mergeInto, renderMarkdown } from './report.ts';
import { PGLITE_RESPONSES, runCloseBench } from './close-round.ts';

const DOC = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));

const env = process.env;
const smoke = process.argv.includes('--smoke');
const quick = !smoke && process.argv.includes('--quick');
/** The full run's figure, --quick's, --smoke's. */
const pick = <T>(full: T, short: T, tiny: T) => (smoke ? tiny : quick ? short : full);
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

const wasmFlags = (
  env.BENCH_WASM_FLAGS ?? (smoke ? 'none,--liftoff-only' : WASM_FLAGS.map((f) => f || 'none').join(','))
)
  .split(',')
  .map((variant) => (variant.trim() === 'none' ? '' : variant.trim()));

const options: BenchOptions = {
  duration: number('BENCH_DURATION', pick(10, 3, 1)),
  runs: number('BENCH_RUNS', pick(3, 2, 1)),
  connections: number('BENCH_CONNECTIONS', 50),
  reportConnections: number('BENCH_REPORT_CONNECTIONS', 5),
  databases: list<DatabaseKind>('BENCH_DATABASES', ['postgres', 'pglite'], ['postgres', 'pglite']),
  scenarios: list<ScenarioName>('BENCH_SCENARIOS', SCENARIOS, SCENARIOS),
  postgresAdminUrl: env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  postgresUrl: env.DATABASE_URL || undefined,
  reportResponses: number('BENCH_REPORT_RESPONSES', pick(100_000, 100_000, 1_000)),
  otherRounds: number('BENCH_OTHER_ROUNDS', pick(1_000, 100, 10)),
  responsesPerOtherRound: number('BENCH_OTHER_RESPONSES', pick(20, 20, 10)),
  launchInvitees: number('BENCH_LAUNCH_INVITEES', pick(1_000, 1_000, 50)),
  mailMessages: number('BENCH_MAIL_MESSAGES', pick(5_000, 2_000, 100)),
  linksPerSecond: number('BENCH_LINKS_PER_SECOND', 6_000),
  settleMs: number('BENCH_SETTLE_MS', pick(3_000, 3_000, 500)),
  wasmFlags: wasmFlags.length && wasmFlags[0] === '' ? wasmFlags : ['', ...wasmFlags],
  label: pick(undefined, 'quick run (--quick)', 'smoke run (--smoke)'),
  log: (line) => console.log(line),
  // BENCH_CPU_PROF=<folder>: the app writes a V8 CPU profile there when it stops.
  nodeArgs: [
    ...(env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : []),
    ...(env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  ],
};

const started = performance.now();
const results = await runBench(options);
const close = await runCloseBench({
  ...options,
  responses: {
    postgres: number('BENCH_CLOSE_RESPONSES', pick(100_000, 2_000, 200)),
    pglite: number('BENCH_CLOSE_RESPONSES_PGLITE', pick(PGLITE_RESPONSES, 2_000, 200)),
  },
});
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
