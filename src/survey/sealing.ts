// Sealing a submission while its round is open (issue 17): its answers, encrypted with a key
// only the server secret gives, in a row the same size as every other row of the round.
//
// - Key: HKDF-SHA256 of the server secret, bound to the round's id, so one round's key opens
//   nothing else. AES-256-GCM with a fresh random 12-byte IV per part; the round's id is in the
//   associated data, so a row copied into another round does not open there either.
// - Size: every row of a round is `sealedSize(layout)` bytes, the most its questions allow,
//   whatever was answered, so a dump taken before and after one person answers shows a row
//   whose size says nothing of what they wrote.
// - Row layout: a header, the body, and filler.
//     header: IV (12) | GCM(the body's content length, 4) | tag (16)
//     body:   IV (12) | GCM(content, unpadded) | tag (16); its associated data also holds the
//             header's IV, so a body does not open behind another row's header
//     filler: random bytes up to the round's size
//   The filler is indistinguishable from ciphertext, so where the body ends is hidden too. The
//   close reads the header and the body and never the filler (src/rounds/rewrite-answers.ts):
//   the column is stored uncompressed out of line, and a slice of such a value reads only the
//   pages it needs.
// - Content: a version byte, then per question in the order asked: 2 bytes for a rating or a
//   choice; for a comment, 2 bytes of length (in UTF-16 code units) and its text in UTF-16LE
//   (every code unit 2 bytes, so the longest comment's size is exact).
// - Rows sealed before the header existed (version 1: IV | GCM(content padded per question) |
//   tag) are told apart by their size, which differs by the header's, and still open.
//
// Pure: no database, no clock.
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import type { QuestionKind } from '../db/schema.ts';
import { MAX_COMMENT_LENGTH } from './form.ts';
import type { NewAnswer } from './queries.ts';

const VERSION_PADDED = 1;
const VERSION = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const LENGTH_BYTES = 4;
/** What the close reads first of every row: the header, which says where the body ends. */
export const HEADER_BYTES = IV_BYTES + LENGTH_BYTES + TAG_BYTES;
const CHOICE_SLOT = 2;
const MAX_TEXT_SLOT = 2 + 2 * MAX_COMMENT_LENGTH;
/** In a choice slot: nothing answered, "not applicable", otherwise the value plus this. */
const NONE = 0;
const NA = 1;
const VALUE_BASE = 2;

/** The questions of a round in the order they are asked: what a sealed row is laid out by. */
export type SealLayout = ReadonlyArray<{ id: string; kind: QuestionKind }>;

export interface RoundKey {
  requestId: string;
  /** A key object, not its bytes: a cipher made from bytes imports them anew, most of what opening a round's rows cost (docs/BENCHMARKS.md). */
  key: KeyObject;
}

export function roundKey(secret: string, requestId: string): RoundKey {
  const key = hkdfSync('sha256', secret, 'upward sealed answers', `round:${requestId}`, 32);
  return { requestId, key: createSecretKey(Buffer.from(key)) };
}

const maxSlotOf = (kind: QuestionKind) => (kind === 'text' ? MAX_TEXT_SLOT : CHOICE_SLOT);
/** The longest content a round's questions allow. */
const maxContentSize = (layout: SealLayout) => 1 + layout.reduce((sum, q) => sum + maxSlotOf(q.kind), 0);
const sealedPaddedSize = (layout: SealLayout) => IV_BYTES + maxContentSize(layout) + TAG_BYTES;

/** What every sealed row of a round with these questions measures, in bytes. */
export const sealedSize = (layout: SealLayout) => HEADER_BYTES + IV_BYTES + maxContentSize(layout) + TAG_BYTES;

/** Whether a row of this size was sealed in the first format, padded inside the ciphertext. */
export const isPaddedFormat = (layout: SealLayout, size: number) =>
  size === sealedPaddedSize(layout) && size !== sealedSize(layout);

