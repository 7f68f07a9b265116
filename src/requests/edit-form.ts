// The request edit page's one form: details, team, closing date, note and every question.
// `draftFromForm` reads what was typed (all of it, so nothing is ever lost); the checks
// come in two strengths: what stops a draft being stored, and what stops it being sent.
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { QuestionKind } from '../db/schema.ts';
import { addDays, daysUntil, dayOf, endOfDayIn, isIsoDate } from '../lib/dates.ts';
import { emailAddress, isAllowedEmail, sameMailbox } from '../lib/email-address.ts';
import { parseInviteeList, type InviteeList } from './invitee-list.ts';
import { isLocale, t, type Locale } from '../i18n/translate.ts';
import { formatNumberIn } from '../i18n/format.ts';
import {
  choicesOf,
  isQuestionKind,
  questionsFromForm,
  readinessProblems,
  storageProblems,
  type QuestionDraft,
} from './questions.ts';

export const REQUEST_LIMITS = { note: 2_000, invitees: 1_000, daysAhead: 60, defaultDays: 14 };

export interface RequestDraft {
  leaderEmail: string;
  inviteesText: string;
  closesOn: string;
  note: string;
  /** The team's language (locales/): their invitation, reminders and survey page. */
  surveyLanguage: string;
  questions: QuestionDraft[];
}

const formText = z.string().catch('');
const requestFields = z.object({
  leader_email: formText,
  invitees: formText,
  closes_on: formText,
  note: formText,
  survey_language: formText,
  action: formText,
  new_kind: formText,
});

export function draftFromForm(
  body: unknown,
  locale: Locale,
): {
  draft: RequestDraft;
  action: string;
  newKind: QuestionKind;
  errors: Record<string, string>;
} {
  // A JSON list (or anything but a plain object) holds no fields; zod's parse would throw on it.
  const values = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const fields = requestFields.parse(values);
  const { questions, errors } = questionsFromForm(values, locale);
  return {
    draft: {
      leaderEmail: fields.leader_email.trim(),
      inviteesText: fields.invitees,
      closesOn: fields.closes_on.trim(),
      note: fields.note.trim(),
      surveyLanguage: fields.survey_language.trim(),
      questions,
    },
    action: fields.action || 'save',
    newKind: isQuestionKind(fields.new_kind) ? fields.new_kind : 'agree',
    errors,
  };
}

/** The default closing date of a new request: two weeks ahead, at the end of that day in `zone`. */
export const defaultClosesAt = (now: Date, zone: string) =>
  endOfDayIn(dayOf(addDays(now, REQUEST_LIMITS.defaultDays), zone), zone);

export interface CheckedDraft {
  errors: Record<string, string>;
  invitees: InviteeList;
  /** The leader's address normalised, or '' while none (or no valid one) is typed. */
  leaderEmail: string;
}

/** The form's messages are in the catalogues, under requests.errors (in the reader's language). */
const message = (locale: Locale, name: string, values?: Record<string, string | number>) =>
  t(locale, `requests.errors.${name}`, values);

export const leaderInvitedMessage = (locale: Locale) => message(locale, 'leaderInvited');

const outside = (locale: Locale, address: string, domains: readonly string[] | undefined) =>
  domains
    ? message(locale, 'outsideOf', { address, domains: domains.join(', ') })
    : message(locale, 'outside', { address });

/** What stops a pasted team list being read: text that is not an address, or too many people. */
export function inviteeListProblem(invitees: InviteeList, locale: Locale): string | undefined {
  if (invitees.invalid.length)
    return invitees.invalid
      .map((entry) => message(locale, 'notAnAddress', { line: String(entry.line), text: entry.text }))
      .join('\n');
  if (invitees.addresses.length > REQUEST_LIMITS.invitees)
    return message(locale, 'tooManyInvitees', { max: formatNumberIn(locale, REQUEST_LIMITS.invitees) });
  return undefined;
}

/**
 * What stops a readable team being sent (the request form, and the team pasted again for a
 * check-back): the manager's own address, a domain Upward does not accept, fewer than the
 * anonymity threshold.
 */
export function teamProblem(
  invitees: InviteeList,
  ctx: {
    selfEmail: string;
    config: Pick<Config, 'ANONYMITY_THRESHOLD' | 'ALLOWED_EMAIL_DOMAINS'>;
    /** The reader's language: the messages beside the field. */
    locale: Locale;
  },
): string | undefined {
  const { locale } = ctx;
  const domains = ctx.config.ALLOWED_EMAIL_DOMAINS;
  const refused = invitees.addresses.filter((email) => !isAllowedEmail(domains, email));
  const yourself = invitees.addresses.filter((email) => sameMailbox(email, ctx.selfEmail));
  const threshold = ctx.config.ANONYMITY_THRESHOLD;
  if (yourself.length) return message(locale, 'inviteeSelf', { addresses: yourself.join(', ') });
  if (refused.length) return refused.map((email) => outside(locale, email, domains)).join('\n');
  if (invitees.addresses.length < threshold)
    return message(locale, 'tooFew', { threshold, count: invitees.addresses.length });
  return undefined;
}

