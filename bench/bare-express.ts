// The survey page's ceiling: a bare Express 5 serving GET /page, the least an app can do for
// a survey page: run the page's query on PostgreSQL (a pg pool of 10, the query prepared) and
// send the page's bytes. PORT and HOST come from the harness; BARE_DATABASE_URL, BARE_QUERY
// (with BARE_QUERY_VALUES, a JSON array) and BARE_PAGE_FILE from startBarePage (harness.ts).
// The query's first parameter is the array of links to look up: the views that arrive
// together share one query, as in the app (src/db/fast-path/batches.ts). Between this and the
// real survey page is everything the app adds to that.
import express from 'express';
import pg from 'pg';
import DataLoader from 'dataloader';
import { MAX_BATCH } from '../src/db/fast-path/batches.ts';
import { readFileSync } from 'node:fs';

const app = express();
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
const { BARE_DATABASE_URL, BARE_QUERY, BARE_QUERY_VALUES, BARE_PAGE_FILE } = process.env;
let pool: pg.Pool | undefined;
if (BARE_DATABASE_URL && BARE_QUERY && BARE_PAGE_FILE) {
  pool = new pg.Pool({ connectionString: BARE_DATABASE_URL, max: 10 });
  const page = readFileSync(BARE_PAGE_FILE);
  const [links, ...rest] = JSON.parse(BARE_QUERY_VALUES ?? '[]') as [string[], ...unknown[]];
  const link = links[0]!;
  const lookups = new DataLoader<string, unknown>(
    async (keys) => {
      const { rows } = await pool!.query({ name: 'bare_page', text: BARE_QUERY, values: [keys, ...rest] });
      return keys.map(() => rows[0]);
    },
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (send) => setImmediate(send) },
  );
  app.get('/page', async (_req, res) => {
    if (!(await lookups.load(link))) throw new Error('the page query found no link');
    res.type('html').set('Content-Length', String(page.length)).end(page);
  });
}
const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void (pool?.end() ?? Promise.resolve()).then(() => process.exit(0))));
