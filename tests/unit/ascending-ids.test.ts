// The order and the ids a close writes the answers with (src/rounds/shuffled-order.ts): random
// version-4 UUIDs like the column's default, drawn anew each time, in ascending order so the
// primary key fills from the right, and a uniformly random order; both handed out a slice at
// a time.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ascendingRandomIds, randomOrder } from '../../src/rounds/shuffled-order.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('gives distinct random version-4 ids in ascending order', () => {
  const drawn = ascendingRandomIds(5_000);
  // A slice at a time, as the close writes them; asking past the end gives what is left.
  const ids = [...drawn.next(1_234), ...drawn.next(10_000)];
  assert.equal(ids.length, 5_000);
  assert.deepEqual(drawn.next(10), []);
  assert.ok(
    ids.every((id) => V4.test(id)),
    ids.find((id) => !V4.test(id)),
  );
  assert.equal(new Set(ids).size, ids.length);
  const outOfOrder = ids.filter((id, i) => i > 0 && id < ids[i - 1]!).length;
  assert.ok(outOfOrder <= 2, `${outOfOrder} out of order`);
  // Spread over the whole range, as random ids are: a quarter under 4…, a quarter over c….
  const under4 = ids.filter((id) => id < '4').length;
  assert.ok(under4 > 1_000 && under4 < 1_500, `${under4} of 5,000 under 4`);
  const again = ascendingRandomIds(5_000).next(5_000);
  assert.equal(again.filter((id) => ids.includes(id)).length, 0, 'drawn anew');
});

it('draws the ids of a round as sorted uniform draws: the least of three lies a quarter of the way, on average', () => {
  // The k-th least of n uniforms has mean k / (n + 1): 1/4, 2/4, 3/4 for three.
  const means = [0, 0, 0];
  const rounds = 4_000;
  for (let r = 0; r < rounds; r++)
    ascendingRandomIds(3)
      .next(3)
      .forEach((id, k) => (means[k]! += parseInt(id.slice(0, 8), 16) / 2 ** 32 / rounds));
  means.forEach((mean, k) => assert.ok(Math.abs(mean - (k + 1) / 4) < 0.02, `id ${k + 1} of 3 at ${mean} on average`));
});

it('gives every position an equal chance in the random order, a slice at a time', () => {
  const n = 6;
  const rounds = 12_000;
  const seen = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let r = 0; r < rounds; r++) {
    const drawn = randomOrder(n);
    const order = [...drawn.next(4), ...drawn.next(4)];
    assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
    order.forEach((item, position) => seen[item]![position]!++);
  }
  // Each item at each position 2,000 times, give or take a few standard deviations (~40).
  for (const row of seen) for (const count of row) assert.ok(Math.abs(count - rounds / n) < 200, `${count}`);
});
