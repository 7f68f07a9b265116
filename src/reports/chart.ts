// A distribution chart: one row per scale point or choice, its name and count as page text
// and its bar as a small inline SVG of 0–100 units stretched to the row's width. Text stays
// outside the SVG so it keeps the page's font size at any width (a scaled SVG shrinks its
// text on a phone). The CSP forbids style attributes, so widths are SVG attributes.

import { agreeSides, favourablePercent, formatMean, leaningOf, type Leaning } from '../domain/request-life.ts';
import { t, type Locale } from '../i18n/translate.ts';

export interface ChartRow {
  label: string;
  count: number;
  percent: number;
  /** The bar's length in units of 100. */
  barWidth: number;
  /** Agree questions: the side of the scale the point is on, which colours its bar. */
  tone: Leaning | null;
}

export interface DistributionChart {
  rows: ChartRow[];
  /** The whole picture in words, for the chart's aria-label. */
  description: string;
}

export function distributionChart(
  labels: string[],
  counts: number[],
  locale: Locale,
  tones: Leaning[] = [],
): DistributionChart {
  const total = counts.reduce((sum, n) => sum + n, 0);
  // Bars are scaled to the number of answers: a bar is the share it stands for, so one
  // answer each of three draws three thirds, not three full bars.
  const rows = labels.map((label, index) => {
    const count = counts[index] ?? 0;
    const percent = total ? Math.round((count / total) * 100) : 0;
    return { label, count, percent, barWidth: percent, tone: tones[index] ?? null };
  });
  return {
    rows,
    description: t(locale, 'chart.answersPerOption', {
      rows: rows.map((row) => `${row.label} ${row.count}`).join(', '),
    }),
  };
}

export interface DivergingSegment {
  side: Leaning;
  label: string;
  count: number;
  percent: number;
  /** Where the segment starts and how long it is, in units of 100 (exact, not the rounded share). */
  x: number;
  width: number;
}

export interface DivergingBar {
  segments: DivergingSegment[];
  favourable: number;
  description: string;
}

const units = (count: number, total: number) => (total > 0 ? Math.round((count / total) * 10_000) / 100 : 0);

/**
 * An agree question as one bar of its disagree, neutral and agree shares, side by side and
 * scaled to the answers (the rules of the sides are in domain/request-life.ts).
 */
export function divergingBar(distribution: number[], locale: Locale): DivergingBar {
  const total = distribution.reduce((sum, n) => sum + n, 0);
  let before = 0;
  const segments = agreeSides(distribution, locale).map((side) => {
    const x = units(before, total);
    before += side.count;
    return { ...side, x, width: Math.round((units(before, total) - x) * 100) / 100 };
  });
  const words = segments
    .map((s) =>
      t(locale, 'chart.sideShare', { label: inSentence(s.label, locale), count: s.count, percent: s.percent }),
    )
    .join(', ');
  return {
    segments,
    favourable: favourablePercent(distribution),
    description: `${words.charAt(0).toUpperCase()}${words.slice(1)}.`,
  };
}

/** A side's name inside a sentence: lower case, but for German, which writes its nouns capitalised. */
const inSentence = (label: string, locale: Locale) => (locale === 'de' ? label : label.toLocaleLowerCase(locale));

export interface TrendColumn {
  /** The round's date, as the page shows it. */
  label: string;
  /** Its month, under the column. */
  short: string;
  mean: string;
  leaning: Leaning;
  /** The column's height in units of 100, the mean on the 1–5 scale drawn from 0. */
  height: number;
  y: number;
  current: boolean;
}

export interface TrendChart {
  columns: TrendColumn[];
  description: string;
}

/** One column per round, oldest first, each with its mean written above it. */
export function trendChart(
  points: Array<{ label: string; short: string; mean: number; current: boolean }>,
  locale: Locale,
): TrendChart {
  const columns = points.map(({ label, short, mean, current }) => {
    const height = Math.round((mean / 5) * 100);
    return { label, short, mean: formatMean(mean, locale), leaning: leaningOf(mean), height, y: 100 - height, current };
  });
  const described = columns.map((c) =>
    c.current ? t(locale, 'chart.thisRoundMark', { label: c.label, mean: c.mean }) : `${c.label} ${c.mean}`,
  );
  return { columns, description: t(locale, 'chart.meanByRound', { columns: described.join(', ') }) };
}

/** Participation as a bar of 0–100 units. */
export function participationPercent(answered: number, invited: number): number {
  return invited > 0 ? Math.min(100, Math.round((answered / invited) * 100)) : 0;
}
