// Geometry of a distribution chart: one horizontal bar per scale point or choice, drawn by
// the template as inline SVG. Sizes are in the SVG's own units (viewBox); the page scales it.
// Everything is a presentation attribute or a class, since the CSP forbids style attributes.

const WIDTH = 600;
const LABEL_WIDTH = 230;
const BAR_MAX = 300;
const ROW = 30;
const BAR = 20;
/** Longer option names are cut in the picture; the table beside it has them in full. */
const LABEL_CHARS = 28;

export interface ChartRow {
  label: string;
  shortLabel: string;
  count: number;
  percent: number;
  y: number;
  textY: number;
  barWidth: number;
  countX: number;
}

export interface DistributionChart {
  width: number;
  height: number;
  labelX: number;
  barX: number;
  barHeight: number;
  trackWidth: number;
  rows: ChartRow[];
  /** The whole picture in words, for the SVG's aria-label. */
  description: string;
}

const shorten = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

export function distributionChart(labels: string[], counts: number[]): DistributionChart {
  const total = counts.reduce((sum, n) => sum + n, 0);
  // Bars are scaled to the largest count, so small differences stay visible.
  const largest = Math.max(1, ...counts);
  const rows = labels.map((label, index) => {
    const count = counts[index] ?? 0;
    const barWidth = Math.round((count / largest) * BAR_MAX);
    return {
      label,
      shortLabel: shorten(label),
      count,
      percent: total ? Math.round((count / total) * 100) : 0,
      y: index * ROW + (ROW - BAR) / 2,
      textY: index * ROW + ROW / 2,
      barWidth,
      countX: LABEL_WIDTH + barWidth + 8,
    };
  });
  return {
    width: WIDTH,
    height: labels.length * ROW,
    labelX: LABEL_WIDTH - 10,
    barX: LABEL_WIDTH,
    barHeight: BAR,
    trackWidth: BAR_MAX,
    rows,
    description: `Answers per option: ${rows.map((row) => `${row.label} ${row.count}`).join(', ')}.`,
  };
}

/** Participation as a bar of 0–100 units. */
export function participationPercent(answered: number, invited: number): number {
  return invited > 0 ? Math.min(100, Math.round((answered / invited) * 100)) : 0;
}
