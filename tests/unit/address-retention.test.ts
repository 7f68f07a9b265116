// How long invitees' addresses are kept (addressesKeptUntil, loopNeedsTeam and the words the
// survey page and the invitation show, in src/domain/request-life.ts). The purge job's SQL
// is tested against both databases in tests/rounds/purge.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressesKeptUntil, addressesKeptWords, loopNeedsTeam } from '../../src/domain/request-life.ts';

const retention = { days: 30, maxDays: 180 };
const closedAt = new Date('2027-01-04T00:00:00Z');

describe('how long addresses are kept', () => {
  it('needs the team while a released report awaits its reply or a focus point awaits a closed check-back', () => {
    assert.equal(loopNeedsTeam({ status: 'closed', replySent: false, focusPointsNotCheckedBack: 0 }), false);
    assert.equal(loopNeedsTeam({ status: 'released', replySent: false, focusPointsNotCheckedBack: 0 }), true);
    assert.equal(loopNeedsTeam({ status: 'released', replySent: true, focusPointsNotCheckedBack: 0 }), false);
    assert.equal(loopNeedsTeam({ status: 'released', replySent: true, focusPointsNotCheckedBack: 1 }), true);
    assert.equal(loopNeedsTeam({ status: 'closed', replySent: false, focusPointsNotCheckedBack: 2 }), true);
  });

  it('keeps them INVITEE_RETENTION_DAYS after the close, or up to INVITEE_RETENTION_MAX_DAYS while needed', () => {
    assert.equal(addressesKeptUntil(closedAt, false, retention).toISOString(), '2027-02-03T00:00:00.000Z');
    assert.equal(addressesKeptUntil(closedAt, true, retention).toISOString(), '2027-07-03T00:00:00.000Z');
    assert.equal(
      addressesKeptUntil(closedAt, true, { days: 30, maxDays: 10 }).toISOString(),
      '2027-02-03T00:00:00.000Z',
      'never sooner than INVITEE_RETENTION_DAYS',
    );
  });

  it('says so in words with the configured numbers', () => {
    assert.equal(
      addressesKeptWords({ kind: 'round', managerName: 'Mona' }, retention, 'en'),
      'Your email address is deleted 30 days after the round closes, or later while Mona still has to reply to the team or check back on what they said they would work on, but never more than 180 days after.',
    );
    assert.equal(
      addressesKeptWords({ kind: 'round', managerName: 'Mona' }, { days: 1, maxDays: 1 }, 'en'),
      'Your email address is deleted 1 day after the round closes.',
      'no "later" when the cap leaves no room for it',
    );
    assert.equal(
      addressesKeptWords({ kind: 'check-back', managerName: 'Mona' }, retention, 'en'),
      'Your email address is deleted 30 days after this check-back closes, or sooner, when the addresses of the round it follows up on are deleted.',
    );
  });
});
