// Turns a run's results into the Markdown that docs/BENCHMARKS.md holds between its
// `bench:start` / `bench:end` markers: each scenario's figures, the targets of issue 16 met or
// missed, and what V8's WebAssembly flags cost PGlite.
import { summary, type BenchResults, type RunFigures, type ScenarioResult, type WasmVariant } from './harness.ts';

export const START_MARK = '<!-- bench:start -->';
export const END_MARK = '<!-- bench:end -->';

const mb = (bytes: number) => Math.round(bytes / 1024 ** 2);
const pct = (n: number) => `${Math.round(n * 100)}%`;
const f = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function range(runs: RunFigures[], field: keyof RunFigures, format: (n: number) => string = (n) => f(n)): string {
  const s = summary(runs, field);
  if (!s) return '–';
  return runs.length > 1 ? `${format(s.median)} (${format(s.min)}–${format(s.max)})` : format(s.median);
}

const errorsOf = (runs: RunFigures[]) => runs.reduce((sum, run) => sum + run.errors, 0);
const peakOf = (runs: RunFigures[]) => Math.max(0, ...runs.map((run) => run.rss));

function title(result: ScenarioResult, results: BenchResults): string {
  const o = results.options;
  switch (result.scenario) {
    case 'survey-page':
      return 'survey page (GET /s/:token)';
    case 'bare-page':
      return '… its ceiling: bare Express running the page’s query (batched as in the app) and sending its bytes';
    case 'submission':
      return 'submission (POST, 12 answers, a fresh link each)';
    case 'spend-alone':
      return '… its ceiling: the database alone, the submission’s statement in pgbench, 10 clients (responses/s)';
    case 'report':
      return `report of a closed round of ${f(o.reportResponses)} responses, ${o.reportConnections} connections`;
    case 'launch':
      return `launch of a round to ${f(o.launchInvitees)} invitees`;
    case 'mail':
      return `mail worker to local SMTP, ${f(o.mailMessages)} messages (from the app's start)`;
    default:
      return result.scenario;
  }
}

interface Target {
  text: string;
  verdict: 'met' | 'missed' | 'not run';
  measured: string;
}

