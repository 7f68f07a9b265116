// The initials the phone header shows in place of a name that does not fit (src/auth/users.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialsOf } from '../../src/auth/users.ts';

describe('initials', () => {
  it('takes the first letters of the first and last words of the name, else of the address', () => {
    assert.equal(initialsOf({ name: 'Lee Leader', email: 'lee@example.com' }), 'LL');
    assert.equal(initialsOf({ name: 'Mia van der Berg', email: 'mia@example.com' }), 'MB');
    assert.equal(initialsOf({ name: '  Ann  ', email: 'ann@example.com' }), 'A');
    assert.equal(initialsOf({ name: 'élodie ørsted', email: 'e@example.com' }), 'ÉØ');
    assert.equal(initialsOf({ name: null, email: 'zoe@example.com' }), 'Z');
    assert.equal(initialsOf({ name: '', email: 'zoe@example.com' }), 'Z');
  });
});
