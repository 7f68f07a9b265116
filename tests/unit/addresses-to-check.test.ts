// The rule that marks invitee addresses for the leader to check before launch
// (src/collect/addresses-to-check.ts), and the mailbox rule the submit form refuses with.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressesToCheck, type RoundPeopleForCheck } from '../../src/collect/addresses-to-check.ts';
import { mailboxOf, sameMailbox } from '../../src/lib/email-address.ts';

const MIA: RoundPeopleForCheck = {
  managerEmail: 'mia.manager@example.com',
  managerName: 'Mia Manager',
  leaderEmail: 'lee@example.com',
};

/** The marked addresses of `team`, each with its reasons. */
const marks = (team: string[], people: RoundPeopleForCheck = MIA) =>
  Object.fromEntries(addressesToCheck(team, people, 'en').map((check) => [check.email, check.reasons]));

describe('addresses the leader is asked to check', () => {
  it('marks nothing in a team of colleagues at the same domain, subdomains included', () => {
    assert.deepEqual(
      marks(['ann@example.com', 'bo.jones@example.com', 'cy@eu.example.com', 'mia.jones@example.com']),
      {},
    );
  });

  it('marks an address outside the domains of the manager and the leader, naming them', () => {
    assert.deepEqual(marks(['ann@example.com', 'bob@gmail.com']), {
      'bob@gmail.com': ['Not at example.com, where you and Mia Manager have your addresses.'],
    });
    const twoDomains = marks(['ann@example.org', 'bob@example.com', 'cy@example.net'], {
      ...MIA,
      leaderEmail: 'lee@example.org',
    });
    assert.deepEqual(Object.keys(twoDomains), ['cy@example.net']);
    assert.match(twoDomains['cy@example.net']![0]!, /^Not at example\.com or example\.org, /);
    assert.deepEqual(marks(['ann@notexample.com']), {
      'ann@notexample.com': ['Not at example.com, where you and Mia Manager have your addresses.'],
    });
  });

  it('marks addresses that look like the manager’s: same local part, containing it, or their whole name', () => {
    const like = 'Looks like Mia Manager’s own address, mia.manager@example.com.';
    const outside = 'Not at example.com, where you and Mia Manager have your addresses.';
    assert.deepEqual(
      marks([
        'mia.manager@gmail.com', // the same local part at another domain
        'miamanager+2@example.com', // without its dots, with a tag
        'mia.manager.private@example.com', // containing it
        'manager-mia@example.com', // both words of the name
        'mia.m@example.com', // only the first name: a colleague called Mia
      ]),
      {
        'mia.manager@gmail.com': [outside, like],
        'miamanager+2@example.com': [like],
        'mia.manager.private@example.com': [like],
        'manager-mia@example.com': [like],
      },
    );
  });

  it('reads names without accents, and needs 3 characters before "containing" counts', () => {
    const renee = { managerEmail: 'rd@example.com', managerName: 'Renée Dubois', leaderEmail: 'lee@example.com' };
    assert.deepEqual(Object.keys(marks(['renee.dubois@example.com', 'rd@example.org', 'rdx@example.com'], renee)), [
      'renee.dubois@example.com',
      'rd@example.org',
    ]);
    const mia = { managerEmail: 'mia@example.com', managerName: null, leaderEmail: 'lee@example.com' };
    assert.deepEqual(Object.keys(marks(['mia2@example.com', 'amelia@example.com', 'm.i.a@example.com'], mia)), [
      'mia2@example.com',
      'm.i.a@example.com',
    ]);
  });

  it('marks addresses of the team that differ only by a +tag or dots, naming the others', () => {
    assert.deepEqual(marks(['bob@example.com', 'ann@example.com', 'bob+2@example.com', 'b.ob@example.com']), {
      'bob@example.com': [
        'Differs from bob+2@example.com or b.ob@example.com only by a +tag or dots: many mail services deliver both to one inbox.',
      ],
      'bob+2@example.com': [
        'Differs from bob@example.com or b.ob@example.com only by a +tag or dots: many mail services deliver both to one inbox.',
      ],
      'b.ob@example.com': [
        'Differs from bob@example.com or bob+2@example.com only by a +tag or dots: many mail services deliver both to one inbox.',
      ],
    });
    assert.deepEqual(
      marks(['bob@example.com', 'bob@example.org', 'bobby@example.com'], { ...MIA, leaderEmail: 'lee@example.org' }),
      {},
    );
  });
});

describe('one mailbox, as the submit form refuses it', () => {
  it('ignores a +tag and letter case, not dots or the domain', () => {
    assert.equal(mailboxOf('Mia+Team@Example.COM'), 'mia@example.com');
    assert.ok(sameMailbox('mia+2@example.com', 'MIA@example.com'));
    assert.ok(!sameMailbox('mia@example.com', 'mia@example.org'));
    assert.ok(!sameMailbox('m.ia@example.com', 'mia@example.com'));
  });
});
