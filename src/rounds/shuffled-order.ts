// The order and the ids the close writes a round's answers with (rewrite-answers.ts), both
// drawn from the system's CSPRNG and handed out a slice at a time, as the close writes its
// inserts: the close runs in the app's own process, which goes on serving visitors, so no
// step may hold its event loop for the whole round's million answers at once.
import { randomBytes } from 'node:crypto';

/** A slice of `count` more, or fewer at the end. */
export interface Drawn<T> {
  next(count: number): T;
}

/** A uniformly random order of 0…n-1: Fisher–Yates from the front, so each slice is final once drawn. */
export function randomOrder(n: number): Drawn<Uint32Array> {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let at = 0;
  return {
    next(count) {
      const end = Math.min(n, at + count);
      const draws = randomBytes(4 * (end - at));
      for (let i = at; i < end; i++) {
        const j = i + Math.floor((draws.readUInt32LE(4 * (i - at)) / 2 ** 32) * (n - i));
        const swap = order[i]!;
        order[i] = order[j]!;
        order[j] = swap;
      }
      const slice = order.subarray(at, end);
      at = end;
      return slice;
    },
  };
}

/** A uniform draw from (0, 1], with the 53 bits a double holds. */
const uniformAt = (bytes: Buffer, at: number) =>
  ((bytes.readUInt32BE(at) >>> 5) * 2 ** 26 + (bytes.readUInt32BE(at + 4) >>> 6) + 1) / 2 ** 53;

/**
 * n random version-4 UUIDs in ascending order (nearly: their first 32 bits ascend, the rest
 * is drawn per id). Together they are distributed as n ids drawn like the column's default
 * and sorted: each next first 32 bits is the least of the ids still to come, drawn as such
 * (the least of m uniforms above x is x + (1 − x)(1 − U^(1/m))), so no sort of the whole round
 * is needed. Handed out in the shuffled order, they make the rows' physical order their ids'
 * order, which is still a uniformly random order, and the primary key is filled from the right
 * instead of at random places (the random inserts were half the cost of writing the answers).
 */
export function ascendingRandomIds(n: number): Drawn<string[]> {
  let least = 0;
  let left = n;
  return {
    next(count) {
      const ids: string[] = [];
      const take = Math.min(count, left);
      const bytes = randomBytes(24 * take);
      for (let i = 0; i < take; i++, left--) {
        least += (1 - least) * -Math.expm1(Math.log(uniformAt(bytes, 16 * take + 8 * i)) / left);
        const at = 16 * i;
        bytes.writeUInt32BE(Math.min(2 ** 32 - 1, Math.floor(least * 2 ** 32)), at);
        bytes[at + 6] = (bytes[at + 6]! & 0x0f) | 0x40;
        bytes[at + 8] = (bytes[at + 8]! & 0x3f) | 0x80;
        const hex = bytes.toString('hex', at, at + 16);
        ids.push(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
      }
      return ids;
    },
  };
}
