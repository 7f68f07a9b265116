// Starting and stopping what the benchmark measures: the real app (src/main.ts, production
// mode) and the bare page it is compared with (bare-express.ts), each its own process on a
// free loopback port, plus readers of the server's resident memory (/proc/<pid>/status:
// VmRSS now, VmHWM the peak since start or since the peak was last reset).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
  /** Milliseconds from spawning the process until it answered /healthz. */
  readyMs: number;
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
  const spawned = performance.now();
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
  const readyMs = performance.now() - spawned;
  return {
    url,
    pid: child.pid!,
    readyMs,
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

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident set size of a process in bytes, or 0 once it is gone. */
export const rssOf = (pid: number): number => statusField(pid, 'VmRSS');

/** The kernel's own peak resident set size (VmHWM) in bytes: nothing between samples escapes it. */
export const peakRssOf = (pid: number): number => statusField(pid, 'VmHWM');

/**
 * Sets a process's VmHWM back to its present RSS (`5` into /proc/<pid>/clear_refs, Linux 4.0
 * on, the process's owner only), so that a later peakRssOf is the peak since now. False when
 * the kernel refuses; the samples of sampleRss are then all there is.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * The peak resident memory of a process from now until stopped: the kernel's VmHWM, reset
 * first, and as a fallback where it cannot be reset, VmRSS sampled every `everyMs`.
 */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  const exact = resetPeakRss(pid);
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid), exact ? peakRssOf(pid) : 0);
    },
  };
}
