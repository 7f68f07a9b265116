// The first format of a sealed row (before the header): IV | GCM(version 1, every answer in a
// slot of its question's largest size) | tag, the round's id as associated data. Rows like it
// can be in rounds that were open when the header came in, and must still open; tests seal
// them with this copy of the old code.
import { createCipheriv, randomBytes } from 'node:crypto';
import { MAX_COMMENT_LENGTH } from '../../src/survey/form.ts';
import type { NewAnswer } from '../../src/survey/queries.ts';
import type { RoundKey, SealLayout } from '../../src/survey/sealing.ts';

const TEXT_SLOT = 2 + 2 * MAX_COMMENT_LENGTH;
const slotOf = (kind: string) => (kind === 'text' ? TEXT_SLOT : 2);

export function sealPadded(key: RoundKey, layout: SealLayout, answers: readonly NewAnswer[]): Buffer {
  const plain = Buffer.alloc(1 + layout.reduce((sum, q) => sum + slotOf(q.kind), 0));
  plain[0] = 1;
  let at = 1;
  for (const question of layout) {
    const answer = answers.find((a) => a.questionId === question.id);
    if (question.kind === 'text') {
      const text = answer?.text ?? '';
      plain.writeUInt16LE(text.length, at);
      plain.write(text, at + 2, 'utf16le');
    } else plain.writeUInt16LE(!answer ? 0 : answer.notApplicable ? 1 : 2 + answer.value!, at);
    at += slotOf(question.kind);
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(key.requestId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}
