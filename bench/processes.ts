// Starting and stopping what the benchmark measures: the real app (src/main.ts, production
// mode) and a bare Express 5 hello world, each its own process on a free loopback port, plus
// a reader of the server's resident memory (/proc/<pid>/status, VmRSS) while it is loaded.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freePort } from '../tests/helpers/ports.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * How production starts the app, so that the benchmark measures it with the same Node flags
 * (see the Dockerfile). The one place they are written is the `start` script of package.json,
 * `node <flags> src/main.ts`; the Dockerfile cannot read it, so its CMD (and the warm-up that
 * fills the compile cache) repeat it word for word, and this refuses to run when they do not.
 * The image also sets MALLOC_ARENA_MAX (glibc reads it before Node starts, so no flag can);
 * that is taken from the Dockerfile too, so the figures are the image's (plain `npm start`
 * lacks it: ~15-20 MB more under load).
 */
export function productionStart(): { nodeArgs: string[]; script: string; env: Record<string, string> } {
  const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts.start!.trim().split(/\s+/);
  const script = words.at(-1)!;
  if (words[0] !== 'node' || !script.endsWith('.ts'))
    throw new Error(`package.json: the start script is not "node <flags> <script>.ts": ${pkg.scripts.start}`);
  const dockerfile = readFileSync(`${ROOT}/Dockerfile`, 'utf8');
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const warmUp = /^RUN\s+(\[.*"--warm-up"\])\s*$/m.exec(dockerfile)?.[1];
  if (!cmd || !isDeepStrictEqual(JSON.parse(cmd), words)) {
    throw new Error(
      `Dockerfile: CMD ${cmd ?? '(none)'} is not the start script of package.json (${pkg.scripts.start})`,
    );
  }
  if (!warmUp || !isDeepStrictEqual(JSON.parse(warmUp), [...words, '--warm-up'])) {
    throw new Error(`Dockerfile: the warm-up RUN ${warmUp ?? '(none)'} is not the start script with --warm-up`);
  }
  const arenas = /^ENV MALLOC_ARENA_MAX=(\d+)\s*$/m.exec(dockerfile)?.[1];
  return { nodeArgs: words.slice(1, -1), script, env: arenas ? { MALLOC_ARENA_MAX: arenas } : {} };
}

let warmedUp = false;

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resolves once the process has exited after SIGTERM (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** What the process wrote to stderr, for error messages. */
  errors(): string;
}

async function waitUntilListening(
  url: string,
  child: ChildProcess,
  stderr: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited before it was ready:\n${stderr()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.ok || res.status === 404) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${stderr()}`);
}

/**
 * Runs `script` with `env` on a fresh port; the app (productionStart's script) with the Node
 * flags and malloc setting of production, then `args`. Its log goes to /dev/null (production
 * logs at `info`, so the app still formats every request line); stderr is kept for diagnostics.
 */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<ServerProcess> {
  const app = productionStart();
  const isApp = script === app.script;
  const flags = isApp ? app.nodeArgs : [];
  if (isApp && !warmedUp) {
    // The Docker image is built with a warm compile cache, and `npm start` has one from its
    // second start on; measure that, not the first start after an edit of the sources.
    const warm = spawnSync(process.execPath, [...flags, script, '--warm-up'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    if (warm.status !== 0) throw new Error(`${script} --warm-up failed:\n${warm.stderr}`);
    warmedUp = true;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...flags, ...args, script], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: url,
      ...(isApp ? app.env : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilListening(url, child, () => stderr);
  return {
    url,
    pid: child.pid!,
    errors: () => stderr,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in bytes, or 0 once it is gone. */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; resolves with the peak seen. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    },
  };
}
