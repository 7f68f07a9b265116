// Boots the real app (createApp) on a loopback port for HTTP tests, with a test config, a
// manual clock and whatever database the test hands in.
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/db/schema.ts';
import { ManualClock, type Clock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { closeGracefully, portOf } from '../../src/http/server.ts';
import { createMailTransport } from '../../src/email/transport.ts';
import type { OidcProvider } from '../../src/auth/oidc-client.ts';

/** The server secret of every test app: signs sessions and derives survey link tokens. */
export const TEST_SECRET = 'test-session-secret-that-is-long-enough-0123456789';

export function testConfig(env: Record<string, string> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent-test-data', ...env }),
    SESSION_SECRET: TEST_SECRET,
  };
}

/** Collects log lines written by the app, for tests that check what is (not) logged. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  get text() {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  url: string;
  server: Server;
  clock: Clock;
  config: Config;
  logs: LogCapture;
  /** The app's transport: as in development, the local mailbox unless `mailTransport` was given. */
  mailTransport: Transporter;
  close(): Promise<void>;
}

export async function startTestApp(opts: {
  db: Kysely<Database>;
  env?: Record<string, string>;
  clock?: Clock;
  mailTransport?: Transporter;
  /** Starts an OpenID provider once the app's address is known (tests/helpers/oidc-provider.ts). */
  oidc?: (appUrl: string) => Promise<{ env: Record<string, string>; oidc: OidcProvider }>;
}): Promise<TestApp> {
  const clock = opts.clock ?? new ManualClock();
  const logs = new LogCapture();
  // Listen first, so BASE_URL (and every link in every email) points at this very server.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${portOf(server)}`;
  const sso = await opts.oidc?.(url);
  const config = testConfig({ BASE_URL: url, ...sso?.env, ...opts.env });
  const mailTransport = opts.mailTransport ?? createMailTransport(config);
  const logger = createLogger('info', logs);
  const app = createApp({ db: opts.db, config, clock, mailTransport, logger, oidc: sso?.oidc });
  server.on('request', app);
  return { url, server, clock, config, logs, mailTransport, close: () => closeGracefully(server, 1_000) };
}