function targets(results: BenchResults): Target[] {
  const find = (scenario: ScenarioResult['scenario'], db: string) =>
    results.results.find((r) => r.scenario === scenario && r.database === db && r.runs.length);
  const out: Target[] = [];
  const check = <T>(text: string, subject: T | undefined, measure: (subject: T) => [boolean, string]) => {
    if (!subject) return out.push({ text, verdict: 'not run', measured: '–' });
    const [ok, measured] = measure(subject);
    out.push({ text, verdict: ok ? 'met' : 'missed', measured });
  };
  const ratio = (r: ScenarioResult) => summary(r.runs, 'ratio')?.median;
  const once = (db: string) => !results.failures.some((f) => f.startsWith(`[${db}]`) && /response|spent/.test(f));
  const dbs = results.options.databases;
  for (const db of dbs) {
    const page = find('survey-page', db);
    if (db === 'postgres') {
      check('[postgres] survey page ≥ 40% of its ceiling, p99 ≤ 50 ms', page, (r) => {
        const p99 = summary(r.runs, 'p99')!.median;
        const share = ratio(r);
        if (share === undefined) return [false, `no ceiling measured, p99 ${p99} ms`];
        return [share >= 0.4 && p99 <= 50, `${pct(share)}, p99 ${p99} ms`];
      });
      check(
        '[postgres] submission ≥ 85% of the database alone, 0 errors, one response per link',
        find('submission', db),
        (r) => {
          const share = ratio(r);
          const text = `${share === undefined ? 'no ceiling measured' : pct(share)}, ${errorsOf(r.runs)} errors, ${once(db) ? 'one response per spent link' : 'MISMATCH'}`;
          return [share !== undefined && share >= 0.85 && errorsOf(r.runs) === 0 && once(db), text];
        },
      );
    } else {
      check(`[${db}] survey page p99 ≤ 50 ms (no ceiling on ${db})`, page, (r) => {
        const p99 = summary(r.runs, 'p99')!.median;
        return [p99 <= 50, `p99 ${p99} ms`];
      });
      check(`[${db}] submission 0 errors, one response per link`, find('submission', db), (r) => [
        errorsOf(r.runs) === 0 && once(db),
        `${errorsOf(r.runs)} errors, ${once(db) ? 'one response per spent link' : 'MISMATCH'}`,
      ]);
    }
    const report = find('report', db);
    check(`[${db}] report p50 ≤ 20 ms at ${results.options.reportConnections} connections`, report, (r) => {
      const p50 = summary(r.runs, 'p50')!.median;
      return [p50 <= 20, `p50 ${p50} ms`];
    });
    check(`[${db}] report's first view after a fresh start ≤ 100 ms`, report, (r) => [
      r.firstViewMs! <= 100,
      `${Math.round(r.firstViewMs!)} ms`,
    ]);
    check(`[${db}] launch ≤ 1 s until the response`, find('launch', db), (r) => {
      const ms = summary(r.runs, 'ms')!.median;
      return [ms <= 1000, `${Math.round(ms)} ms`];
    });
    check(`[${db}] mail worker ≥ 200 messages/s`, find('mail', db), (r) => {
      const n = summary(r.runs, 'perSecond')!.median;
      return [n >= 200, `${Math.round(n)} messages/s`];
    });
    // Under load: the app's own runs, not its ceilings', nor the mail worker's, whose runs
    // begin the moment the app is ready and so hold the end of its start (its own row).
    const loaded = results.results.filter(
      (r) => r.database === db && !['bare-page', 'spend-alone', 'mail'].includes(r.scenario) && r.runs.length,
    );
    const peak = loaded.length ? Math.max(...loaded.map((r) => peakOf(r.runs))) : 0;
    const limit = db === 'postgres' ? 200 : 512;
    check(`[${db}] server peak RSS under load ≤ ${limit} MB`, peak || undefined, (p) => [
      mb(p) <= limit,
      `${mb(p)} MB`,
    ]);
  }
  if (dbs.includes('pglite')) {
    const none = results.wasm.find((v) => v.flags === '')?.start;
    check('[pglite] peak RSS at start, empty data folder and compile cache ≤ 512 MB', none, (s) => [
      mb(s.emptyPeak) <= 512,
      `${mb(s.emptyPeak)} MB, ready in ${f(s.emptyReadyMs / 1000, 1)} s`,
    ]);
    check('[pglite] peak RSS at a later start ≤ 512 MB', none, (s) => [
      mb(s.laterPeak) <= 512,
      `${mb(s.laterPeak)} MB, ready in ${f(s.laterReadyMs / 1000, 1)} s`,
    ]);
  }
  return out;
}

