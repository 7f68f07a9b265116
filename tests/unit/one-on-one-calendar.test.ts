// The meeting's time on a zone's clock and the calendar invitation written from it, read back
// with ical.js (a second library), whatever zone the server itself runs in.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { instantOf, invitationText, namesZone, TIME_ZONES, type Invitation } from '../../src/one-on-one/calendar.ts';

const invite = (changes: Partial<Invitation> = {}): Invitation => ({
  method: 'REQUEST',
  uid: 'one-on-one-1@upward.example.com',
  sequence: 0,
  start: new Date('2027-01-12T14:00:00Z'),
  minutes: 30,
  zone: 'America/New_York',
  place: 'Room 4; second floor, by the window',
  summary: 'One-on-one: feedback for Mira',
  description: 'About the months ahead',
  url: 'https://upward.example.com/reports/1',
  organizer: { name: 'Leo Leader', email: 'leo@example.com' },
  attendee: { name: 'Mira Manager', email: 'mira@example.com' },
  stamp: new Date('2026-12-01T09:00:00Z'),
  ...changes,
});

function read(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const vevent = root.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    tzid: vevent.getFirstProperty('dtstart')!.getParameter('tzid'),
    location: event.location,
    zones: root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')),
  };
}

it('reads a day and time on the clock of a zone as the instant it stands for, across clock changes', () => {
  assert.equal(instantOf('2027-01-12', '09:00', 'Europe/Berlin').toISOString(), '2027-01-12T08:00:00.000Z');
  assert.equal(instantOf('2027-07-12', '09:00', 'Europe/Berlin').toISOString(), '2027-07-12T07:00:00.000Z');
  assert.equal(instantOf('2027-01-12', '09:00', 'America/New_York').toISOString(), '2027-01-12T14:00:00.000Z');
  assert.equal(instantOf('2027-01-12', '09:00', 'Asia/Kolkata').toISOString(), '2027-01-12T03:30:00.000Z');
  assert.equal(instantOf('2027-01-12', '09:00', 'UTC').toISOString(), '2027-01-12T09:00:00.000Z');
  // 02:30 does not happen in Berlin on 28 March 2027: it is read as 03:30, after the change.
  assert.equal(instantOf('2027-03-28', '02:30', 'Europe/Berlin').toISOString(), '2027-03-28T01:30:00.000Z');
  // 02:30 happens twice on 31 October 2027: the first one.
  assert.equal(instantOf('2027-10-31', '02:30', 'Europe/Berlin').toISOString(), '2027-10-31T00:30:00.000Z');
});

it('writes start and end on the zone clock with its VTIMEZONE, and a calendar reads back the instants picked', () => {
  const text = invitationText(invite());
  assert.match(text, /^DTSTART;TZID=America\/New_York:20270112T090000\r?$/m);
  assert.match(text, /^DTEND;TZID=America\/New_York:20270112T093000\r?$/m);
  assert.match(text, /^DTSTAMP:20261201T090000Z\r?$/m);
  const read1 = read(text);
  assert.equal(read1.start, '2027-01-12T14:00:00.000Z');
  assert.equal(read1.end, '2027-01-12T14:30:00.000Z');
  assert.deepEqual(read1.zones, ['America/New_York']);
  assert.equal(read1.location, 'Room 4; second floor, by the window', 'escaped and read back as typed');

  const summer = read(invitationText(invite({ start: new Date('2027-07-12T13:00:00Z'), minutes: 90 })));
  assert.equal(summer.start, '2027-07-12T13:00:00.000Z');
  assert.equal(summer.end, '2027-07-12T14:30:00.000Z');

  const utc = invitationText(invite({ zone: 'UTC' }));
  assert.match(utc, /^DTSTART:20270112T140000Z\r?$/m, 'in UTC the times carry their Z');
  assert.equal(read(utc).start, '2027-01-12T14:00:00.000Z');
});

it('names the zone in the invitation where its VTIMEZONE is right, else gives UTC; a calendar reads the instant picked in every zone', () => {
  assert.equal(TIME_ZONES[0], 'UTC');
  for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Ho_Chi_Minh', 'Australia/Adelaide'])
    assert.ok(TIME_ZONES.includes(zone) && namesZone(zone), zone);
  assert.ok(TIME_ZONES.includes('Asia/Calcutta') && !namesZone('Asia/Calcutta'), 'its VTIMEZONE is named Asia/Kolkata');
  let named = 0;
  for (const zone of TIME_ZONES.slice(1)) {
    for (const start of [new Date('2027-02-01T12:00:00Z'), new Date('2027-07-01T12:00:00Z')]) {
      const calendar = read(invitationText(invite({ zone, start })));
      if (namesZone(zone)) {
        assert.deepEqual([calendar.tzid, calendar.zones], [zone, [zone]], `${zone}: DTSTART names the VTIMEZONE sent`);
        named++;
      } else assert.deepEqual([calendar.tzid, calendar.zones], [undefined, []], `${zone}: in UTC`);
      assert.equal(calendar.start, start.toISOString(), zone);
    }
  }
  assert.ok(named / 2 > 350, `most zones are named: ${named / 2} of ${TIME_ZONES.length - 1}`);
});
