// Calendar arithmetic on days picked by people, and instants on the clock of a zone (src/lib/dates.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, dayOf, endOfDayIn, formatDate, formatDateTime } from '../../src/lib/dates.ts';

describe('addMonths', () => {
  it('keeps the day of the month, across the turn of the year', () => {
    assert.equal(addMonths('2026-12-01', 6), '2027-06-01');
    assert.equal(addMonths('2026-07-15', 6), '2027-01-15');
    assert.equal(addMonths('2026-03-10', 24), '2028-03-10');
  });

  it("takes the month's last day when the month is shorter", () => {
    assert.equal(addMonths('2026-08-31', 6), '2027-02-28');
    assert.equal(addMonths('2027-08-31', 6), '2028-02-29', 'a leap year');
    assert.equal(addMonths('2026-12-31', 6), '2027-06-30');
    assert.equal(addMonths('2028-02-29', 12), '2029-02-28');
  });
});

describe('endOfDayIn', () => {
  it('is the millisecond before the next day starts on the clock of the zone', () => {
    assert.equal(endOfDayIn('2026-12-20', 'America/Los_Angeles').toISOString(), '2026-12-21T07:59:59.999Z');
    assert.equal(endOfDayIn('2027-07-20', 'America/Los_Angeles').toISOString(), '2027-07-21T06:59:59.999Z');
    assert.equal(endOfDayIn('2026-12-20', 'UTC').toISOString(), '2026-12-20T23:59:59.999Z');
  });

  it('on the days the clocks change (23 and 25 hours long), and across the date line', () => {
    assert.equal(endOfDayIn('2027-03-28', 'Europe/Berlin').toISOString(), '2027-03-28T21:59:59.999Z');
    assert.equal(endOfDayIn('2027-10-31', 'Europe/Berlin').toISOString(), '2027-10-31T22:59:59.999Z');
    assert.equal(endOfDayIn('2027-03-14', 'America/Los_Angeles').toISOString(), '2027-03-15T06:59:59.999Z');
    assert.equal(endOfDayIn('2026-12-20', 'Pacific/Auckland').toISOString(), '2026-12-20T10:59:59.999Z');
    assert.equal(endOfDayIn('2027-04-04', 'Pacific/Auckland').toISOString(), '2027-04-04T11:59:59.999Z');
    // Chile skips midnight in spring: 6 September 2026 ends when 7 September starts, at 01:00.
    assert.equal(endOfDayIn('2026-09-06', 'America/Santiago').toISOString(), '2026-09-07T02:59:59.999Z');
  });
});

describe('formatDateTime and dayOf', () => {
  it('write an instant on the clock of a zone, with the zone named', () => {
    const instant = new Date('2026-12-20T17:00:00Z');
    assert.equal(formatDateTime(instant, 'Europe/Berlin'), '20 December 2026, 18:00 CET');
    assert.equal(formatDateTime(instant, 'America/Los_Angeles'), '20 December 2026, 09:00 PST');
    assert.equal(formatDateTime(new Date('2027-07-01T12:00:00Z'), 'Europe/Berlin'), '1 July 2027, 14:00 CEST');
    assert.equal(formatDateTime(instant), '20 December 2026, 17:00 UTC');
    assert.equal(formatDateTime(instant, 'Asia/Tokyo'), '21 December 2026, 02:00 GMT+9');
    assert.equal(dayOf(instant, 'Pacific/Auckland'), '2026-12-21');
    assert.equal(formatDate(instant, 'Pacific/Auckland'), '21 December 2026');
    assert.equal(
      formatDate('2026-12-20', 'Pacific/Auckland'),
      '20 December 2026',
      'a calendar day is the same day everywhere',
    );
  });
});
