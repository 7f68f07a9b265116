// `npm run migrate` applies pending migrations; `npm run migrate -- down` reverts the last.
import { environmentConfig } from '../config.ts';
import { connectDatabase } from './connect.ts';
import { migrateDown, migrateToLatest } from './migrator.ts';
import { runCli } from '../lib/cli.ts';

await runCli(async () => {
  const direction = process.argv[2] ?? 'up';
  if (direction !== 'up' && direction !== 'down') throw new Error(`Unknown direction "${direction}": use up or down.`);
  const config = environmentConfig();
  const database = await connectDatabase(config);
  try {
    const names = direction === 'up' ? await migrateToLatest(database.db) : await migrateDown(database.db);
    const verb = direction === 'up' ? 'Applied' : 'Reverted';
    console.log(names.length ? `${verb}: ${names.join(', ')}` : 'Nothing to do: the database is up to date.');
  } finally {
    await database.close();
  }
});