function encode(layout: SealLayout, answers: readonly NewAnswer[]): Buffer {
  const byQuestion = new Map(answers.map((answer) => [answer.questionId, answer]));
  if (byQuestion.size !== answers.length || answers.some((a) => !layout.some((q) => q.id === a.questionId)))
    throw new Error('answers do not fit the round’s questions');
  const parts: Buffer[] = [Buffer.of(VERSION)];
  for (const question of layout) {
    const answer = byQuestion.get(question.id);
    if (question.kind === 'text') {
      const text = answer?.text ?? '';
      if (text.length > MAX_COMMENT_LENGTH) throw new Error('comment longer than the survey accepts');
      const slot = Buffer.alloc(2 + 2 * text.length);
      slot.writeUInt16LE(text.length, 0);
      slot.write(text, 2, 'utf16le');
      parts.push(slot);
    } else {
      const code = !answer ? NONE : answer.notApplicable ? NA : VALUE_BASE + answer.value!;
      const slot = Buffer.alloc(CHOICE_SLOT);
      slot.writeUInt16LE(code, 0);
      parts.push(slot);
    }
  }
  return Buffer.concat(parts);
}

function decode(layout: SealLayout, plain: Buffer): NewAnswer[] {
  const padded = plain[0] === VERSION_PADDED;
  if (padded ? plain.length !== maxContentSize(layout) : plain[0] !== VERSION)
    throw new Error('sealed row of another layout');
  const answers: NewAnswer[] = [];
  let at = 1;
  for (const question of layout) {
    const code = plain.readUInt16LE(at);
    if (question.kind === 'text') {
      if (code > MAX_COMMENT_LENGTH || at + 2 + 2 * code > plain.length)
        throw new Error('sealed row of another layout');
      if (code > 0)
        answers.push({
          questionId: question.id,
          value: null,
          notApplicable: false,
          text: plain.toString('utf16le', at + 2, at + 2 + 2 * code),
        });
      at += padded ? MAX_TEXT_SLOT : 2 + 2 * code;
      continue;
    }
    if (code === NA) answers.push({ questionId: question.id, value: null, notApplicable: true, text: null });
    else if (code >= VALUE_BASE)
      answers.push({ questionId: question.id, value: code - VALUE_BASE, notApplicable: false, text: null });
    at += CHOICE_SLOT;
  }
  if (at !== plain.length) throw new Error('sealed row of another layout');
  return answers;
}

const headerAad = (key: RoundKey) => Buffer.from(`header:${key.requestId}`);
const bodyAad = (key: RoundKey, header: Buffer) =>
  Buffer.concat([Buffer.from(`body:${key.requestId}:`), header.subarray(0, IV_BYTES)]);

function encrypt(key: RoundKey, aad: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(key: RoundKey, aad: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed part cut short');
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** One submission's answers, sealed: `sealedSize(layout)` bytes whatever they are. */
export function sealAnswers(key: RoundKey, layout: SealLayout, answers: readonly NewAnswer[]): Buffer {
  const content = encode(layout, answers);
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32LE(content.length);
  const header = encrypt(key, headerAad(key), length);
  const body = encrypt(key, bodyAad(key, header), content);
  const size = sealedSize(layout);
  return Buffer.concat([header, body, randomBytes(size - header.length - body.length)], size);
}

/**
 * Where a row's body lies, from its header (the row's first HEADER_BYTES): the body is the
 * `length` bytes after the header. Throws if the header was altered or belongs to another round.
 */
export function bodySpan(key: RoundKey, layout: SealLayout, header: Buffer): { from: number; length: number } {
  const content = decrypt(key, headerAad(key), header.subarray(0, HEADER_BYTES)).readUInt32LE(0);
  if (content > maxContentSize(layout)) throw new Error('sealed row of another layout');
  return { from: HEADER_BYTES, length: IV_BYTES + content + TAG_BYTES };
}

/** The answers of a row's body, read by bodySpan; throws if it was altered or is another row's. */
export function openBody(key: RoundKey, layout: SealLayout, header: Buffer, body: Buffer): NewAnswer[] {
  return decode(layout, decrypt(key, bodyAad(key, header), body));
}

/** The answers of a whole sealed row, of either format; throws if it was altered or belongs to another round. */
export function openSealed(key: RoundKey, layout: SealLayout, sealed: Buffer): NewAnswer[] {
  if (isPaddedFormat(layout, sealed.length)) return decode(layout, decrypt(key, Buffer.from(key.requestId), sealed));
  if (sealed.length !== sealedSize(layout)) throw new Error('sealed row of another size');
  const { from, length } = bodySpan(key, layout, sealed);
  return openBody(key, layout, sealed, sealed.subarray(from, from + length));
}
