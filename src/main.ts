// The entry point: reads the config, opens and migrates the database, serves, and shuts
// down cleanly on SIGTERM / SIGINT. Everything else is built by createApp.
// Started as `npm start` / the Dockerfile's CMD do it (Node flags: see the Dockerfile).
import { promises as fs } from 'node:fs';
import { flushCompileCache, getCompileCacheDir } from 'node:module';
import path from 'node:path';
import { FileMigrationProvider } from 'kysely/migration';
import { ConfigError, environmentConfig, resolveConfig } from './config.ts';
import { connectDatabase, importPglite } from './db/connect.ts';
import { MIGRATIONS_DIR, migrateToLatest } from './db/migrator.ts';
import { createApp } from './app.ts';
import { createLogger } from './http/logger.ts';
import { closeGracefully, listen, portOf } from './http/server.ts';
import { systemClock } from './lib/clock.ts';
import { createMailTransport } from './email/transport.ts';
import { createEmailWorker } from './email/worker.ts';
import { usesLocalMailbox } from './email/mailbox-routes.ts';
import { paths } from './http/paths.ts';
import { createRoundJobs } from './jobs/runner.ts';
import { sealUnsealedResponses } from './survey/seal-unsealed.ts';
import { linkSecretOf } from './rounds/survey-links.ts';
import { discoverOidcProvider } from './auth/oidc-client.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function readConfig() {
  try {
    return environmentConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/**
 * `--warm-up` (the Docker build runs it; so does the benchmark before it measures): loads what
 * a start loads beyond the imports above (the migrations, PGlite), writes Node's compile cache
 * (src/compile-cache.mjs) and exits, so that the first real start finds every module already
 * type-stripped and compiled. Needs no configuration and no database.
 */
async function warmUp(): Promise<never> {
  if (!getCompileCacheDir()) fail('--warm-up: the compile cache is off; start with --import ./src/compile-cache.mjs');
  await new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }).getMigrations();
  await importPglite();
  flushCompileCache();
  process.exit(0);
}
if (process.argv.includes('--warm-up')) await warmUp();

const config = readConfig();

const logger = createLogger(config.LOG_LEVEL);
// Single sign-on: the provider is discovered once, before anything else starts. One that
// cannot be reached, or is not an OpenID provider, stops the start with one line, in every
// environment: a sign-in button that could only fail is worse than no start.
const oidc = config.SIGN_IN_METHODS.includes('oidc')
  ? await discoverOidcProvider(config).catch((error: Error) => fail(error.message))
  : undefined;
const database = await connectDatabase(config).catch((error: Error) => fail(error.message));

try {
  const applied = await migrateToLatest(database.db);
  if (applied.length) logger.info({ applied }, 'database migrated');
} catch (error) {
  await database.close();
  fail(`Could not prepare the database: ${(error as Error).message}`);
}

const resolved = await resolveConfig(config);
// Answers left in plaintext by migration 0013 (rounds open when it ran) are sealed before anything is served.
const sealedNow = await sealUnsealedResponses(database.db, linkSecretOf(resolved));
if (sealedNow) logger.info({ sealed: sealedNow }, 'answers left in plaintext by the migration sealed');
const mailTransport = createMailTransport(config);

const app = createApp({
  db: database.db,
  config: resolved,
  clock: systemClock,
  mailTransport,
  logger,
  oidc,
});

const server = await listen(app, config.PORT, config.HOST, {
  headersMs: config.HTTP_HEADERS_TIMEOUT_MS,
  requestMs: config.HTTP_REQUEST_TIMEOUT_MS,
}).catch((error: Error) => {
  void database.close();
  return fail(`Could not listen on port ${config.PORT}: ${error.message}`);
});
// The app only queues emails; this worker sends them (`npm run worker` runs more of them).
const emailWorker = createEmailWorker({
  db: database.db,
  transport: mailTransport,
  clock: systemClock,
  logger,
  options: { from: config.MAIL_FROM, stopTimeoutMs: config.SHUTDOWN_TIMEOUT_MS },
});
emailWorker.start();
// Closes rounds on time, sends reminders and purges invitee addresses (safe in every process).
const roundJobs = createRoundJobs({
  db: database.db,
  clock: systemClock,
  config: resolved,
  logger,
});
roundJobs.start();
// Everything this start compiled is loaded by now: write it to the compile cache at once
// rather than at exit, which a killed process never reaches.
flushCompileCache();
// A newcomer's first sign-in link goes nowhere but the local mailbox: the ready line names it.
const mailbox = usesLocalMailbox(resolved) ? `${config.BASE_URL}${paths.mailbox.list()}` : undefined;
logger.info(
  { port: portOf(server), database: database.kind, url: config.BASE_URL, mailbox },
  `Upward is ready at ${config.BASE_URL} (database: ${database.kind === 'pglite' ? `embedded, in ${config.DATA_DIR}` : 'PostgreSQL'})` +
    (mailbox ? `. No SMTP_URL is set: emails are not sent but kept in the mailbox at ${mailbox}` : ''),
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  const deadline = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS + 5_000);
  deadline.unref();
  // Email queued by the last requests stays in the outbox for the next start or worker.
  const roundJobsStopped = roundJobs.stop();
  await Promise.all([closeGracefully(server, config.SHUTDOWN_TIMEOUT_MS), emailWorker.stop()]);
  await roundJobsStopped;
  mailTransport.close();
  await database.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
