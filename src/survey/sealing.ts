// Sealing a submission while its round is open (issue 17): its answers, encrypted with a key
// only the server secret gives, in a row the same size as every other row of the round.
//
// - Key: HKDF-SHA256 of the server secret, bound to the round's id, so one round's key opens
//   nothing else. AES-256-GCM with a fresh random 12-byte IV per row; the round's id is the
//   associated data, so a row copied into another round does not open there either.
// - Size: the plaintext is laid out per question, each in a slot of fixed width whatever the
//   answer: 2 bytes for a rating or a choice, and for a comment 2 bytes of length plus its text
//   in UTF-16LE padded to MAX_COMMENT_LENGTH code units (UTF-16 gives every character the same
//   2 bytes, so the worst case is exact). A dump taken before and after one person answers
//   shows a row whose size says nothing of what they wrote.
//
// Pure: no database, no clock. Row layout: IV (12) | ciphertext | auth tag (16).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { QuestionKind } from '../db/schema.ts';
import { MAX_COMMENT_LENGTH } from './form.ts';
import type { NewAnswer } from './queries.ts';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHOICE_SLOT = 2;
const TEXT_SLOT = 2 + 2 * MAX_COMMENT_LENGTH;
/** In a choice slot: nothing answered, "not applicable", otherwise the value plus this. */
const NONE = 0;
const NA = 1;
const VALUE_BASE = 2;

/** The questions of a round in the order they are asked: what a sealed row is laid out by. */
export type SealLayout = ReadonlyArray<{ id: string; kind: QuestionKind }>;

export interface RoundKey {
  requestId: string;
  key: Buffer;
}

export function roundKey(secret: string, requestId: string): RoundKey {
  const key = hkdfSync('sha256', secret, 'upward sealed answers', `round:${requestId}`, 32);
  return { requestId, key: Buffer.from(key) };
}

const slotOf = (kind: QuestionKind) => (kind === 'text' ? TEXT_SLOT : CHOICE_SLOT);
const plaintextSize = (layout: SealLayout) => 1 + layout.reduce((sum, q) => sum + slotOf(q.kind), 0);

/** What every sealed row of a round with these questions measures, in bytes. */
export const sealedSize = (layout: SealLayout) => IV_BYTES + plaintextSize(layout) + TAG_BYTES;

function encode(layout: SealLayout, answers: readonly NewAnswer[]): Buffer {
  const plain = Buffer.alloc(plaintextSize(layout));
  plain[0] = VERSION;
  const byQuestion = new Map(answers.map((answer) => [answer.questionId, answer]));
  if (byQuestion.size !== answers.length || answers.some((a) => !layout.some((q) => q.id === a.questionId)))
    throw new Error('answers do not fit the round’s questions');
  let at = 1;
  for (const question of layout) {
    const answer = byQuestion.get(question.id);
    if (question.kind === 'text') {
      const text = answer?.text ?? '';
      if (text.length > MAX_COMMENT_LENGTH) throw new Error('comment longer than the survey accepts');
      plain.writeUInt16LE(text.length, at);
      plain.write(text, at + 2, 'utf16le');
    } else {
      const code = !answer ? NONE : answer.notApplicable ? NA : VALUE_BASE + answer.value!;
      plain.writeUInt16LE(code, at);
    }
    at += slotOf(question.kind);
  }
  return plain;
}

function decode(layout: SealLayout, plain: Buffer): NewAnswer[] {
  if (plain[0] !== VERSION || plain.length !== plaintextSize(layout)) throw new Error('sealed row of another layout');
  const answers: NewAnswer[] = [];
  let at = 1;
  for (const question of layout) {
    const code = plain.readUInt16LE(at);
    if (question.kind === 'text') {
      if (code > 0)
        answers.push({
          questionId: question.id,
          value: null,
          notApplicable: false,
          text: plain.toString('utf16le', at + 2, at + 2 + 2 * code),
        });
    } else if (code === NA) {
      answers.push({ questionId: question.id, value: null, notApplicable: true, text: null });
    } else if (code >= VALUE_BASE) {
      answers.push({ questionId: question.id, value: code - VALUE_BASE, notApplicable: false, text: null });
    }
    at += slotOf(question.kind);
  }
  return answers;
}

/** One submission's answers, sealed: `sealedSize(layout)` bytes whatever they are. */
export function sealAnswers(key: RoundKey, layout: SealLayout, answers: readonly NewAnswer[]): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(key.requestId));
  const body = Buffer.concat([cipher.update(encode(layout, answers)), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** The answers of a sealed row; throws if it was altered or belongs to another round. */
export function openSealed(key: RoundKey, layout: SealLayout, sealed: Buffer): NewAnswer[] {
  if (sealed.length !== sealedSize(layout)) throw new Error('sealed row of another size');
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(key.requestId));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plain = Buffer.concat([
    decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
    decipher.final(),
  ]);
  return decode(layout, plain);
}
