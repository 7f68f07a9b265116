// The one-on-one's state changes, each one use case that owns its transaction and the emails
// it queues: save the agenda (and copy it into the report's notes), plan or move the meeting
// (an invitation or an update to both people), cancel it. The routes check who may first.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { addDays } from '../lib/dates.ts';
import { queueEmail } from '../email/outbox.ts';
import { paths } from '../http/paths.ts';
import { NOTES_MAX } from '../reports/forms.ts';
import { leaderAndManager, saveLeaderNotes, type ReportRound } from '../reports/queries.ts';
import { atSensibleHour } from '../rounds/sending-hours.ts';
import { describeMeeting, invitationText, invitationUid, zoneName, type Invitation } from './calendar.ts';
import { emailLocaleOf } from '../i18n/recipients.ts';
import { t, type Locale } from '../i18n/translate.ts';
import { lockLeaderNotes, lockOneOnOne, markCancelled, saveAgenda, saveMeeting, type OneOnOne } from './queries.ts';

export interface OneOnOneDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'BASE_URL' | 'CHECK_IN_DAYS'>;
  clock: Clock;
}

type Round = Pick<ReportRound, 'id' | 'managerName' | 'managerEmail' | 'leaderName' | 'leader_email'>;

/**
 * Saves the agenda; with `copy`, also adds it to the end of the leader's notes, unless the
 * notes would then be longer than they may be ('notes-full', nothing saved).
 */
export async function saveOneOnOneAgenda(
  deps: Pick<OneOnOneDeps, 'db' | 'clock'>,
  round: Round,
  agenda: string,
  copy: boolean,
): Promise<'saved' | 'copied' | 'notes-full'> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    if (copy) {
      const before = await lockLeaderNotes(trx, round.id);
      const notes = before.trim() ? `${before.trimEnd()}\n\n${agenda}` : agenda;
      if (notes.length > NOTES_MAX) return 'notes-full';
      await saveLeaderNotes(trx, round.id, notes);
    }
    await saveAgenda(trx, round.id, agenda, now);
    return copy ? 'copied' : 'saved';
  });
}

export interface MeetingInput {
  startsAt: Date;
  minutes: number;
  timeZone: string;
  place: string;
}

const sameMeeting = (held: OneOnOne, input: MeetingInput) =>
  held.cancelled_at === null &&
  held.starts_at?.getTime() === input.startsAt.getTime() &&
  held.minutes === input.minutes &&
  held.time_zone === input.timeZone &&
  held.place === input.place;

/**
 * Plans the meeting, or moves it: both people get an email with the calendar invitation
 * (METHOD:REQUEST, the same UID, a SEQUENCE one higher for every change), and "How's that
 * going?" is due CHECK_IN_DAYS after its start. Saving what is already planned sends nothing.
 */
export async function planMeeting(
  deps: OneOnOneDeps,
  round: Round,
  input: MeetingInput,
  leaderLocale: Locale,
): Promise<'planned' | 'moved' | 'unchanged'> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const held = await lockOneOnOne(trx, round.id, now);
    if (sameMeeting(held, input)) return 'unchanged';
    const first = held.starts_at === null;
    const change = first || held.cancelled_at !== null ? 'planned' : 'moved';
    const sequence = first ? 0 : held.sequence + 1;
    await saveMeeting(trx, round.id, {
      ...input,
      sequence,
      // On the meeting's own clock, never at night there (rounds/sending-hours.ts).
      checkInDueAt: atSensibleHour(addDays(input.startsAt, deps.config.CHECK_IN_DAYS), input.timeZone),
      now,
    });
    for (const person of bothOf(round)) {
      // Each in their own language, the calendar's text too; the same UID and SEQUENCE for both.
      const locale = await emailLocaleOf(trx, person.to, leaderLocale);
      const meeting = { ...input, sequence, method: 'REQUEST' as const, stamp: now };
      const calendar = invitationText(invitation(deps, round, meeting, locale));
      const when = describeMeeting(input.startsAt, input.minutes, input.timeZone, locale);
      await queueEmail(
        trx,
        {
          to: person.to,
          name: 'one-on-one-invitation',
          data: {
            ...person.names,
            managerName: round.managerName,
            moved: change === 'moved',
            when,
            minutes: input.minutes,
            zone: zoneName(input.timeZone, locale),
            place: input.place,
            link: person.link,
            locale,
          },
          calendar,
        },
        deps,
      );
    }
    return change;
  });
}

/** Calls the meeting off: METHOD:CANCEL with the next SEQUENCE to both; no check-in. */
export async function cancelMeeting(
  deps: OneOnOneDeps,
  round: Round,
  leaderLocale: Locale,
): Promise<'cancelled' | 'nothing-planned'> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const held = await lockOneOnOne(trx, round.id, now);
    if (!held.starts_at || !held.minutes || !held.time_zone || held.cancelled_at) return 'nothing-planned';
    const sequence = held.sequence + 1;
    await markCancelled(trx, round.id, sequence, now);
    const input = { startsAt: held.starts_at, minutes: held.minutes, timeZone: held.time_zone, place: held.place };
    for (const person of bothOf(round)) {
      const locale = await emailLocaleOf(trx, person.to, leaderLocale);
      const meeting = { ...input, sequence, method: 'CANCEL' as const, stamp: now };
      const calendar = invitationText(invitation(deps, round, meeting, locale));
      const when = describeMeeting(input.startsAt, input.minutes, input.timeZone, locale);
      await queueEmail(
        trx,
        {
          to: person.to,
          name: 'one-on-one-cancelled',
          data: { ...person.names, managerName: round.managerName, when, link: person.link, locale },
          calendar,
        },
        deps,
      );
    }
    return 'cancelled';
  });
}

/** The leader's link opens the one-on-one page, which is theirs alone; the manager's the report. */
function bothOf(round: Round) {
  return leaderAndManager(round).map(({ role, to, recipientName, otherName }) => ({
    to,
    names: { recipientName, otherName },
    link: role === 'leader' ? paths.reports.oneOnOne(round.id) : paths.reports.show(round.id),
  }));
}

function invitation(
  deps: Pick<OneOnOneDeps, 'config'>,
  round: Round,
  meeting: MeetingInput & { sequence: number; method: Invitation['method']; stamp: Date },
  locale: Locale,
): Invitation {
  const reportUrl = new URL(paths.reports.show(round.id), deps.config.BASE_URL).toString();
  return {
    method: meeting.method,
    uid: invitationUid(round.id, deps.config.BASE_URL),
    sequence: meeting.sequence,
    start: meeting.startsAt,
    minutes: meeting.minutes,
    zone: meeting.timeZone,
    place: meeting.place,
    summary: t(locale, 'oneOnOne.calendar.summary', { managerName: round.managerName }),
    description: t(locale, 'oneOnOne.calendar.description', {
      leaderName: round.leaderName,
      managerName: round.managerName,
      reportUrl,
    }),
    url: reportUrl,
    organizer: { name: round.leaderName, email: round.leader_email },
    attendee: { name: round.managerName, email: round.managerEmail },
    stamp: meeting.stamp,
  };
}
