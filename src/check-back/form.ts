// The check-back's two forms: the leader's launch (a closing date, CHECK_BACK_DAYS ahead
// unless changed, within the bounds a round's closing date has) and the manager's team pasted
// again, read and checked exactly as the request form reads and checks its team list.
import { z } from 'zod';
import type { Config } from '../config.ts';
import { addDays, dayOf } from '../lib/dates.ts';
import { parseInviteeList } from '../requests/invitee-list.ts';
import { inviteeListProblem, leaderInTeam, leaderInvitedMessage, teamProblem } from '../requests/edit-form.ts';
import type { Locale } from '../i18n/translate.ts';
import { detailsForm } from '../collect/forms.ts';
import type { FormResult } from '../http/forms.ts';

/** The closing date as the leader's request form takes it: after today, at most 60 days ahead. */
export const launchForm = (now: Date, zone: string, locale: Locale) =>
  detailsForm(now, zone, locale).pick({ closes_on: true });

/** The closing day a check-back gets unless the leader picks another, on the leader's clock (`zone`). */
export const defaultClosingDay = (now: Date, config: Pick<Config, 'CHECK_BACK_DAYS'>, zone: string) =>
  dayOf(addDays(now, config.CHECK_BACK_DAYS), zone);

const teamFields = z.object({ invitees: z.string().catch('') });

/** The pasted team: its addresses, each once, or the request form's message beside the field. */
export function parseTeamForm(
  body: unknown,
  ctx: {
    managerEmail: string;
    leaderEmail: string;
    config: Pick<Config, 'ANONYMITY_THRESHOLD' | 'ALLOWED_EMAIL_DOMAINS'>;
    /** The manager's language: the messages beside the field. */
    locale: Locale;
  },
): FormResult<{ addresses: string[] }> {
  const values = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { invitees: text } = teamFields.parse(values);
  const invitees = parseInviteeList(text);
  const problem =
    inviteeListProblem(invitees, ctx.locale) ??
    (leaderInTeam(invitees, ctx.leaderEmail) ? leaderInvitedMessage(ctx.locale) : undefined) ??
    teamProblem(invitees, { selfEmail: ctx.managerEmail, config: ctx.config, locale: ctx.locale });
  if (problem) return { ok: false, errors: { invitees: problem }, values: { invitees: text } };
  return { ok: true, data: { addresses: invitees.addresses } };
}
