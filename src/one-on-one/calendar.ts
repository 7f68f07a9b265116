// The meeting's time as people pick it (a day and a time on the clock of a time zone) and the
// calendar invitation sent with its emails (RFC 5545, written with ical-generator, its
// VTIMEZONE from @touch4it/ical-timezones). Pure: no database, no clock.
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
// @ts-expect-error: the package declares no types for its list of zone files.
import vtimezoneFiles from '@touch4it/ical-timezones/zones.js';
import { instantOf, isTimeZone, offsetAt, wallTimeOf } from '../lib/dates.ts';
import { intlLocale, t, type Locale } from '../i18n/translate.ts';

// The clock arithmetic lives in lib/dates.ts (a round's closing moment uses it too).
export { instantOf, wallTimeOf };

/** The zone names the VTIMEZONE library knows ("Area/Place"; it also holds abbreviations). */
const KNOWN_ZONES = Object.keys(vtimezoneFiles as Record<string, string>).filter((name) =>
  /^[\w+-]+(\/[\w+-]+)+$/.test(name),
);

/** Every zone a meeting can be given in: Intl's names and today's from the library, UTC first. */
export const TIME_ZONES: readonly string[] = [
  'UTC',
  ...[...new Set([...Intl.supportedValuesOf('timeZone'), ...KNOWN_ZONES])]
    .filter((zone) => zone !== 'UTC' && isTimeZone(zone))
    .sort(),
];

/**
 * The zones whose invitation names them (DTSTART;TZID=… with a VTIMEZONE): those the library
 * writes under the same name (it answers "Asia/Calcutta" with a VTIMEZONE named "Asia/Kolkata",
 * which a calendar would not match with DTSTART's TZID) with the offsets Intl gives them. In the
 * others the invitation gives the times in UTC, which every calendar shows on its own clock.
 */
const namedInInvitations = new Map<string, boolean>();

/**
 * Whether an invitation in this zone carries its TZID and VTIMEZONE (else its times are UTC).
 * Decided for a zone the first time it is asked and kept: checking every zone at start-up
 * slowed the start of every process, for the few zones meetings are ever put in.
 */
export function namesZone(zone: string): boolean {
  let named = namedInInvitations.get(zone);
  if (named === undefined) {
    const component = !TIME_ZONES.includes(zone) || isUtc(zone) ? null : vtimezoneNamed(zone);
    named = component !== null && agreesWithIntl(zone, component, new Date().getUTCFullYear());
    namedInInvitations.set(zone, named);
  }
  return named;
}

/** The zone's VTIMEZONE, if the library has one under exactly this TZID. */
function vtimezoneNamed(zone: string): string | null {
  const component = getVtimezoneComponent(zone);
  if (!component) return null;
  return component.split(/\r?\n/).includes(`TZID:${zone}`) ? component : null;
}

/** "+0530" as minutes east of UTC. */
function minutesOf(offset: string): number {
  return (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
}

/**
 * Whether the VTIMEZONE gives the zone the offsets Intl gives it in the middle of every month
 * of `year` (months when its clocks change are skipped). The library's data lag behind the
 * world's changes for some zones (Mexico dropped summer time in 2022): a calendar reading such
 * a VTIMEZONE would put the meeting an hour off, so those zones are not offered. Only yearly
 * rules are read; a zone with one-off changes in its VTIMEZONE is left out as well.
 */
function agreesWithIntl(zone: string, component: string, year: number): boolean {
  const blocks = [...component.matchAll(/BEGIN:(?:STANDARD|DAYLIGHT)([\s\S]*?)END:(?:STANDARD|DAYLIGHT)/g)].map(
    ([, body]) => ({
      offset: minutesOf(/TZOFFSETTO:([+-]\d{4})/.exec(body!)?.[1] ?? '+0000'),
      month: Number(/BYMONTH=(\d+)/.exec(body!)?.[1] ?? /DTSTART:\d{4}(\d{2})/.exec(body!)?.[1] ?? 1),
      yearly: /RRULE:FREQ=YEARLY/.test(body!),
    }),
  );
  if (blocks.length === 0 || (blocks.length > 1 && !blocks.every((block) => block.yearly))) return false;
  const starts = new Set(blocks.length > 1 ? blocks.map((block) => block.month) : []);
  const byMonth = [...blocks].sort((a, b) => a.month - b.month);
  for (let month = 1; month <= 12; month++) {
    if (starts.has(month)) continue;
    const inForce = byMonth.findLast((block) => block.month <= month) ?? byMonth.at(-1)!;
    const instant = new Date(Date.UTC(year, month - 1, 15, 12));
    if (offsetAt(instant, zone) / 60_000 !== (blocks.length > 1 ? inForce.offset : blocks[0]!.offset)) return false;
  }
  return true;
}

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC';
}

