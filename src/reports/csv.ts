// The report's figures as CSV, for a spreadsheet: one row per question with figures (agree
// and choice questions), never a single response or a comment. Suppressed questions keep
// their row with empty figures, so the file says which questions had too few answers.
import type { QuestionFigures } from './aggregate.ts';
import { pointLabels } from './view.ts';
import { SOURCE_LOCALE } from '../i18n/catalogues.ts';

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), and
 * a leading tab or carriage return can hide such a start. A leading quote makes it text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportCsv(figures: QuestionFigures[]): string {
  const countColumns = Math.max(5, ...figures.map((q) => q.choices.length));
  // The options are named per row (each question has its own), in the order of the counts.
  const header = ['Question', 'Kind', 'Answered', 'Not applicable', 'Mean', 'Options, in the order of the counts'];
  for (let i = 1; i <= countColumns; i++) header.push(`Count ${i}`);
  const rows = figures.map((q) => {
    const counts = Array.from({ length: countColumns }, (_, i) => (q.suppressed ? null : (q.distribution[i] ?? null)));
    return [
      q.prompt,
      q.kind === 'agree' ? 'agree scale' : 'single choice',
      q.suppressed ? null : q.answered,
      q.suppressed ? null : q.notApplicable,
      q.mean === null ? null : q.mean.toFixed(2),
      // The file is read by spreadsheets and scripts: its labels are English, as its columns are.
      pointLabels(q, SOURCE_LOCALE).join(' | '),
      ...counts,
    ];
  });
  // CRLF line ends (RFC 4180) and a byte order mark, so spreadsheet programs read UTF-8 right.
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** "upward-report-mira-manager-2026-11-16.csv": whose report it is and when the round closed. */
export function csvFileName(managerName: string, day: string): string {
  const slug = managerName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `upward-report-${slug || 'manager'}-${day}.csv`;
}
