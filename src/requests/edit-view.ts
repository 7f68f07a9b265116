// What the edit page template needs: the draft's values, each error beside its field, and
// the error summary in page order, each entry linking to its field.
import type { RequestStatus } from '../db/schema.ts';
import { REQUEST_LIMITS, type RequestDraft } from './edit-form.ts';
import { QUESTION_LIMITS } from './questions.ts';
import { languageChoices } from '../i18n/languages.ts';

const KIND_OPTIONS = [
  { value: 'agree', label: 'Agree scale (5 steps, or not applicable)' },
  { value: 'choice', label: 'Single choice' },
  { value: 'text', label: 'Free text' },
];

const KIND_WORDS: Record<string, string> = { agree: 'Agree scale', choice: 'Single choice', text: 'Free text' };

const kindOptions = (selected: string) =>
  KIND_OPTIONS.map((option) => ({ ...option, selected: option.value === selected }));

/** Each field's id (as in the errors object) and how the summary names it. */
function fieldOrder(draft: RequestDraft): string[] {
  return [
    'leader_email',
    'invitees',
    'closes_on',
    'survey_language',
    'note',
    ...draft.questions.flatMap((_q, i) => [`kind_${i}`, `prompt_${i}`, `choices_${i}`]),
    'questions',
  ];
}

export function editView(opts: {
  request: { id: string; status: RequestStatus; decline_reason: string | null };
  draft: RequestDraft;
  errors?: Record<string, string>;
  notices?: string[];
}) {
  const { request, draft } = opts;
  const errors = opts.errors ?? {};
  const last = draft.questions.length - 1;
  const errorList = fieldOrder(draft)
    .filter((field) => errors[field])
    .map((field) => ({
      href: `#${field === 'questions' ? 'new_kind' : field}`,
      message: errors[field]!.split('\n')[0] + (errors[field]!.includes('\n') ? ' …' : ''),
    }));
  return {
    title: 'Edit your request',
    request,
    // Still shown after "Edit and send again" (back to draft), until it is sent again.
    declined: request.status === 'declined' || request.decline_reason !== null,
    values: draft,
    errors,
    errorList,
    inviteeErrors: errors.invitees?.split('\n'),
    notices: opts.notices ?? [],
    submitLabel: /@/.test(draft.leaderEmail) ? `Submit to ${draft.leaderEmail}` : 'Submit to your leader',
    limits: { ...REQUEST_LIMITS, prompt: QUESTION_LIMITS.prompt },
    canAdd: draft.questions.length < QUESTION_LIMITS.questions,
    newKindOptions: kindOptions('agree'),
    languages: languageChoices(draft.surveyLanguage),
    questions: draft.questions.map((q, i) => {
      const hasErrors = [`kind_${i}`, `prompt_${i}`, `choices_${i}`].some((field) => errors[field]);
      return {
        ...q,
        index: i,
        kindLabel: KIND_WORDS[q.kind] ?? q.kind,
        hasErrors,
        // Open where there is something to do: a mistake to fix, or a question still to write.
        open: hasErrors || !q.prompt.trim(),
        number: i + 1,
        first: i === 0,
        last: i === last,
        isChoice: q.kind === 'choice',
        kindOptions: kindOptions(q.kind),
        ids: { prompt: `prompt_${i}`, kind: `kind_${i}`, choices: `choices_${i}` },
        errors: { kind: errors[`kind_${i}`], prompt: errors[`prompt_${i}`], choices: errors[`choices_${i}`] },
      };
    }),
  };
}
