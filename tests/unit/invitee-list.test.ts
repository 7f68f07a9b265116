import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseInviteeList } from '../../src/requests/invitee-list.ts';

describe('pasted invitee lists', () => {
  it('splits on commas, semicolons, spaces, tabs and new lines', () => {
    const list = parseInviteeList(
      'ann@example.com, bob@example.com;cy@example.com  di@example.com\ted@example.com\r\nfay@example.com\rgus@example.com',
    );
    assert.deepEqual(list.addresses, [
      'ann@example.com',
      'bob@example.com',
      'cy@example.com',
      'di@example.com',
      'ed@example.com',
      'fay@example.com',
      'gus@example.com',
    ]);
    assert.deepEqual(list.invalid, []);
    assert.equal(list.duplicates, 0);
  });

  it('keeps only the address of `Name <address>`, quoted names with commas too', () => {
    const list = parseInviteeList('Ann Lee <ann@example.com>, "Doe, Bob" <Bob@Example.com>; <cy@example.com>');
    assert.deepEqual(list.addresses, ['ann@example.com', 'bob@example.com', 'cy@example.com']);
    assert.deepEqual(list.invalid, []);
  });

  it('removes duplicates whatever their case, and counts them', () => {
    const list = parseInviteeList(
      'ann@example.com\nANN@example.com\nAnn <ann@EXAMPLE.com>\nbob@example.com bob@example.com',
    );
    assert.deepEqual(list.addresses, ['ann@example.com', 'bob@example.com']);
    assert.equal(list.duplicates, 3);
  });

  it('lists what is not an address with its line number', () => {
    const list = parseInviteeList('ann@example.com\n\nbob@\ncy@example.com, not-an-address\n<broken@>');
    assert.deepEqual(list.addresses, ['ann@example.com', 'cy@example.com']);
    assert.deepEqual(list.invalid, [
      { line: 3, text: 'bob@' },
      { line: 4, text: 'not-an-address' },
      { line: 5, text: 'broken@' },
    ]);
  });

  it('ignores empty lines and blank text', () => {
    assert.deepEqual(parseInviteeList('\n \n\t\n'), { addresses: [], invalid: [], duplicates: 0 });
    assert.deepEqual(parseInviteeList('').addresses, []);
    assert.deepEqual(parseInviteeList('\n\nann@example.com\n\n').addresses, ['ann@example.com']);
  });
});
