// The sealing of a submission (src/survey/sealing.ts): it opens to the same answers, only with
// its own round's key, refuses any change, and every row of a round has one size whatever
// was answered, so a row's size says nothing of a comment's length.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openSealed, roundKey, sealAnswers, sealedSize, type SealLayout } from '../../src/survey/sealing.ts';
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

  it('refuse to open when any byte was changed', () => {
    const key = roundKey(SECRET, requestId);
    const sealed = sealAnswers(key, layout, ANSWERS);
    for (const at of [0, 12, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at]! ^= 1;
      assert.throws(() => openSealed(key, layout, tampered), Error, `byte ${at}`);
    }
  });

  it('refuse to open in another round, or with another secret', () => {
    const sealed = sealAnswers(roundKey(SECRET, requestId), layout, ANSWERS);
    assert.throws(() => openSealed(roundKey(SECRET, randomUUID()), layout, sealed));
    assert.throws(() => openSealed(roundKey('another secret', requestId), layout, sealed));
    // The same key, but the row presented as another round's: the round is bound in as well.
    const moved = { ...roundKey(SECRET, requestId), requestId: randomUUID() };
    assert.throws(() => openSealed(moved, layout, sealed));
  });

  it('refuse answers that do not fit the round’s questions', () => {
    const key = roundKey(SECRET, requestId);
    assert.throws(() => sealAnswers(key, layout, [{ ...rating(0, 3), questionId: randomUUID() }]), /do not fit/);
    assert.throws(() => sealAnswers(key, layout, [rating(0, 3), rating(0, 4)]), /do not fit/);
    assert.throws(() => sealAnswers(key, layout, [comment(3, 'x'.repeat(MAX_COMMENT_LENGTH + 1))]), /longer/);
  });
});
