// The first thing the start command runs: on a Node.js older than the one the dependencies
// need, say which is needed and which was found, in one line, and exit 1, rather than die
// later on an API the old version lacks. The minimum is package.json's `engines.node`.
//
// Plain JavaScript that any Node can read, like compile-cache.mjs, which imports it first.
import { readFileSync } from 'node:fs';

/** The line to print when `found` is older than `engines` (">=X.Y.Z"), else null. */
export function tooOldMessage(found, engines) {
  const needed = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(engines);
  if (!needed) throw new Error(`package.json: engines.node should read ">=X.Y.Z", not "${engines}"`);
  const minimum = needed.slice(1).map(Number);
  const version = found.split('.').map(Number);
  const differs = version.findIndex((part, i) => part !== minimum[i]);
  if (differs === -1 || version[differs] > minimum[differs]) return null;
  return `Upward needs Node.js ${minimum.join('.')} or later (24 recommended); this is Node.js ${found}.`;
}

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const message = tooOldMessage(process.versions.node, engines.node);
if (message) {
  console.error(message);
  process.exit(1);
}
