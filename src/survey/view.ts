// What the survey template needs for each question: ids, labels, what is checked or typed,
// and the error beside it. Built here so the template stays simple and the answers a person
// gave come back exactly as they left them.
import { NOT_APPLICABLE } from '../domain/request-life.ts';
import { AGREE_CHOICES, MAX_COMMENT_LENGTH, fieldName } from './form.ts';
import type { SurveyQuestion } from './queries.ts';
import { t, type Locale } from '../i18n/translate.ts';

export interface OptionView {
  id: string;
  value: string;
  label: string;
  checked: boolean;
}

export interface QuestionView {
  id: string;
  name: string;
  number: number;
  prompt: string;
  required: boolean;
  isText: boolean;
  /** An agree question: its five points are laid out as a scale, "not applicable" set apart. */
  isAgree: boolean;
  options: OptionView[];
  /** "Not applicable", shown apart from the scale so it is not read as its middle or end. */
  apart?: OptionView;
  text: string;
  maxLength: number;
  /** Where the error summary links to: the first control of the question. */
  anchor: string;
  error?: string;
}

/** Only a string can have come from our own form; anything else shows as unanswered. */
const stringOf = (value: unknown) => (typeof value === 'string' ? value : '');

export function questionViews(
  questions: SurveyQuestion[],
  values: Record<string, unknown> = {},
  errors: Record<string, string> = {},
  locale: Locale,
): QuestionView[] {
  return questions.map((question, index) => {
    const name = fieldName(question);
    const given = stringOf(values[name]);
    const choices =
      question.kind === 'agree'
        ? AGREE_CHOICES.map((option) => ({ value: option.value, label: t(locale, `agree.${option.value}`) }))
        : question.kind === 'choice'
          ? question.choices.map((label, i) => ({ value: String(i), label }))
          : [];
    const options = choices.map((option) => ({
      ...option,
      id: `${name}-${option.value}`,
      checked: option.value === given,
    }));
    const apart = options.find((option) => option.value === NOT_APPLICABLE.value);
    return {
      id: name,
      name,
      number: index + 1,
      prompt: question.prompt,
      required: question.required,
      isText: question.kind === 'text',
      isAgree: question.kind === 'agree',
      options: options.filter((option) => option !== apart),
      apart,
      text: question.kind === 'text' ? given : '',
      maxLength: MAX_COMMENT_LENGTH,
      anchor: options[0]?.id ?? name,
      error: errors[name],
    };
  });
}

/** Seconds a person takes, roughly: a rating is read and picked quickly, a comment takes thought. */
const SECONDS = { agree: 15, choice: 15, text: 60 } as const;

/** "12 questions · about 5 minutes", for the top of the survey. */
export function surveyLength(questions: Pick<SurveyQuestion, 'kind'>[], locale: Locale): string {
  const seconds = questions.reduce((sum, q) => sum + SECONDS[q.kind], 0);
  const minutes = Math.max(1, Math.round(seconds / 60));
  return t(locale, 'survey.length', { questions: questions.length, minutes });
}
