// What the self-assessment page shows: while the round is open, the survey's own controls
// (src/survey/view.ts) with the manager's saved answers checked; once it has closed, their
// answers read-only, in words.
import { agreeLabel } from '../domain/request-life.ts';
import { formatNumberIn } from '../i18n/format.ts';
import { t, type Locale } from '../i18n/translate.ts';
import { MAX_COMMENT_LENGTH, fieldName } from '../survey/form.ts';
import type { SurveyQuestion } from '../survey/queries.ts';
import { questionViews, surveyLength } from '../survey/view.ts';
import { asOptional } from './form.ts';
import type { SelfAnswer } from './queries.ts';

export function formView(
  questions: SurveyQuestion[],
  values: Record<string, unknown>,
  errors: Record<string, string> = {},
  locale: Locale,
) {
  const views = questionViews(asOptional(questions), values, errors, locale);
  return {
    questions: views,
    questionCount: questions.length,
    length: surveyLength(questions, locale),
    maxLength: formatNumberIn(locale, MAX_COMMENT_LENGTH),
    summary: Object.entries(errors).map(([field, text]) => ({
      text,
      href: views.find((q) => q.name === field) ? `#${views.find((q) => q.name === field)!.anchor}` : undefined,
    })),
  };
}

/** One of the manager's answers as they read it back: "Agree", an option, their words, or "Not answered". */
export function answerInWords(question: SurveyQuestion, answer: SelfAnswer | undefined, locale: Locale): string {
  if (!answer) return t(locale, 'selfAssessment.notAnswered');
  if (answer.not_applicable) return t(locale, 'selfAssessment.notApplicable');
  if (question.kind === 'text') return answer.text ?? '';
  if (question.kind === 'agree') return agreeLabel(answer.value ?? 0, locale);
  return question.choices[answer.value ?? -1] ?? '';
}

export function readOnlyView(questions: SurveyQuestion[], saved: SelfAnswer[], locale: Locale) {
  const byQuestion = new Map(saved.map((answer) => [answer.question_id, answer]));
  return questions.map((question, index) => {
    const answer = byQuestion.get(question.id);
    return {
      id: fieldName(question),
      number: index + 1,
      prompt: question.prompt,
      answer: answerInWords(question, answer, locale),
      answered: answer !== undefined,
      isText: question.kind === 'text' && answer !== undefined && !answer.not_applicable,
    };
  });
}
