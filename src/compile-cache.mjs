// Preloaded by the start command (`node … --import ./src/compile-cache.mjs src/main.ts`, see
// the `start` script and the Dockerfile) before any of the app's TypeScript is read: turns on
// Node's module compile cache. A start then keeps the type-stripped source and V8's compiled
// code of every module; the next start reads them back and never loads Node's type stripper
// (a WebAssembly module that stays resident once loaded; docs/BENCHMARKS.md says what it
// costs). Nothing changes on a cache miss (an edited file is stripped again).
//
// Plain JavaScript on purpose: a .ts file here would itself need the stripper.
//
// The cache is kept in node_modules/.cache, owned by whoever installed the app, rather than in
// Node's default shared temporary folder, where another local user could plant code in it.
// NODE_COMPILE_CACHE, when set, wins (Node turns the cache on before this runs);
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import './require-node.mjs';
import module from 'node:module';
import path from 'node:path';

module.enableCompileCache(path.join(import.meta.dirname, '..', 'node_modules', '.cache', 'upward-compile-cache'));
