// The sealing of a submission (src/survey/sealing.ts): it opens to the same answers, only with
// its own round's key, refuses any change, and every row of a round has one size whatever
// was answered, so a row's size says nothing of a comment's length.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  bodySpan,
  HEADER_BYTES,
  isPaddedFormat,
  openBody,
  openSealed,
  roundKey,
  sealAnswers,
  sealedSize,
  type SealLayout,
} from '../../src/survey/sealing.ts';
import { sealPadded } from '../helpers/sealed-v1.ts';
import { MAX_COMMENT_LENGTH } from '../../src/survey/form.ts';
import type { NewAnswer } from '../../src/survey/queries.ts';

const SECRET = 'a server secret of the test';
const requestId = randomUUID();
const layout: SealLayout = [
  { id: randomUUID(), kind: 'agree' },
  { id: randomUUID(), kind: 'agree' },
  { id: randomUUID(), kind: 'choice' },
  { id: randomUUID(), kind: 'text' },
  { id: randomUUID(), kind: 'text' },
];
const rating = (i: number, value: number): NewAnswer => ({
  questionId: layout[i]!.id,
  value,
  notApplicable: false,
  text: null,
});
const comment = (i: number, text: string): NewAnswer => ({
  questionId: layout[i]!.id,
  value: null,
  notApplicable: false,
  text,
});
const ANSWERS: NewAnswer[] = [
  rating(0, 5),
  { questionId: layout[1]!.id, value: null, notApplicable: true, text: null },
  rating(2, 0),
  comment(3, 'Keeps our one-on-ones, even in busy weeks. Ünïcödé 🎉'),
];

