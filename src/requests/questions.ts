// A request's questions as the editor holds them: read from the one edit form's flat fields
// (`kind_0`, `prompt_0`, `required_0`, `choices_0` …, because the body parser is not
// `extended`), changed by the editor's buttons, and checked before they are stored.
import { z } from 'zod';
import type { QuestionKind } from '../db/schema.ts';
import { t, type Locale } from '../i18n/translate.ts';

export interface QuestionDraft {
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  /** One choice per line, as typed; only single-choice questions use it. */
  choicesText: string;
}

export const QUESTION_KINDS = ['agree', 'choice', 'text'] as const satisfies readonly QuestionKind[];
export const QUESTION_LIMITS = { questions: 40, prompt: 500, choices: { min: 2, max: 10 }, choice: 200 };

const kind = z.enum(QUESTION_KINDS);
/** A field that is missing, or posted twice (an array), counts as empty. */
const formText = z.string().catch('');

export const blankQuestion = (questionKind: QuestionKind = 'agree'): QuestionDraft => ({
  kind: questionKind,
  prompt: '',
  required: questionKind !== 'text',
  choicesText: '',
});

/** Every question posted, in order; a question exists where its `kind_<n>` field does. */
export function questionsFromForm(
  body: Record<string, unknown>,
  locale: Locale,
): {
  questions: QuestionDraft[];
  errors: Record<string, string>;
} {
  const questions: QuestionDraft[] = [];
  const errors: Record<string, string> = {};
  for (let i = 0; i < QUESTION_LIMITS.questions && body[`kind_${i}`] !== undefined; i++) {
    const parsedKind = kind.safeParse(body[`kind_${i}`]);
    // An unknown kind can only come from a hand-made request: keep it editable as agree.
    if (!parsedKind.success) errors[`kind_${i}`] = t(locale, 'requests.errors.kindUnknown');
    questions.push({
      kind: parsedKind.success ? parsedKind.data : 'agree',
      prompt: formText.parse(body[`prompt_${i}`]).trim(),
      required: body[`required_${i}`] === 'yes',
      choicesText: formText.parse(body[`choices_${i}`]),
    });
  }
  return { questions, errors };
}

export function choicesOf(question: Pick<QuestionDraft, 'kind' | 'choicesText'>): string[] {
  if (question.kind !== 'choice') return [];
  return question.choicesText
    .split(/\r\n|\r|\n/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Problems that stop a draft being stored at all: too long, too many. */
export function storageProblems(questions: QuestionDraft[], locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  questions.forEach((q, i) => {
    if (q.prompt.length > QUESTION_LIMITS.prompt)
      errors[`prompt_${i}`] = t(locale, 'requests.errors.promptLong', {
        max: QUESTION_LIMITS.prompt,
        length: String(q.prompt.length),
      });
    const choices = choicesOf(q);
    if (choices.length > QUESTION_LIMITS.choices.max)
      errors[`choices_${i}`] = t(locale, 'requests.errors.tooManyChoices', {
        max: QUESTION_LIMITS.choices.max,
        count: choices.length,
      });
    else if (choices.some((c) => c.length > QUESTION_LIMITS.choice))
      errors[`choices_${i}`] = t(locale, 'requests.errors.choiceLong', { max: QUESTION_LIMITS.choice });
  });
  return errors;
}

/** Problems that stop a request being sent: anything a respondent could not answer. */
export function readinessProblems(questions: QuestionDraft[], locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  if (questions.length === 0) errors.questions = t(locale, 'requests.errors.noQuestions');
  questions.forEach((q, i) => {
    if (!q.prompt) errors[`prompt_${i}`] = t(locale, 'requests.errors.promptMissing');
    if (q.kind === 'choice' && choicesOf(q).length < QUESTION_LIMITS.choices.min) {
      errors[`choices_${i}`] ??= t(locale, 'requests.errors.choicesRange', {
        min: QUESTION_LIMITS.choices.min,
        max: QUESTION_LIMITS.choices.max,
      });
    }
  });
  return errors;
}

/** The editor's buttons: `add-question`, `remove-<n>`, `up-<n>`, `down-<n>`. */
export type QuestionAction = { type: 'add' } | { type: 'remove' | 'up' | 'down'; index: number };

export function parseQuestionAction(action: string): QuestionAction | undefined {
  if (action === 'add-question') return { type: 'add' };
  const match = /^(remove|up|down)-(\d{1,3})$/.exec(action);
  return match ? { type: match[1] as 'remove' | 'up' | 'down', index: Number(match[2]) } : undefined;
}

/** Applies a button to the questions; returns the new list and the index to show next. */
export function applyQuestionAction(
  questions: QuestionDraft[],
  action: QuestionAction,
  newKind: QuestionKind = 'agree',
): { questions: QuestionDraft[]; focus: number | undefined } {
  const next = [...questions];
  if (action.type === 'add') {
    if (next.length >= QUESTION_LIMITS.questions) return { questions: next, focus: next.length - 1 };
    next.push(blankQuestion(newKind));
    return { questions: next, focus: next.length - 1 };
  }
  const { index } = action;
  if (index >= next.length) return { questions: next, focus: undefined };
  if (action.type === 'remove') {
    next.splice(index, 1);
    return { questions: next, focus: next.length ? Math.min(index, next.length - 1) : undefined };
  }
  const target = action.type === 'up' ? index - 1 : index + 1;
  if (target < 0 || target >= next.length) return { questions: next, focus: index };
  [next[index], next[target]] = [next[target]!, next[index]!];
  return { questions: next, focus: target };
}

export const isQuestionKind = (value: unknown): value is QuestionKind => kind.safeParse(value).success;
