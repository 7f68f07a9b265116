// What the survey template needs for each question: ids, labels, what is checked or typed,
// and the error beside it. Built here so the template stays simple and the answers a person
// gave come back exactly as they left them.
import { AGREE_CHOICES, MAX_COMMENT_LENGTH, fieldName } from './form.ts';
import type { SurveyQuestion } from './queries.ts';

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
  options: OptionView[];
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
): QuestionView[] {
  return questions.map((question, index) => {
    const name = fieldName(question);
    const given = stringOf(values[name]);
    const choices =
      question.kind === 'agree'
        ? AGREE_CHOICES.map((option) => ({ value: option.value, label: option.label }))
        : question.kind === 'choice'
          ? question.choices.map((label, i) => ({ value: String(i), label }))
          : [];
    const options = choices.map((option) => ({
      ...option,
      id: `${name}-${option.value}`,
      checked: option.value === given,
    }));
    return {
      id: name,
      name,
      number: index + 1,
      prompt: question.prompt,
      required: question.required,
      isText: question.kind === 'text',
      options,
      text: question.kind === 'text' ? given : '',
      maxLength: MAX_COMMENT_LENGTH,
      anchor: options[0]?.id ?? name,
      error: errors[name],
    };
  });
}