describe('sealed answers', () => {
  it('open to the answers sealed, with the round’s key', () => {
    const key = roundKey(SECRET, requestId);
    assert.deepEqual(openSealed(key, layout, sealAnswers(key, layout, ANSWERS)), ANSWERS);
    assert.deepEqual(openSealed(key, layout, sealAnswers(key, layout, [])), []);
  });

  it('seal an empty submission and the longest possible one to the same size', () => {
    const key = roundKey(SECRET, requestId);
    // The longest: every question answered, each comment at the limit in characters that take
    // the most bytes in UTF-8 (three each; an emoji counts as two characters, four bytes).
    const longest = [
      rating(0, 5),
      rating(1, 5),
      rating(2, 1),
      comment(3, '€'.repeat(MAX_COMMENT_LENGTH)),
      comment(4, '🎉'.repeat(MAX_COMMENT_LENGTH / 2)),
    ];
    const sizes = [[], [rating(0, 1)], ANSWERS, longest].map((answers) => sealAnswers(key, layout, answers).length);
    assert.deepEqual(new Set(sizes), new Set([sealedSize(layout)]), `sizes ${sizes.join(', ')}`);
    assert.deepEqual(openSealed(key, layout, sealAnswers(key, layout, longest)), longest);
    const span = bodySpan(key, layout, sealAnswers(key, layout, longest));
    assert.equal(span.from + span.length, sealedSize(layout), 'the longest fills its row: no size is too small');
  });

  it('seal the same answers differently each time (a fresh IV)', () => {
    const key = roundKey(SECRET, requestId);
    assert.notDeepEqual(sealAnswers(key, layout, ANSWERS), sealAnswers(key, layout, ANSWERS));
  });

  it('hold no answer in the clear', () => {
    const sealed = sealAnswers(roundKey(SECRET, requestId), layout, [comment(3, 'MARKER-COMMENT')]);
    for (const encoding of ['utf8', 'utf16le', 'latin1'] as const)
      assert.ok(!sealed.includes(Buffer.from('MARKER', encoding)), encoding);
  });

  it('refuse to open when any byte of the header or the body was changed', () => {
    const key = roundKey(SECRET, requestId);
    const sealed = sealAnswers(key, layout, ANSWERS);
    const body = bodySpan(key, layout, sealed);
    const header = [0, 12, 15, 16, HEADER_BYTES - 1];
    const inBody = [body.from, body.from + 12, body.from + 20, body.from + body.length - 1];
    for (const at of [...header, ...inBody]) {
      const tampered = Buffer.from(sealed);
      tampered[at]! ^= 1;
      assert.throws(() => openSealed(key, layout, tampered), Error, `byte ${at}`);
    }
    // Only the close's own reads: a changed header is refused before any body is read.
    const tamperedHeader = Buffer.from(sealed.subarray(0, HEADER_BYTES));
    tamperedHeader[14]! ^= 1;
    assert.throws(() => bodySpan(key, layout, tamperedHeader));
    // A body behind another row's header of the same round does not open either.
    const other = sealAnswers(key, layout, ANSWERS);
    assert.throws(() => openBody(key, layout, other, sealed.subarray(body.from, body.from + body.length)));
  });

  it('fill the rest of the row with random bytes, never read', () => {
    const key = roundKey(SECRET, requestId);
    const sealed = sealAnswers(key, layout, []);
    const { from, length } = bodySpan(key, layout, sealed);
    const filler = sealed.subarray(from + length);
    assert.ok(filler.length > 2 * MAX_COMMENT_LENGTH, `filler of ${filler.length} bytes`);
    // Random bytes: about as many ones as zeros, no long run of one byte value.
    const zeros = filler.reduce((n, byte) => n + (byte === 0 ? 1 : 0), 0);
    assert.ok(zeros < filler.length / 64, `${zeros} zero bytes of ${filler.length}`);
    assert.notDeepEqual(filler, sealAnswers(key, layout, []).subarray(from + length), 'drawn anew for each row');
    // Not covered by the tags: a changed filler byte changes nothing opened.
    const changed = Buffer.from(sealed);
    changed[sealed.length - 1]! ^= 1;
    assert.deepEqual(openSealed(key, layout, changed), []);
  });

  it('still open rows sealed in the first format (padded inside the ciphertext)', () => {
    const key = roundKey(SECRET, requestId);
    const sealed = sealPadded(key, layout, ANSWERS);
    assert.equal(sealed.length, sealedSize(layout) - HEADER_BYTES, 'told apart by its size');
    assert.ok(isPaddedFormat(layout, sealed.length));
    assert.ok(!isPaddedFormat(layout, sealedSize(layout)));
    assert.deepEqual(openSealed(key, layout, sealed), ANSWERS);
    const tampered = Buffer.from(sealed);
    tampered[sealed.length - 1]! ^= 1;
    assert.throws(() => openSealed(key, layout, tampered));
    assert.throws(() => openSealed(roundKey(SECRET, randomUUID()), layout, sealed));
  });

  it('refuse to open in another round, or with another secret', () => {
    const sealed = sealAnswers(roundKey(SECRET, requestId), layout, ANSWERS);
    assert.throws(() => openSealed(roundKey(SECRET, randomUUID()), layout, sealed));
    assert.throws(() => openSealed(roundKey('another secret', requestId), layout, sealed));
    // The same key, but the row presented as another round's: the round is bound in as well.
    const moved = { ...roundKey(SECRET, requestId), requestId: randomUUID() };
    assert.throws(() => openSealed(moved, layout, sealed));
    assert.throws(() => bodySpan(moved, layout, sealed), 'the header alone is bound to the round');
  });

  it('refuse answers that do not fit the round’s questions', () => {
    const key = roundKey(SECRET, requestId);
    assert.throws(() => sealAnswers(key, layout, [{ ...rating(0, 3), questionId: randomUUID() }]), /do not fit/);
    assert.throws(() => sealAnswers(key, layout, [rating(0, 3), rating(0, 4)]), /do not fit/);
    assert.throws(() => sealAnswers(key, layout, [comment(3, 'x'.repeat(MAX_COMMENT_LENGTH + 1))]), /longer/);
  });
});
