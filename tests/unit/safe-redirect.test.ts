import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeLocalPath } from '../../src/lib/safe-redirect.ts';

describe('return-to paths', () => {
  it('keeps a path on this site', () => {
    for (const path of ['/', '/account', '/requests/42?tab=people', '/a/b#c']) assert.equal(safeLocalPath(path), path);
  });

  it('refuses anything that could lead elsewhere', () => {
    for (const path of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'evil',
      '',
      '/x\r\nSet-Cookie: a=b',
      '/\\/x',
      '/a\\b',
      undefined,
      42,
      ['/'],
      `/${'a'.repeat(600)}`,
    ]) {
      assert.equal(safeLocalPath(path), undefined, `refused: ${JSON.stringify(path)}`);
    }
  });
});
