// A distribution chart: one row per scale point or choice, its name and count as page text
// and its bar as a small inline SVG of 0–100 units stretched to the row's width. Text stays
// outside the SVG so it keeps the page's font size at any width (a scaled SVG shrinks its
// text on a phone). The CSP forbids style attributes, so widths are SVG attributes.

export interface ChartRow {
  label: string;
  count: number;
  percent: number;
  /** The bar's length in units of 100. */
  barWidth: number;
}

export interface DistributionChart {
  rows: ChartRow[];
  /** The whole picture in words, for the chart's aria-label. */
  description: string;
}

export function distributionChart(labels: string[], counts: number[]): DistributionChart {
  const total = counts.reduce((sum, n) => sum + n, 0);
  // Bars are scaled to the number of answers: a bar is the share it stands for, so one
  // answer each of three draws three thirds, not three full bars.
  const rows = labels.map((label, index) => {
    const count = counts[index] ?? 0;
    const percent = total ? Math.round((count / total) * 100) : 0;
    return { label, count, percent, barWidth: percent };
  });
  return {
    rows,
    description: `Answers per option: ${rows.map((row) => `${row.label} ${row.count}`).join(', ')}.`,
  };
}

/** Participation as a bar of 0–100 units. */
export function participationPercent(answered: number, invited: number): number {
  return invited > 0 ? Math.min(100, Math.round((answered / invited) * 100)) : 0;
}
