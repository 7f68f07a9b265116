// REMINDERS: validated with a clear message, and turned into due times at launch.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { reminderTimes } from '../../src/rounds/reminder-schedule.ts';
import { atSensibleHour } from '../../src/rounds/sending-hours.ts';

describe('reminder points', () => {
  it('default to halfway and one day before closing; an empty value means none', () => {
    assert.deepEqual(loadConfig({}).REMINDERS, ['halfway', '1d']);
    assert.deepEqual(loadConfig({ REMINDERS: ' 3d, Halfway ' }).REMINDERS, ['3d', 'halfway']);
    assert.deepEqual(loadConfig({ REMINDERS: '' }).REMINDERS, []);
    assert.equal(loadConfig({}).INVITEE_RETENTION_DAYS, 30);
  });

  it('refuse anything else, naming the variable and what is allowed', () => {
    for (const bad of ['soon', '0d', '1w', 'halfway;1d']) {
      assert.throws(
        () => loadConfig({ REMINDERS: bad }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, /REMINDERS must be a comma-separated list of halfway or <n>d/);
          return true;
        },
      );
    }
    assert.throws(() => loadConfig({ INVITEE_RETENTION_DAYS: '0' }), /INVITEE_RETENTION_DAYS must be at least 1/);
  });

  it('fall between launch and close, skipping points already past and duplicates', () => {
    // Midnight is at night on the round's clock (UTC here): each point waits for 09:00.
    const round = {
      launchedAt: new Date('2026-11-02T00:00:00Z'),
      closesAt: new Date('2026-11-12T00:00:00Z'),
      zone: 'UTC',
    };
    const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
    assert.deepEqual(iso(reminderTimes(['halfway', '1d'], { ...round, now: round.launchedAt })), [
      '2026-11-07T09:00:00.000Z',
      '2026-11-11T09:00:00.000Z',
    ]);
    assert.deepEqual(iso(reminderTimes(['5d', 'halfway'], { ...round, now: round.launchedAt })), [
      '2026-11-07T09:00:00.000Z',
    ]);
    assert.deepEqual(iso(reminderTimes(['20d', '1d'], { ...round, now: round.launchedAt })), [
      '2026-11-11T09:00:00.000Z',
    ]);
    assert.deepEqual(reminderTimes([], { ...round, now: round.launchedAt }), []);
  });

  it("go out in waking hours on the round's clock: a point due at night waits for 09:00 there", () => {
    const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
    // Launched on Monday evening in Los Angeles (20:00, 04:00Z), closing at the end of Friday there.
    const round = {
      launchedAt: new Date('2026-11-03T04:00:00Z'),
      closesAt: new Date('2026-11-07T07:59:59.999Z'),
      zone: 'America/Los_Angeles',
      now: new Date('2026-11-03T04:00:00Z'),
    };
    // Halfway is 22:00 on Wednesday there: it waits for Thursday 09:00 (17:00Z). One day
    // before the close is 23:59 on Thursday: it waits for Friday 09:00.
    assert.deepEqual(iso(reminderTimes(['halfway', '1d'], round)), [
      '2026-11-05T17:00:00.000Z',
      '2026-11-06T17:00:00.000Z',
    ]);
    // On a Berlin leader's clock halfway is 07:00 (night: waits for 09:00 CET, 08:00Z) and
    // one day before the close is 08:59, in waking hours: it goes out as it is.
    assert.deepEqual(iso(reminderTimes(['halfway', '1d'], { ...round, zone: 'Europe/Berlin' })), [
      '2026-11-05T08:00:00.000Z',
      '2026-11-06T07:59:59.999Z',
    ]);
  });
});

describe('sending hours', () => {
  it('keep waking hours as they are and move the night to the next 09:00 on the clock of the zone', () => {
    const at = (iso: string, zone: string) => atSensibleHour(new Date(iso), zone).toISOString();
    assert.equal(
      at('2026-12-10T11:00:00Z', 'America/Los_Angeles'),
      '2026-12-10T17:00:00.000Z',
      '03:00 waits for 09:00',
    );
    assert.equal(
      at('2026-12-10T06:00:00Z', 'America/Los_Angeles'),
      '2026-12-10T17:00:00.000Z',
      '22:00 waits for the next morning',
    );
    assert.equal(
      at('2026-12-10T20:00:00Z', 'America/Los_Angeles'),
      '2026-12-10T20:00:00.000Z',
      '12:00 goes out as it is',
    );
    assert.equal(at('2026-12-10T16:00:00Z', 'America/Los_Angeles'), '2026-12-10T16:00:00.000Z', '08:00 is morning');
    assert.equal(at('2026-12-10T05:00:00Z', 'America/Los_Angeles'), '2026-12-10T17:00:00.000Z', '21:00 is night');
    // 02:30 on the night Berlin's clocks go forward waits for 09:00 CEST (07:00Z).
    assert.equal(at('2027-03-28T00:30:00Z', 'Europe/Berlin'), '2027-03-28T07:00:00.000Z');
    // Across the date line: 23:00 in Auckland on 20 December waits for 09:00 on the 21st (20:00Z on the 20th).
    assert.equal(at('2026-12-20T10:00:00Z', 'Pacific/Auckland'), '2026-12-20T20:00:00.000Z');
  });
});