/** The team list holds the leader's address; they collect the answers and give none. */
export const leaderInTeam = (invitees: InviteeList, leaderEmail: string) =>
  invitees.addresses.some((email) => sameMailbox(email, leaderEmail));

/** What stops a draft being stored: text that is not an address or a date, or too long. */
function storageCheck(
  draft: RequestDraft,
  invitees: InviteeList,
  locale: Locale,
): { errors: Record<string, string>; leaderEmail: string } {
  const errors: Record<string, string> = {};
  let leaderEmail = '';
  if (draft.leaderEmail) {
    const leader = emailAddress.safeParse(draft.leaderEmail);
    if (leader.success) leaderEmail = leader.data;
    else errors.leader_email = message(locale, 'leaderInvalid');
  }
  const unreadable = inviteeListProblem(invitees, locale);
  if (unreadable) errors.invitees = unreadable;
  if (!draft.closesOn) errors.closes_on = message(locale, 'dateMissing');
  else if (!isIsoDate(draft.closesOn)) errors.closes_on = message(locale, 'dateInvalid');
  if (draft.note.length > REQUEST_LIMITS.note)
    errors.note = message(locale, 'noteLong', { max: formatNumberIn(locale, REQUEST_LIMITS.note) });
  if (!isLocale(draft.surveyLanguage)) errors.survey_language = message(locale, 'languageUnknown');
  return { errors: { ...errors, ...storageProblems(draft.questions, locale) }, leaderEmail };
}

/** Every check; `forSubmit` adds those that only matter once the leader is to get it. */
export function checkDraft(
  draft: RequestDraft,
  ctx: {
    forSubmit: boolean;
    selfEmail: string;
    now: Date;
    /** The round's zone (its leader's): "today" and the closing day are on its clock. */
    zone: string;
    config: Pick<Config, 'ANONYMITY_THRESHOLD' | 'ALLOWED_EMAIL_DOMAINS'>;
    /** The reader's language: the messages beside the fields. */
    locale: Locale;
  },
): CheckedDraft {
  const { locale } = ctx;
  const invitees = parseInviteeList(draft.inviteesText);
  const { errors, leaderEmail } = storageCheck(draft, invitees, locale);
  if (!ctx.forSubmit) return { errors, invitees, leaderEmail };

  const domains = ctx.config.ALLOWED_EMAIL_DOMAINS;
  if (!draft.leaderEmail) errors.leader_email = message(locale, 'leaderMissing');
  else if (leaderEmail && sameMailbox(leaderEmail, ctx.selfEmail)) errors.leader_email = message(locale, 'leaderSelf');
  else if (leaderEmail && leaderInTeam(invitees, leaderEmail)) errors.leader_email = leaderInvitedMessage(locale);
  else if (leaderEmail && !isAllowedEmail(domains, leaderEmail))
    errors.leader_email = outside(locale, leaderEmail, domains);

  if (!errors.invitees) {
    const problem = teamProblem(invitees, { selfEmail: ctx.selfEmail, config: ctx.config, locale });
    if (problem) errors.invitees = problem;
  }

  if (!errors.closes_on) {
    const days = daysUntil(draft.closesOn, ctx.now, ctx.zone);
    if (days < 1) errors.closes_on = message(locale, 'datePast');
    else if (days > REQUEST_LIMITS.daysAhead) {
      const latest = dayOf(addDays(ctx.now, REQUEST_LIMITS.daysAhead), ctx.zone);
      errors.closes_on = message(locale, 'dateFar', { days: REQUEST_LIMITS.daysAhead, date: latest });
    }
  }

  for (const [field, problem] of Object.entries(readinessProblems(draft.questions, locale))) errors[field] ??= problem;
  return { errors, invitees, leaderEmail };
}

/**
 * The draft as the repository stores it; only called once the storage checks passed. The
 * round closes at the end of its closing day on the clock of `zone`, its leader's.
 */
export function storableDraft(draft: RequestDraft, checked: CheckedDraft, zone: string) {
  return {
    leaderEmail: checked.leaderEmail,
    closesAt: endOfDayIn(draft.closesOn, zone),
    note: draft.note,
    surveyLanguage: draft.surveyLanguage,
    invitees: checked.invitees.addresses,
    questions: draft.questions.map((q) => ({
      kind: q.kind,
      prompt: q.prompt,
      required: q.required,
      choices: choicesOf(q),
    })),
  };
}

/** A stored request back in the form's shape, for the edit page. */
export function draftFromStored(
  request: { leader_email: string; closes_at: Date; manager_note: string; survey_language: string },
  questions: Array<{ kind: QuestionKind; prompt: string; required: boolean; choices: string[] }>,
  invitees: string[],
  zone: string,
): RequestDraft {
  return {
    leaderEmail: request.leader_email,
    inviteesText: invitees.join('\n'),
    closesOn: dayOf(request.closes_at, zone),
    note: request.manager_note,
    surveyLanguage: request.survey_language,
    questions: questions.map((q) => ({
      kind: q.kind,
      prompt: q.prompt,
      required: q.required,
      choicesText: q.choices.join('\n'),
    })),
  };
}
