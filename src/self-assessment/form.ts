// The self-assessment form: the survey's own fields (src/survey/form.ts), every question
// optional, and nothing but the round's questions. Saving with nothing answered is allowed:
// it takes the manager's answers back.
import { z } from 'zod';
import { fieldName, fieldSchema, toAnswers } from '../survey/form.ts';
import type { NewAnswer, SurveyQuestion } from '../survey/queries.ts';
import type { SelfAnswer } from './queries.ts';
import { t, type Locale } from '../i18n/translate.ts';

/** The questions as the manager answers them: the same, never required. */
export const asOptional = (questions: SurveyQuestion[]) => questions.map((q) => ({ ...q, required: false }));

export function selfAssessmentSchema(questions: SurveyQuestion[], locale: Locale) {
  const shape = Object.fromEntries(asOptional(questions).map((q) => [fieldName(q), fieldSchema(q, locale)]));
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? t(locale, 'selfAssessment.errors.unrecognised')
        : t(locale, 'selfAssessment.errors.unreadable'),
  });
}

/** What a valid form stores: one answer per answered question. */
export const selfAnswersFrom = (questions: SurveyQuestion[], form: Record<string, string | undefined>): NewAnswer[] =>
  toAnswers(questions, form);

/** The saved answers as the form's values, so the page shows them as they were left. */
export function formValuesOf(questions: SurveyQuestion[], saved: SelfAnswer[]): Record<string, string> {
  const byQuestion = new Map(saved.map((answer) => [answer.question_id, answer]));
  const values: Record<string, string> = {};
  for (const question of questions) {
    const answer = byQuestion.get(question.id);
    if (!answer) continue;
    values[fieldName(question)] = answer.not_applicable ? 'na' : (answer.text ?? String(answer.value));
  }
  return values;
}
