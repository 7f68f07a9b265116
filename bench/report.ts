// Turns a run's results into the Markdown that docs/BENCHMARKS.md holds between its
// `bench:start` / `bench:end` markers, with each figure's ratio to bare Express and the
// issue's targets met or missed.
import { summary, type BenchResults, type RunFigures, type ScenarioResult } from './harness.ts';

export const START_MARK = '<!-- bench:start -->';
export const END_MARK = '<!-- bench:end -->';

const TITLES: Record<ScenarioResult['scenario'], string> = {
  'bare-express': 'bare Express 5 hello world (ceiling)',
  'survey-page': 'survey page (GET /s/:token)',
  submission: 'survey submission (POST, 12 answers, fresh link each)',
  'bare-page': '… bare Express running the page’s query (batched as in the app) and sending its bytes',
  'lookup-alone': '… the database alone: the page’s query for one link in pgbench, 10 clients',
  'spend-alone': '… the database alone: the submission’s statement for one answer in pgbench, 10 clients (responses/s)',
  report: 'report page, closed round',
  'report-rounds': '… the same leader’s reports of other closed rounds, each request another round',
  'sign-in': 'sign-in request page (GET /sign-in)',
  launch: 'launch of a round',
  mail: 'mail worker to local SMTP',
};

const mb = (bytes: number) => Math.round(bytes / 1024 ** 2);

function range(runs: RunFigures[], field: keyof RunFigures, digits = 0, unit = ''): string {
  const s = summary(runs, field);
  if (!s) return '–';
  const f = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return runs.length > 1 ? `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)})` : `${f(s.median)}${unit}`;
}

function ratio(runs: RunFigures[], bare: number): string {
  const s = summary(runs, 'rps');
  return s && bare ? `${Math.round((s.median / bare) * 100)}%` : '–';
}

function title(result: ScenarioResult, results: BenchResults): string {
  const o = results.options;
  if (result.scenario === 'report') return `${TITLES.report}, ${o.reportResponses.toLocaleString('en-GB')} responses`;
  if (result.scenario === 'report-rounds') {
    return `… the leader’s reports of ${o.connections} other closed rounds (${o.responsesPerOtherRound} responses each), each request another round`;
  }
  if (result.scenario === 'launch') return `${TITLES.launch} to ${o.launchInvitees.toLocaleString('en-GB')} invitees`;
  if (result.scenario === 'mail') return `${TITLES.mail}, ${o.mailMessages.toLocaleString('en-GB')} messages`;
  return TITLES[result.scenario];
}

interface Target {
  text: string;
  verdict: 'met' | 'missed' | 'not run';
  measured: string;
}

