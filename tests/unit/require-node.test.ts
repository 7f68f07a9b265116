import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tooOldMessage } from '../../src/require-node.mjs';

describe('the start on an older Node.js', () => {
  it('names the version needed and the version found, and lets newer ones through', () => {
    assert.equal(
      tooOldMessage('20.20.2', '>=22.22.2'),
      'Upward needs Node.js 22.22.2 or later (24 recommended); this is Node.js 20.20.2.',
    );
    assert.match(tooOldMessage('22.22.1', '>=22.22.2') ?? '', /this is Node\.js 22\.22\.1/);
    assert.match(tooOldMessage('22.9.0', '>=22.22.2') ?? '', /needs Node\.js 22\.22\.2/);
    for (const newer of ['22.22.2', '22.23.0', '24.0.0', '100.0.0'])
      assert.equal(tooOldMessage(newer, '>=22.22.2'), null);
  });

  // Debian's Node on these machines is older than the one Upward needs.
  const oldNode = '/usr/bin/node';
  const oldVersion = existsSync(oldNode)
    ? spawnSync(oldNode, ['-p', 'process.versions.node']).stdout?.toString().trim()
    : '';
  const isOlder = Boolean(oldVersion) && Number(oldVersion.split('.')[0]) < 22;
  it(
    "`npm start`'s command prints one line and exits 1 on it",
    { skip: !isOlder && `no Node older than 22 at ${oldNode}` },
    () => {
      const start = spawnSync(oldNode, ['--import', './src/compile-cache.mjs', 'src/main.ts'], { encoding: 'utf8' });
      assert.equal(start.status, 1);
      assert.equal(start.stdout, '');
      assert.equal(
        start.stderr,
        `Upward needs Node.js 22.22.2 or later (24 recommended); this is Node.js ${oldVersion}.\n`,
      );
    },
  );
});
