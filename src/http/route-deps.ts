// What every feature's routes get from createApp.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import type { Sessions } from './session.ts';

export interface RouteDeps {
  db: Kysely<Database>;
  clock: Clock;
  config: Config;
  sessions: Sessions;
}
