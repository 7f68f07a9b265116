// The database alone: PostgreSQL's own load generator, pgbench (in C, prepared statements),
// runs the submission's statement exactly as the app sends it, with as many clients as the
// app's pool has connections: the submission's ceiling. No app on top of it can store more
// submissions a second than the database stores with that statement alone on the same machine.
//
// Only on PostgreSQL, and only where `pgbench` is installed (Debian's postgresql-client).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import { spendQuery } from '../src/survey/queries.ts';
import { roundKey, sealAnswers } from '../src/survey/sealing.ts';
import { questionsOf } from '../src/rounds/round-queries.ts';
import type { RunFigures } from './harness.ts';
import { submissionTally, surveyAnswers } from './seed.ts';

export const pgbenchAvailable = (): boolean => spawnSync('pgbench', ['--version'], { stdio: 'ignore' }).status === 0;

interface Statement {
  sql: string;
  parameters: Array<{ name: string } | { value: unknown }>;
}

/**
 * The statement as a pgbench script line: each $n becomes a variable, with the named values
 * given in `values` (null: the script sets that variable itself).
 */
function scriptOf(
  statement: Statement,
  values: Record<string, string | null>,
): { line: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  const line = statement.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const parameter = statement.parameters[Number(n) - 1]!;
    if ('value' in parameter) {
      variables[`c${n}`] = String(parameter.value);
      return `:c${n}`;
    }
    if (!(parameter.name in values)) throw new Error(`database alone: no value for ${parameter.name}`);
    const value = values[parameter.name];
    if (value !== null && value !== undefined) variables[parameter.name] = value;
    return `:${parameter.name}`;
  });
  return { line: `${line.replace(/\s+/g, ' ').trim()};`, variables };
}

/** A PostgreSQL array literal of text values (NULL for null). */
const arrayLiteral = (values: Array<string | number | boolean | null>) =>
  `{${values.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? `"${v.replace(/["\\]/g, '\\$&')}"` : String(v))).join(',')}}`;

async function pgbench(
  url: string,
  script: string,
  variables: Record<string, string>,
  opts: { clients: number; duration: number },
): Promise<RunFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'upward-pgbench-'));
  try {
    const file = path.join(dir, 'script.sql');
    await writeFile(file, script);
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(opts.clients),
      '-j',
      '2',
      '-T',
      String(opts.duration),
      '-f',
      file,
    ];
    for (const [name, value] of Object.entries(variables)) args.push('-D', `${name}=${value}`);
    const child = spawn('pgbench', [...args, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
    const failed = /number of failed transactions: (\d+)/.exec(output);
    if (code !== 0 || !tps)
      throw new Error(`pgbench failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' / ')}`);
    return { rps: Number(tps[1]), errors: failed ? Number(failed[1]) : 0, rss: 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The submission's statement (spend the link, store its sealed row of twelve answers) in
 * pgbench, one submission per statement (the app batches those that arrive together,
 * src/db/fast-path/batches.ts), each with its own link: links numbered 1… are added to the
 * round (give it its own, so the app's submission tally is not touched), and each client
 * counts through its share. Seeds every run's links at once, before the app starts; `run(i)`
 * is then one run, taken in turns with the app's. Its figure is responses stored per second,
 * counted in the table.
 */
export async function prepareSpendAlone(
  db: Kysely<Database>,
  url: string,
  round: { id: string; questionIds: string[] },
  opts: { clients: number; duration: number; runs: number },
): Promise<{ run(i: number): Promise<RunFigures> }> {
  // More links per run than PostgreSQL could spend at 20,000 a second.
  const perRun = 20_000 * opts.duration;
  await sql`insert into survey_links (key, request_id) select g::text, ${round.id}::uuid from generate_series(1, ${perRun * opts.runs}) as g`.execute(
    db,
  );
  // One sealed row, as the app would seal these answers (its size is what matters here).
  const sealed = sealAnswers(
    roundKey('bench secret', round.id),
    await questionsOf(db, round.id),
    surveyAnswers(round).map((a) => ({ ...a, notApplicable: false })),
  );
  const { line: asSent, variables } = scriptOf(spendQuery.statement(db), {
    tokenHashes: null,
    requestIds: arrayLiteral([round.id]),
    nows: arrayLiteral([new Date().toISOString()]),
    sealed: arrayLiteral([sealed.toString('base64')]),
  });
  // pgbench's variables are numbers: the link's goes into the array in the statement.
  const line = asSent.replace(':tokenHashes::text[]', 'array[:tokenHash::text]');
  if (line === asSent) throw new Error('database alone: the submission statement no longer takes :tokenHashes::text[]');
  const script = `\\set i :i + 1\n\\set tokenHash :base + :i * ${opts.clients} + :client_id\n${line}\n`;
  const stored = async () => (await submissionTally(db, round, 0)).responses;
  return {
    async run(i) {
      const before = await stored();
      const figures = await pgbench(url, script, { ...variables, i: '0', base: String(i * perRun) }, opts);
      return { ...figures, rps: ((await stored()) - before) / opts.duration };
    },
  };
}
