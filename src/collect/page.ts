// Renders a request's page for its leader (views/collect/show.hbs), with whatever a form
// sent back: the details form while it waits for a decision, the extend form while open.
import { languageChoices, languageName } from '../i18n/languages.ts';
import { localeOr, t } from '../i18n/translate.ts';
import { formatDateIn, formatDateTimeIn } from '../i18n/format.ts';
import { allows, hasReport, isCheckBack, isOpen, statusWord, thresholdInForce } from '../domain/request-life.ts';
import type { Response } from 'express';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { closingFields } from './forms.ts';
import { zoneOf } from '../auth/users.ts';
import { countResponses, listInvitations, questionsOf } from '../rounds/round-queries.ts';
import { listReminders, peopleForCheck, type LeaderRequest } from './queries.ts';
import { addressesToCheck } from './addresses-to-check.ts';
import { describeQuestion, participation, reminderSummary } from './view.ts';
import { replySentAt } from '../reply/queries.ts';

export interface PageForms {
  notice?: string;
  /** An action that could not be done, said at the top of the page. */
  problem?: string;
  /** The details form (closing date, note to the team) as sent back with its errors. */
  details?: { values: Record<string, unknown>; errors: Record<string, string> };
  extend?: { values: Record<string, unknown>; errors: Record<string, string> };
}

export async function renderLeaderPage(
  res: Response,
  deps: { db: Kysely<Database>; config: Pick<Config, 'ANONYMITY_THRESHOLD' | 'TIME_ZONE'>; clock: Clock },
  request: LeaderRequest,
  forms: PageForms = {},
  status = 200,
): Promise<void> {
  const { db, config } = deps;
  // The leader is the one viewing: their closing day and reminder times are on their clock.
  const zone = zoneOf(res.locals.currentUser, config.TIME_ZONE);
  const locale = localeOr(res.locals.locale);
  const [questions, invitations] = await Promise.all([questionsOf(db, request.id), listInvitations(db, request.id)]);
  const launched = request.invited_count !== null;
  const answered = launched ? await countResponses(db, request.id) : 0;
  const open = isOpen(request);
  const now = deps.clock.now();
  const reminderPoints = open ? await listReminders(db, request.id) : [];
  const waiting = allows.review(request);
  // Marks matter before the launch only, while the leader can still remove an address.
  const checks = waiting
    ? addressesToCheck(
        invitations.map((invitation) => invitation.email!),
        await peopleForCheck(db, request.id),
        locale,
      )
    : [];
  const reasons = new Map(checks.map((check) => [check.email, check.reasons]));
  // Once released, whether the manager's reply to the team (src/reply/) went, and when.
  const replySent = allows.replyToTeam(request) ? await replySentAt(db, request.id) : null;
  res.status(status).render('collect/show', {
    title: t(locale, isCheckBack(request) ? 'collect.show.titleCheckBack' : 'collect.show.titleRound', {
      managerName: request.manager_name,
    }),
    request,
    // A check-back (src/check-back/) is followed here like a round; its results are in the round's report.
    checkBack: isCheckBack(request),
    state: statusWord('leader', request.status, locale),
    // Dates on the leader's clock, in their language.
    closesAt: formatDateTimeIn(locale, request.closes_at, zone),
    closesOn: formatDateIn(locale, request.closes_at, zone),
    closedOn: request.closed_at ? formatDateIn(locale, request.closed_at, zone) : null,
    notice: forms.notice,
    problem: forms.problem,
    waiting,
    open,
    reminders: open ? reminderSummary(reminderPoints, now, zone, locale) : null,
    everyoneAnswered: request.invited_count !== null && answered >= request.invited_count,
    // The report page exists (it says so itself when too few answered).
    hasReport: hasReport(request),
    reply: allows.replyToTeam(request) ? { sentOn: replySent ? formatDateIn(locale, replySent) : null } : null,
    canExtend: allows.extend(request),
    participation: participation(answered, request.invited_count),
    questions: questions.map((question) => ({ ...question, description: describeQuestion(question, locale) })),
    invitations: invitations.map((invitation) => ({ ...invitation, reasons: reasons.get(invitation.email ?? '') })),
    inviteeCount: invitations.length,
    checkCount: checks.length,
    threshold: thresholdInForce(request, config.ANONYMITY_THRESHOLD),
    belowThreshold: waiting && invitations.length < thresholdInForce(request, config.ANONYMITY_THRESHOLD),
    purged: request.invitees_purged_at !== null,
    values: forms.details?.values ?? {
      ...closingFields(request.closes_at, zone),
      team_note: request.team_note,
      survey_language: request.survey_language,
    },
    languages: languageChoices(String(forms.details?.values?.survey_language ?? request.survey_language)),
    surveyLanguageName: languageName(localeOr(request.survey_language)),
    zone,
    errors: forms.details?.errors,
    extendValues: forms.extend?.values ?? {},
    extendErrors: forms.extend?.errors,
  });
}
