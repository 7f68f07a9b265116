// The ids a close gives the answers it writes (src/rounds/rewrite-answers.ts): random
// version-4 UUIDs like the column's default, drawn anew each time, in ascending order so the
// primary key fills from the right.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ascendingRandomIds } from '../../src/rounds/rewrite-answers.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('gives distinct random version-4 ids in ascending order', () => {
  const ids = ascendingRandomIds(5_000);
  assert.equal(ids.length, 5_000);
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
  const again = ascendingRandomIds(5_000);
  assert.equal(again.filter((id) => ids.includes(id)).length, 0, 'drawn anew');
});
