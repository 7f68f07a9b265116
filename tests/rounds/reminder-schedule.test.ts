// REMINDERS: validated with a clear message, and turned into due times at launch.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { reminderTimes } from '../../src/rounds/reminder-schedule.ts';

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
    const round = { launchedAt: new Date('2026-11-02T00:00:00Z'), closesAt: new Date('2026-11-12T00:00:00Z') };
    const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
    assert.deepEqual(iso(reminderTimes(['halfway', '1d'], { ...round, now: round.launchedAt })), [
      '2026-11-07T00:00:00.000Z',
      '2026-11-11T00:00:00.000Z',
    ]);
    assert.deepEqual(iso(reminderTimes(['5d', 'halfway'], { ...round, now: round.launchedAt })), [
      '2026-11-07T00:00:00.000Z',
    ]);
    assert.deepEqual(iso(reminderTimes(['20d', '1d'], { ...round, now: round.launchedAt })), [
      '2026-11-11T00:00:00.000Z',
    ]);
    assert.deepEqual(reminderTimes([], { ...round, now: round.launchedAt }), []);
  });
});
