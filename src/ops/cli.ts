// `npm run ops -- <command>`: the operator's tools, run beside (or instead of) the server
// with the same configuration. On error: one plain line on stderr and exit code 1.
//
//   export-person <email>        everything held about one person, as JSON on stdout
//   erase-person <email>         deletes it (see src/ops/person.ts for exactly what goes)
//   failed-emails                emails given up on: id, when, what, to whom, why
//   retry-emails --all | <id>…   puts failed emails back in the queue
import { environmentConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { pendingMigrations } from '../db/migrator.ts';
import { runCli } from '../lib/cli.ts';
import { systemClock } from '../lib/clock.ts';
import { erasePerson, exportPerson } from './person.ts';
import { listFailedEmails, retryFailedEmails } from './emails.ts';

const USAGE =
  'Usage: npm run ops -- export-person <email> | erase-person <email> | failed-emails | retry-emails --all | retry-emails <id>…';

function oneEmail(args: string[]): string {
  if (args.length !== 1 || !args[0]!.includes('@')) throw new Error(`Give exactly one email address. ${USAGE}`);
  return args[0]!;
}

await runCli(async () => {
  const [command, ...args] = process.argv.slice(2);
  if (!command || !['export-person', 'erase-person', 'failed-emails', 'retry-emails'].includes(command)) {
    throw new Error(command ? `Unknown command "${command}". ${USAGE}` : USAGE);
  }
  if (command === 'export-person' || command === 'erase-person') oneEmail(args);
  if (command === 'retry-emails' && !args.length) throw new Error(`Say which emails: --all, or their ids. ${USAGE}`);

  const config = environmentConfig();
  const database = await connectDatabase(config);
  try {
    const pending = await pendingMigrations(database.db);
    if (pending.length)
      throw new Error(`The database needs migrating first (npm run migrate); pending: ${pending.join(', ')}.`);
    const { db } = database;
    switch (command) {
      case 'export-person':
        console.log(JSON.stringify(await exportPerson(db, oneEmail(args)), null, 2));
        break;
      case 'erase-person': {
        const erased = await erasePerson(db, oneEmail(args));
        console.log(
          `Erased ${oneEmail(args).trim().toLowerCase()}: account ${erased.account ? 'deleted' : 'none'}, ` +
            `${erased.requestsDeleted} request(s) they made deleted with their responses, ` +
            `${erased.requestsLedKept} request(s) they lead kept without their address, ` +
            `${erased.invitationsRemoved + erased.addressesCleared} invitation(s) cleared, ${erased.emailsDeleted} email(s) deleted.`,
        );
        break;
      }
      case 'failed-emails': {
        const rows = await listFailedEmails(db);
        if (!rows.length) console.log('No failed emails.');
        for (const row of rows) {
          console.log(
            [
              row.id,
              row.created_at.toISOString(),
              row.name,
              row.to_address,
              `${row.attempts} attempt(s)`,
              row.last_error ?? '',
            ].join('\t'),
          );
        }
        break;
      }
      case 'retry-emails': {
        const count = await retryFailedEmails(db, args.includes('--all') ? 'all' : args, systemClock.now());
        console.log(`${count} email(s) queued again.`);
        break;
      }
    }
  } finally {
    await database.close();
  }
});
