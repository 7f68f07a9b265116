// The rank correlation the physical-order tests rely on: right on known values (ties
// included), and its bound passed by unrelated orders and failed by a kept or reversed one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ranks, spearman, unrelatedBound } from '../helpers/rank-correlation.ts';

/** A small seeded generator (mulberry32), so the sampling test is the same every run. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled(n: number, random: () => number): number[] {
  const items = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

describe('Spearman rank correlation', () => {
  it('ranks ties by the mean of the ranks they span', () => {
    assert.deepEqual(ranks([10, 30, 20, 30, 5]), [2, 4.5, 3, 4.5, 1]);
  });

  it('is 1 for the same order, -1 for the reverse, whatever the scale', () => {
    assert.equal(spearman([1, 2, 3, 4], [10, 200, 3_000, 40_000]), 1);
    assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  });

  it('matches worked examples, with and without ties', () => {
    // IQ against hours of television, the textbook example: rho = -29/165.
    const iq = [106, 86, 100, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 0, 27, 50, 28, 29, 20, 12, 6, 17];
    assert.ok(Math.abs(spearman(iq, tv) - -29 / 165) < 1e-12);
    assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.8207826816681233) < 1e-12);
  });

  it('refuses what it cannot measure', () => {
    assert.throws(() => spearman([1, 2, 3], [1, 2]), /different lengths/);
    assert.throws(() => spearman([1, 2], [1, 2]), /at least three/);
    assert.throws(() => spearman([1, 2, 3], [7, 7, 7]), /constant/);
  });

  it('bounds unrelated orders of 30 and of 50, and a kept or reversed order exceeds the bound', () => {
    const random = seeded(17);
    for (const n of [30, 50]) {
      const bound = unrelatedBound(n);
      const identity = Array.from({ length: n }, (_, i) => i);
      let over = 0;
      for (let run = 0; run < 5_000; run++) if (Math.abs(spearman(identity, shuffled(n, random))) >= bound) over++;
      assert.ok(over <= 2, `${over} of 5,000 random orders of ${n} exceeded the bound ${bound.toFixed(3)}`);
      assert.ok(spearman(identity, identity) > bound);
      assert.ok(-spearman(identity, [...identity].reverse()) > bound);
      // Kept in order but for a few swaps: still far beyond the bound.
      const nearlyKept = [...identity];
      for (let i = 0; i + 1 < n; i += 6) [nearlyKept[i], nearlyKept[i + 1]] = [nearlyKept[i + 1]!, nearlyKept[i]!];
      assert.ok(spearman(identity, nearlyKept) > bound);
    }
  });
});
