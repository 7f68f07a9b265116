// A PostgreSQL server of the test's own: a fresh cluster in a temporary folder on a free
// loopback port, which the test may stop and start at will. The machine's shared server
// (127.0.0.1:5432) is never touched. initdb refuses to run as root, so as root the cluster
// is made and run by the `postgres` user through runuser.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/ports.ts';

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions
    .map((v) => path.join(root, v, 'bin'))
    .find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
}

const BIN = binDir();
const asRoot = process.getuid?.() === 0;
const postgresUid = (() => {
  if (!asRoot) return undefined;
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
  } catch {
    return undefined;
  }
})();

export const privatePostgresSkipReason: string | false = !BIN
  ? 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql: the database restart test is skipped'
  : asRoot && (!postgresUid || !existsSync('/usr/sbin/runuser'))
    ? 'running as root without a "postgres" user and runuser, so initdb cannot run: the database restart test is skipped'
    : false;

export interface PrivatePostgres {
  port: number;
  /** A URL for database `name` on this server. */
  url(name?: string): string;
  start(): void;
  stop(): void;
  /** Stops the server for good and deletes its folder. */
  remove(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!BIN) throw new Error('no PostgreSQL binaries');
  const dir = mkdtempSync(path.join(tmpdir(), 'upward-pg-'));
  const data = path.join(dir, 'data');
  if (postgresUid) chownSync(dir, postgresUid.uid, postgresUid.gid);
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? '/usr/sbin/runuser' : path.join(BIN, tool),
      asRoot ? ['-u', 'postgres', '--', path.join(BIN, tool), ...args] : args,
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      },
    );
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) =>
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', ...args]);
  let running = false;
  const handle: PrivatePostgres = {
    port,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    start() {
      ctl('start');
      running = true;
    },
    stop() {
      // fast: connections are cut at once, as in a failover or a restart by the provider.
      ctl('stop', '-m', 'fast');
      running = false;
    },
    remove() {
      try {
        if (running) ctl('stop', '-m', 'immediate');
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    handle.start();
  } catch (error) {
    handle.remove();
    throw error;
  }
  return handle;
}
