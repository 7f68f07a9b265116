// What the edit page template needs: the draft's values, each error beside its field, and
// the error summary in page order, each entry linking to its field.
import type { RequestStatus } from '../db/schema.ts';
import { REQUEST_LIMITS, type RequestDraft } from './edit-form.ts';
import { QUESTION_LIMITS } from './questions.ts';
import { languageChoices } from '../i18n/languages.ts';
import { t, type Locale } from '../i18n/translate.ts';

/** Each kind of answer as the select names it: the catalogue's words (requests.kind.*). */
const KIND_OPTIONS = [
  { value: 'agree', key: 'requests.kind.agreeOption' },
  { value: 'choice', key: 'requests.kind.choice' },
  { value: 'text', key: 'requests.kind.text' },
];

const kindOptions = (selected: string, locale: Locale) =>
  KIND_OPTIONS.map(({ value, key }) => ({ value, label: t(locale, key), selected: value === selected }));

const KINDS = new Set(['agree', 'choice', 'text']);
const kindWords = (kind: string, locale: Locale) => (KINDS.has(kind) ? t(locale, `requests.kind.${kind}`) : kind);

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

export function editView(
  opts: {
    request: { id: string; status: RequestStatus; decline_reason: string | null };
    draft: RequestDraft;
    errors?: Record<string, string>;
    notices?: string[];
  },
  locale: Locale,
) {
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
    title: t(locale, 'requests.edit.title'),
    request,
    // Still shown after "Edit and send again" (back to draft), until it is sent again.
    declined: request.status === 'declined' || request.decline_reason !== null,
    values: draft,
    errors,
    errorList,
    inviteeErrors: errors.invitees?.split('\n'),
    notices: opts.notices ?? [],
    submitLabel: /@/.test(draft.leaderEmail)
      ? t(locale, 'requests.edit.submitTo', { leader: draft.leaderEmail })
      : t(locale, 'requests.edit.submitToLeader'),
    limits: { ...REQUEST_LIMITS, prompt: QUESTION_LIMITS.prompt },
    canAdd: draft.questions.length < QUESTION_LIMITS.questions,
    newKindOptions: kindOptions('agree', locale),
    languages: languageChoices(draft.surveyLanguage),
    questions: draft.questions.map((q, i) => {
      const hasErrors = [`kind_${i}`, `prompt_${i}`, `choices_${i}`].some((field) => errors[field]);
      return {
        ...q,
        index: i,
        kindLabel: kindWords(q.kind, locale),
        hasErrors,
        // Open where there is something to do: a mistake to fix, or a question still to write.
        open: hasErrors || !q.prompt.trim(),
        number: i + 1,
        first: i === 0,
        last: i === last,
        isChoice: q.kind === 'choice',
        kindOptions: kindOptions(q.kind, locale),
        ids: { prompt: `prompt_${i}`, kind: `kind_${i}`, choices: `choices_${i}` },
        errors: { kind: errors[`kind_${i}`], prompt: errors[`prompt_${i}`], choices: errors[`choices_${i}`] },
      };
    }),
  };
}
