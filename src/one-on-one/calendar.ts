// The meeting's time as people pick it (a day and a time on the clock of a time zone) and the
// calendar invitation sent with its emails (RFC 5545, written with ical-generator, its
// VTIMEZONE from @touch4it/ical-timezones). Pure: no database, no clock.
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';

/**
 * The zones a meeting can be given in: those Intl knows whose VTIMEZONE we can write, so
 * every calendar can place the time. UTC is always offered.
 */
export const TIME_ZONES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC' && getVtimezoneComponent(zone) !== null),
];

const DAY_MS = 86_400_000;

const isUtc = (zone: string) => zone === 'UTC' || zone === 'Etc/UTC';

/** The wall-clock fields of an instant in a zone: "2027-01-12", "09:00". */
export function wallTimeOf(instant: Date, zone: string): { day: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, zone: string): number {
  const { day, time } = wallTimeOf(instant, zone);
  const asUtc = Date.parse(`${day}T${time}:00Z`);
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/**
 * The instant a day and time on the clock of `zone` stand for. A time the clocks skip (the
 * spring change) comes out an hour later, as calendars read it; a time that happens twice
 * (the autumn change) is the first of the two.
 */
export function instantOf(day: string, time: string, zone: string): Date {
  const asUtc = Date.parse(`${day}T${time}:00Z`);
  // The zone's offsets a day either side cover both sides of any clock change that day.
  const offsets = [-DAY_MS, 0, DAY_MS].map((shift) => offsetAt(new Date(asUtc + shift), zone));
  const candidates = [...new Set(offsets.map((offset) => asUtc - offset))].sort((a, b) => a - b);
  const shows = (candidate: number) => {
    const wall = wallTimeOf(new Date(candidate), zone);
    return wall.day === day && wall.time === time;
  };
  // Skipped by the clocks: read with the offset before the change, which lands after it.
  return new Date(candidates.find(shows) ?? asUtc - offsets[0]!);
}

/** "Tuesday 12 January 2027, 09:00–09:30 (Europe/Berlin)", for pages and emails. */
export function describeMeeting(start: Date, minutes: number, zone: string): string {
  const end = new Date(start.getTime() + minutes * 60_000);
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(start);
  return `${day}, ${wallTimeOf(start, zone).time}–${wallTimeOf(end, zone).time} (${zoneName(zone)})`;
}

/** The zone as people read it: "Europe/Berlin" becomes "Europe/Berlin time"; UTC stays. */
export function zoneName(zone: string): string {
  return isUtc(zone) ? 'UTC' : `${zone.replaceAll('_', ' ')} time`;
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
 * Date (whose fields it would read in the server's zone). In UTC they are written with a Z.
 */
export function invitationText(invite: Invitation): string {
  const calendar = ical({
    prodId: { company: 'Upward', product: 'One-on-one', language: 'EN' },
    method: invite.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  // No calendar-wide zone (it would write DTSTAMP without its Z): the event names its own.
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  const end = new Date(invite.start.getTime() + invite.minutes * 60_000);
  const onClock = (instant: Date) => {
    const { day, time } = wallTimeOf(instant, invite.zone);
    return `${day}T${time}:00`;
  };
  const utc = isUtc(invite.zone);
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
