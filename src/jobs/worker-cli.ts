// `npm run worker`: sends queued email without serving pages, for running more senders
// beside the app. Meant for PostgreSQL (DATABASE_URL): the embedded database belongs to one
// process, so with it this refuses to start while `npm start` runs (which sends email itself).
import { environmentConfig, resolveConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { pendingMigrations } from '../db/migrator.ts';
import { createLogger } from '../http/logger.ts';
import { runCli } from '../lib/cli.ts';
import { systemClock } from '../lib/clock.ts';
import { createMailTransport } from '../email/transport.ts';
import { createEmailWorker } from '../email/worker.ts';
import { createRoundJobs } from './runner.ts';
import { sealUnsealedResponses } from '../survey/seal-unsealed.ts';
import { linkSecretOf } from '../rounds/survey-links.ts';

await runCli(async () => {
  const config = await resolveConfig(environmentConfig());
  const logger = createLogger(config.LOG_LEVEL);
  const database = await connectDatabase(config);
  const transport = createMailTransport(config);
  const worker = createEmailWorker({
    db: database.db,
    transport,
    clock: systemClock,
    logger,
    options: { from: config.MAIL_FROM, stopTimeoutMs: config.SHUTDOWN_TIMEOUT_MS },
  });
  const close = async () => {
    transport.close();
    await database.close();
  };

  // Migrating is the app's job on start; a worker on an older schema would fail row by row.
  const pending = await pendingMigrations(database.db).catch(async (error: Error) => {
    await close();
    throw error;
  });
  if (pending.length) {
    await close();
    throw new Error(`The database needs migrating first (npm run migrate); pending: ${pending.join(', ')}.`);
  }

  // The round jobs (closing, reminders, purging) run here too; reminders rebuild each survey
  // link from the session secret, so this process needs the app's.
  const roundJobs = createRoundJobs({
    db: database.db,
    clock: systemClock,
    config,
    logger,
  });
  const sealedNow = await sealUnsealedResponses(database.db, linkSecretOf(config));
  if (sealedNow) logger.info({ sealed: sealedNow }, 'answers left in plaintext by the migration sealed');
  roundJobs.start();
  worker.start();
  logger.info({ database: database.kind }, 'email worker started');
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'email worker stopping: finishing the batch in flight');
  await roundJobs.stop();
  await worker.stop();
  await close();
  logger.info('email worker stopped');
});