function wasmTable(variants: WasmVariant[]): string[] {
  const lines = [
    '| V8 flags on PGlite | peak RSS at start: empty folder and cache (ready) | later start (ready) | survey page req/s | vs none | p99 ms | submission req/s | vs none | p99 ms | peak RSS under load |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const start = (peak: number, ms: number) => `${mb(peak)} MB (${f(ms / 1000, 1)} s)`;
  for (const [i, v] of variants.entries()) {
    const s = v.start;
    const vs = (runs: RunFigures[]) => (i === 0 ? '–' : range(runs, 'ratio', pct));
    const runs = [...v.survey, ...v.submission];
    lines.push(
      `| ${v.flags ? `\`${v.flags}\`` : 'none'} | ${s ? start(s.emptyPeak, s.emptyReadyMs) : '–'} | ${s ? start(s.laterPeak, s.laterReadyMs) : '–'} | ${range(v.survey, 'rps')} | ${vs(v.survey)} | ${range(v.survey, 'p99')} | ${range(v.submission, 'rps')} | ${vs(v.submission)} | ${range(v.submission, 'p99')} | ${runs.length ? `${mb(peakOf(runs))} MB` : '–'} |`,
    );
  }
  return lines;
}

export function renderMarkdown(results: BenchResults): string {
  const o = results.options;
  const lines: string[] = [];
  lines.push(
    `${o.label ? `A ${o.label}` : 'Run'} of ${results.date.toISOString().replace('T', ' ').slice(0, 16)} UTC on ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb.toFixed(0)} GB memory.`,
  );
  lines.push(
    `Node ${results.node}; ${Object.values(results.databaseVersions).join('; ')}. autocannon, ${o.connections} connections (the report ${o.reportConnections}), ${o.duration} s per run, ${o.runs} run${o.runs === 1 ? '' : 's'} per scenario: median (min–max). A ceiling's runs take turns with the app's; "vs ceiling" is the median of the per-run ratios. Server, database and load generator share the machine.`,
  );
  lines.push('');
  lines.push('| scenario | database | req/s | vs ceiling | p50 ms | p99 ms | errors | peak RSS |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const result of results.results) {
    const errors = errorsOf(result.runs);
    const peak = peakOf(result.runs);
    const rss = peak ? `${mb(peak)} MB` : '–';
    const db = result.database;
    if (result.scenario === 'launch') {
      lines.push(
        `| ${title(result, results)}: until the response | ${db} | – | – | ${range(result.runs, 'ms')} | – | ${errors} | ${rss} |`,
      );
      lines.push(
        `| … until every invitation reached the SMTP server | ${db} | – | – | ${range(result.runs, 'deliveredMs')} | – | ${errors} | ${rss} |`,
      );
    } else if (result.scenario === 'mail') {
      lines.push(
        `| ${title(result, results)}: messages/s | ${db} | ${range(result.runs, 'perSecond')} msg/s | – | – | – | ${errors} | ${rss} |`,
      );
    } else {
      lines.push(
        `| ${title(result, results)} | ${db} | ${range(result.runs, 'rps')} | ${range(result.runs, 'ratio', pct)} | ${range(result.runs, 'p50')} | ${range(result.runs, 'p99')} | ${errors} | ${rss} |`,
      );
      if (result.firstViewMs !== undefined)
        lines.push(`| … its first view after a fresh start | ${db} | – | – | ${f(result.firstViewMs)} | – | – | – |`);
    }
  }
  lines.push('');
  lines.push('| target (issue 16) | measured | |');
  lines.push('|---|---|---|');
  for (const t of targets(results)) lines.push(`| ${t.text} | ${t.measured} | ${t.verdict} |`);
  if (results.wasm.length) {
    lines.push('');
    lines.push(...wasmTable(results.wasm));
  }
  const facts = results.results.flatMap((r) =>
    [...r.checks, ...r.notes].map((text) => `- ${r.scenario} [${r.database}]: ${text}`),
  );
  if (facts.length || results.failures.length) {
    lines.push('');
    lines.push(...facts);
    for (const failure of results.failures) lines.push(`- FAILED: ${failure}`);
  }
  lines.push('');
  lines.push(
    `Data: the report round has ${f(o.reportResponses)} responses of 12 answers (10 agree, 2 choice) and 30 comments, among ${f(o.otherRounds)} other closed rounds of ${o.responsesPerOtherRound} responses each; the submission round spends one fresh link per request.`,
  );
  return lines.join('\n');
}

/** Replaces the generated part of `existing` (between the markers), or builds the file anew. */
export function mergeInto(existing: string | undefined, generated: string): string {
  const block = `${START_MARK}\n${generated}\n${END_MARK}`;
  if (existing?.includes(START_MARK) && existing.includes(END_MARK)) {
    return (
      existing.slice(0, existing.indexOf(START_MARK)) +
      block +
      existing.slice(existing.indexOf(END_MARK) + END_MARK.length)
    );
  }
  return `# Benchmarks\n\nMeasured by \`npm run bench\` (bench/). The block below is rewritten by every run.\n\n${block}\n`;
}
