// The before/after pair that most HTTP suites repeat: start the app on the suite's database,
// optionally make a manager, their leader and a stranger (createPeople) and sign some of them
// in, and close the app afterwards. Returns getters that are valid inside the suite's tests and later hooks.
import { after, before } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { startTestApp, testConfig, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import type { TestClient } from './client.ts';
import { createPeople, type People } from './factories.ts';
import { signedInClient } from './sessions.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp.ts';
import { createEmailWorker, type EmailWorker } from '../../src/email/worker.ts';
import { createLogger } from '../../src/http/logger.ts';

export function useTestApp(
  database: () => { db: Kysely<Database> },
  opts: {
    clock?: Clock;
    env?: Record<string, string>;
    people?: boolean;
    signIn?: Array<keyof People>;
    oidc?: Parameters<typeof startTestApp>[0]['oidc'];
  } = {},
) {
  let app: TestApp | undefined;
  let people: People | undefined;
  const clients = new Map<keyof People, TestClient>();
  before(async () => {
    const db = database().db;
    app = await startTestApp({ db, clock: opts.clock, env: opts.env, oidc: opts.oidc });
    if (!opts.people && !opts.signIn) return;
    people = await createPeople(db);
    for (const role of opts.signIn ?? []) clients.set(role, (await signedInClient(app, db, people[role])).client);
  });
  after(() => app?.close());
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready yet (or was not asked for)`);
    return value;
  };
  return {
    app: () => ready(app, 'the test app'),
    people: () => ready(people, 'the people'),
    /** Clients signed in as those of the people named in `signIn`. */
    leader: () => ready(clients.get('leader'), "the leader's client"),
    manager: () => ready(clients.get('manager'), "the manager's client"),
    stranger: () => ready(clients.get('stranger'), "the stranger's client"),
  };
}

/**
 * For a suite that needs one app on its own embedded database (pages whose behaviour does not
 * depend on the database kind, browser journeys): useTestApp on a PGlite database of its own,
 * dropped after the app is closed.
 */
export function useAppOnPglite(opts: Parameters<typeof useTestApp>[1] = {}) {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase('pglite');
  });
  const db = () => {
    if (!database) throw new Error('the test database is not ready yet');
    return database;
  };
  const suite = useTestApp(db, opts);
  // After hooks run in the order they are declared: the app closes first.
  after(() => database?.close());
  return { ...suite, db: () => db().db };
}

/**
 * A real SMTP server for the suite (tests/helpers/smtp.ts) and an email worker that sends
 * the suite database's outbox to it on the suite's clock, from the test configuration's
 * sender; the server is closed after the suite.
 */
export function useSmtpWorker(database: () => { db: Kysely<Database> }, opts: { clock: Clock }) {
  let smtp: TestSmtpServer | undefined;
  let worker: EmailWorker | undefined;
  before(async () => {
    smtp = await startSmtpServer();
    worker = createEmailWorker({
      db: database().db,
      transport: smtp.transport(),
      clock: opts.clock,
      logger: createLogger('silent'),
      options: { from: testConfig().MAIL_FROM },
    });
  });
  after(() => smtp?.close());
  return {
    smtp: () => smtp ?? fail('the SMTP server is not ready yet'),
    worker: () => worker ?? fail('the email worker is not ready yet'),
  };
}

function fail(message: string): never {
  throw new Error(message);
}
