// The survey form: field names, a zod schema built from the round's own questions, and the
// answers it yields. Anything a browser could not have sent from our page (a value off the
// scale, an option that does not exist, a field for another question, a list where one
// value belongs) fails validation, so a forged post stores nothing.
import { z } from 'zod';
import { AGREE_POINTS, NOT_APPLICABLE } from '../domain/request-life.ts';
import type { NewAnswer, SurveyQuestion } from './queries.ts';
import { formatNumberIn } from '../i18n/format.ts';
import { t, type Locale } from '../i18n/translate.ts';

/** Longest comment accepted, in characters. */
export const MAX_COMMENT_LENGTH = 5_000;

/** The agree scale's choices as the form sends them, "not applicable" last. */
export const AGREE_CHOICES = [...AGREE_POINTS.map((p) => ({ value: String(p.point), label: p.label })), NOT_APPLICABLE];

/** The form field of a question: named by its id, which is what the answer stores. */
export const fieldName = (question: Pick<SurveyQuestion, 'id'>) => `q-${question.id}`;

/** The question id a field name stands for, if it is a question's field. */
export const questionIdOf = (field: string) => (field.startsWith('q-') ? field.slice(2) : undefined);

/** The key under which errors about the form as a whole are reported. */
export const FORM_ERROR = '_form';

/** The messages beside a question of each kind, in the catalogues (locales/). */
const MESSAGES = {
  agree: { missing: 'survey.errors.agreeMissing', invalid: 'survey.errors.agreeInvalid' },
  choice: { missing: 'survey.errors.choiceMissing', invalid: 'survey.errors.choiceInvalid' },
  text: { missing: 'survey.errors.textMissing', invalid: 'survey.errors.textInvalid' },
};

/** Browsers send line breaks as CRLF but count them as one character against maxlength. */
const normaliseLineBreaks = (text: string) => text.replace(/\r\n?/g, '\n');

/** One question's field: its answer, or a message when it cannot be one (also the self-assessment's). */
export function fieldSchema(question: SurveyQuestion, locale: Locale): z.ZodType<string | undefined> {
  const messages = {
    missing: t(locale, MESSAGES[question.kind].missing),
    invalid: t(locale, MESSAGES[question.kind].invalid),
  };
  const error = (issue: { input?: unknown }) => (issue.input === undefined ? messages.missing : messages.invalid);
  if (question.kind === 'text') {
    const text = z
      .string({ error })
      .refine(
        (value) => normaliseLineBreaks(value).length <= MAX_COMMENT_LENGTH,
        t(locale, 'survey.errors.tooLong', { max: formatNumberIn(locale, MAX_COMMENT_LENGTH) }),
      );
    if (!question.required) return text.optional();
    return text.refine((value) => value.trim() !== '', messages.missing);
  }
  const values =
    question.kind === 'agree'
      ? AGREE_CHOICES.map((option) => option.value)
      : question.choices.map((_, index) => String(index));
  const pick = z.enum(values as [string, ...string[]], { error });
  return question.required ? pick : pick.optional();
}

/** The schema of one round's survey: exactly its questions' fields, nothing else. */
export function surveySchema(questions: SurveyQuestion[], locale: Locale) {
  const shape = Object.fromEntries(questions.map((question) => [fieldName(question), fieldSchema(question, locale)]));
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? t(locale, 'survey.errors.unrecognised')
          : t(locale, 'survey.errors.unreadable'),
    })
    .refine((answers) => toAnswers(questions, answers).length > 0, {
      message: t(locale, 'survey.errors.answerOne'),
      path: [FORM_ERROR],
    });
}

/** What a valid form stores: one row per answered question; unanswered optional ones are skipped. */
export function toAnswers(questions: SurveyQuestion[], form: Record<string, string | undefined>): NewAnswer[] {
  const answers: NewAnswer[] = [];
  for (const question of questions) {
    const raw = form[fieldName(question)];
    if (raw === undefined) continue;
    if (question.kind === 'text') {
      const text = normaliseLineBreaks(raw).trim();
      if (text) answers.push({ questionId: question.id, value: null, notApplicable: false, text });
    } else if (raw === 'na') {
      answers.push({ questionId: question.id, value: null, notApplicable: true, text: null });
    } else {
      answers.push({ questionId: question.id, value: Number(raw), notApplicable: false, text: null });
    }
  }
  return answers;
}
