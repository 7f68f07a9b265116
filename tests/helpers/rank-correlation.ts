// Spearman's rank correlation, for the tests that check an order stored in the database (the
// physical order of rows) is unrelated to an order a person could know (who answered when,
// who was invited first). Ties get the mean of the ranks they span, so a column of repeated
// values (ratings 1 to 5) can be compared with a physical order too.

/** The rank of each value (1 = smallest), ties sharing the mean of their ranks. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) result[order[i]!.index] = meanRank;
    start = end + 1;
  }
  return result;
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((sum, x) => sum + x, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < xs.length; i++) {
    const [dx, dy] = [xs[i]! - mx, ys[i]! - my];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) throw new Error('rank correlation of a constant sequence is undefined');
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rho of two paired sequences: 1 same order, -1 reversed, near 0 unrelated. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`sequences of different lengths (${xs.length}, ${ys.length})`);
  if (xs.length < 3) throw new Error('rank correlation needs at least three pairs');
  return pearson(ranks(xs), ranks(ys));
}

/**
 * A bound on |rho| that two unrelated orders of `n` items pass all but about once in 15,000
 * runs: over a random permutation rho has mean 0 and standard deviation 1/sqrt(n - 1), and
 * four of them bound it two-sided with p < 0.0001 (normal approximation, whose tails are
 * heavier than rho's own for small n, so the bound errs on the side of passing). A stored
 * order that keeps the known one (rho = 1) fails it for any n >= 18.
 */
export function unrelatedBound(n: number): number {
  return 4 / Math.sqrt(n - 1);
}