/** "Tuesday 12 January 2027, 09:00–09:30 (Europe/Berlin time)", for pages and emails, in `locale`. */
export function describeMeeting(start: Date, minutes: number, zone: string, locale: Locale): string {
  const end = new Date(start.getTime() + minutes * 60_000);
  const day = new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(start);
  const [from, to] = [wallTimeOf(start, zone).time, wallTimeOf(end, zone).time];
  return t(locale, 'oneOnOne.meeting.describe', { day, from, to, zone: zoneName(zone, locale) });
}

/** The zone as people read it: "Europe/Berlin" becomes "Europe/Berlin time"; UTC stays. */
export function zoneName(zone: string, locale: Locale): string {
  return isUtc(zone) ? 'UTC' : t(locale, 'oneOnOne.meeting.zoneTime', { zone: zone.replaceAll('_', ' ') });
}

export interface Invitation {
  /** REQUEST to invite or move, CANCEL to call it off. */
  method: 'REQUEST' | 'CANCEL';
  /** Stable for the meeting's whole life, so calendars update the event they hold. */
  uid: string;
  sequence: number;
  start: Date;
  minutes: number;
  zone: string;
  place: string;
  summary: string;
  description: string;
  /** The report's absolute address. */
  url: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  /** When the invitation was written (DTSTAMP, always UTC). */
  stamp: Date;
}

/** A meeting's UID: the request and the service's host, the same for every update. */
export function invitationUid(requestId: string, baseUrl: string): string {
  return `one-on-one-${requestId}@${new URL(baseUrl).hostname}`;
}

const looksLikeLink = (place: string) => /^https?:\/\/\S+$/i.test(place.trim());

/**
 * The iCalendar text. Start and end are given on the zone's clock with its TZID and VTIMEZONE
 * (Outlook needs the VTIMEZONE); ical-generator reads a string without an offset as a time on
 * that clock whatever the server's own zone, so they are passed as such strings, never as a
 * Date (whose fields it would read in the server's zone). In UTC, and in a zone whose
 * VTIMEZONE we cannot write right (namesZone), they are written in UTC with a Z.
 */
export function invitationText(invite: Invitation): string {
  const calendar = ical({
    prodId: { company: 'Upward', product: 'One-on-one', language: 'EN' },
    method: invite.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  // No calendar-wide zone (it would write DTSTAMP without its Z): the event names its own.
  calendar.timezone({ name: null, generator: vtimezoneNamed });
  const end = new Date(invite.start.getTime() + invite.minutes * 60_000);
  const onClock = (instant: Date) => {
    const { day, time } = wallTimeOf(instant, invite.zone);
    return `${day}T${time}:00`;
  };
  const utc = isUtc(invite.zone) || !namesZone(invite.zone);
  const link = looksLikeLink(invite.place) ? invite.place.trim() : null;
  const people = [
    // The organizer as an attendee too, so Outlook keeps the meeting in their calendar.
    { ...invite.organizer, status: ICalAttendeeStatus.ACCEPTED },
    { ...invite.attendee, status: ICalAttendeeStatus.NEEDSACTION },
  ];
  calendar.createEvent({
    id: invite.uid,
    sequence: invite.sequence,
    stamp: invite.stamp,
    start: utc ? invite.start : onClock(invite.start),
    end: utc ? end : onClock(end),
    ...(utc ? {} : { timezone: invite.zone }),
    summary: invite.summary,
    description: invite.description,
    location: invite.place.trim() || null,
    url: link ?? invite.url,
    organizer: invite.organizer,
    attendees: people.map((person) => ({
      name: person.name,
      email: person.email,
      role: ICalAttendeeRole.REQ,
      status: person.status,
      rsvp: person.status === ICalAttendeeStatus.NEEDSACTION && invite.method === 'REQUEST',
    })),
    status: invite.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
