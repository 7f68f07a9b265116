// /healthz says the process is alive (for restarts); /readyz says it can serve (for load
// balancers): the database answers and has every migration this code expects.
import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { pendingMigrations } from '../db/migrator.ts';
import { mailCounts } from '../email/outbox.ts';

export function healthRoutes(db: Kysely<Database>): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await sql`select 1`.execute(db);
    } catch {
      res.status(503).json({ status: 'not ready', database: 'unreachable' });
      return;
    }
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      res.status(503).json({ status: 'not ready', database: 'ok', migrations: 'pending', pending });
      return;
    }
    // Mail waiting or given up on does not make the service unready, but operators watch it.
    res.json({ status: 'ready', database: 'ok', migrations: 'current', mail: await mailCounts(db) });
  });

  return router;
}
