// Calendar arithmetic on days picked by people (src/lib/dates.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths } from '../../src/lib/dates.ts';

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
