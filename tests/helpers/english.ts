// Finding English left on a page or in an email that should be in another language (issue 21),
// and a manager's own questions written in German for such a round.
import type { QuestionSpec } from './factories.ts';

/**
 * Common English words, none of which is also a German word a German page may use. "Link"
 * and "Team" are left out: German says "Link" and "Team" (Duden lists both).
 */
export const ENGLISH = `the and your you answer answers question questions strongly agree disagree survey
  surveys please thank thanks send sent closes closed feedback reminder anonymous optional error
  what who sees results people only before after until this that with not nobody applicable
  neither choose write comment comments manager leader round check email address invitation`.split(/\s+/);

/** The English words in `text`, once names, addresses and links are taken out. */
export function englishIn(text: string, names: string[]): string[] {
  let rest = text.replace(/https?:\/\/\S+/g, ' ').replace(/\S+@\S+/g, ' ');
  for (const name of names) rest = rest.split(name).join(' ');
  const words = rest.toLowerCase().match(/\p{L}+/gu) ?? [];
  return [...new Set(words.filter((word) => ENGLISH.includes(word)))];
}

/** A manager's own questions, typed in German: one of each kind. */
export const GERMAN_QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'Meine Führungskraft hört mir zu.', required: true },
  {
    kind: 'choice',
    prompt: 'Wie oft sollten wir uns treffen?',
    required: false,
    choices: ['Wöchentlich', 'Monatlich'],
  },
  { kind: 'text', prompt: 'Was sollte Ihre Führungskraft beibehalten?', required: false },
];