function targets(results: BenchResults, bare: number): Target[] {
  const find = (scenario: ScenarioResult['scenario'], db: string) =>
    results.results.find((r) => r.scenario === scenario && r.database === db);
  const out: Target[] = [];
  const check = (
    text: string,
    result: ScenarioResult | undefined,
    measure: (r: ScenarioResult) => [boolean, string],
  ) => {
    if (!result) return out.push({ text, verdict: 'not run', measured: '–' });
    const [ok, measured] = measure(result);
    out.push({ text, verdict: ok ? 'met' : 'missed', measured });
  };
  const rps = (r: ScenarioResult) => summary(r.runs, 'rps')!.median / bare;
  const errors = (r: ScenarioResult) => r.runs.reduce((sum, run) => sum + run.errors, 0);
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  for (const db of results.options.databases) {
    check(`[${db}] survey page ≥ 50% of bare Express, p99 ≤ 50 ms`, find('survey-page', db), (r) => {
      const p99 = summary(r.runs, 'p99')!.median;
      return [rps(r) >= 0.5 && p99 <= 50, `${pct(rps(r))}, p99 ${p99} ms`];
    });
    const floor = db === 'postgres' ? 0.35 : 0.2;
    check(
      `[${db}] submission ≥ ${pct(floor)} of bare Express, 0 errors, one response per link`,
      find('submission', db),
      (r) => {
        const once = !results.failures.some((f) => f.startsWith(`[${db}]`) && /response|spent/.test(f));
        return [
          rps(r) >= floor && errors(r) === 0 && once,
          `${pct(rps(r))}, ${errors(r)} errors, ${once ? 'one response per spent link' : 'MISMATCH'}`,
        ];
      },
    );
    check(`[${db}] report page p50 ≤ 20 ms`, find('report', db), (r) => {
      const p50 = summary(r.runs, 'p50')!.median;
      return [p50 <= 20, `p50 ${p50} ms`];
    });
    check(`[${db}] launch ≤ 1 s until the response`, find('launch', db), (r) => {
      const ms = summary(r.runs, 'ms')!.median;
      return [ms <= 1000, `${Math.round(ms)} ms`];
    });
    check(`[${db}] mail worker ≥ 200 messages/s`, find('mail', db), (r) => {
      const n = summary(r.runs, 'perSecond')!.median;
      return [n >= 200, `${Math.round(n)} messages/s`];
    });
    const limit = db === 'postgres' ? 200 : 1024;
    const all = results.results.filter((r) => r.database === db);
    if (all.length) {
      const peak = Math.max(...all.flatMap((r) => r.runs.map((run) => run.rss)));
      out.push({
        text: `[${db}] server RSS under load ≤ ${limit === 1024 ? '1 GB' : `${limit} MB`}`,
        verdict: mb(peak) <= limit ? 'met' : 'missed',
        measured: `peak ${mb(peak)} MB`,
      });
    }
  }
  return out;
}

export function renderMarkdown(results: BenchResults): string {
  const bareResult = results.results.find((r) => r.scenario === 'bare-express');
  const bare = bareResult ? summary(bareResult.runs, 'rps')!.median : 0;
  const o = results.options;
  const lines: string[] = [];
  lines.push(
    `Run of ${results.date.toISOString().replace('T', ' ').slice(0, 16)} UTC on ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb.toFixed(0)} GB memory.`,
  );
  lines.push(
    `Node ${results.node}; ${Object.values(results.databaseVersions).join('; ')}. autocannon, ${o.connections} connections, ${o.duration} s per run, ${o.runs} run${o.runs === 1 ? '' : 's'} per scenario: median (min–max). Server and load generator share the machine.`,
  );
  lines.push('');
  lines.push('| scenario | database | req/s | vs bare Express | p50 ms | p99 ms | errors | server RSS (peak) |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const result of results.results) {
    const errors = result.runs.reduce((sum, run) => sum + run.errors, 0);
    const peak = Math.max(...result.runs.map((run) => run.rss));
    const rss = peak ? `${mb(peak)} MB` : '–';
    const db = result.database ?? '–';
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
        `| ${title(result, results)} | ${db} | ${range(result.runs, 'rps')} | ${ratio(result.runs, bare)} | ${range(result.runs, 'p50')} | ${range(result.runs, 'p99')} | ${errors} | ${rss} |`,
      );
    }
  }
  lines.push('');
  lines.push('| target (ratios to bare Express in this run) | measured | |');
  lines.push('|---|---|---|');
  for (const t of targets(results, bare)) lines.push(`| ${t.text} | ${t.measured} | ${t.verdict} |`);
  const facts = results.results.flatMap((r) =>
    [...r.checks, ...r.notes].map((text) => `- ${r.scenario}${r.database ? ` [${r.database}]` : ''}: ${text}`),
  );
  if (facts.length || results.failures.length) {
    lines.push('');
    lines.push(...facts);
    for (const failure of results.failures) lines.push(`- FAILED: ${failure}`);
  }
  lines.push('');
  lines.push(
    `Data: the report round has ${o.reportResponses.toLocaleString('en-GB')} responses of 12 answers (10 agree, 2 choice) and 30 comments, among ${o.otherRounds.toLocaleString('en-GB')} other closed rounds of ${o.responsesPerOtherRound} responses each; the submission round spends one fresh link per request.`,
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
