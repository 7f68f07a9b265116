// Runs Upward's real entry points as child processes, for tests of start-up, shutdown and
// concurrency that only separate processes can show.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Exited>;
}

export function startNode(script: string, env: Record<string, string | undefined>, args: string[] = []): Running {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<Exited>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, output: () => stdout + stderr, exited };
}

/** Runs a script to completion, failing after `timeoutMs`. */
export async function runNode(
  script: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
  timeoutMs = 60_000,
) {
  const run = startNode(script, env, args);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const result = await run.exited;
  clearTimeout(timer);
  return result;
}

/** Starts `src/main.ts` and resolves with its URL once it says it is ready. */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 30_000) {
  const run = startNode('src/main.ts', { PORT: '0', HOST: '127.0.0.1', ...env });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"port":(\d+)/.exec(run.output());
    if (match) return { ...run, url: `http://127.0.0.1:${match[1]}` };
    const early = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r(undefined), 50))]);
    if (early) throw new Error(`the server exited before it was ready:\n${run.output()}`);
  }
  run.child.kill('SIGKILL');
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${run.output()}`);
}
