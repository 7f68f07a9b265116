// The names a round's emails and pages show: the manager's and the leader's display names,
// or their addresses when they have not given a name (the leader may never have signed in).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { zoneOf } from '../auth/users.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface RoundPeople {
  managerName: string;
  managerEmail: string;
  leaderName: string;
  leaderEmail: string;
}

export async function roundPeople(db: Db, requestId: string): Promise<RoundPeople> {
  const row = await db
    .selectFrom('feedback_requests as r')
    .innerJoin('users as manager', 'manager.id', 'r.manager_id')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .select([
      'manager.email as managerEmail',
      'manager.display_name as managerDisplayName',
      'r.leader_email as leaderEmail',
      'leader.display_name as leaderDisplayName',
    ])
    .where('r.id', '=', requestId)
    .executeTakeFirstOrThrow();
  return {
    managerName: row.managerDisplayName ?? row.managerEmail,
    managerEmail: row.managerEmail,
    leaderName: row.leaderDisplayName ?? row.leaderEmail,
    leaderEmail: row.leaderEmail,
  };
}

/** The zone a round lives by: its leader's, else the deployment's (auth/users.ts zoneOf). */
export async function roundZone(db: Db, requestId: string, fallback: string): Promise<string> {
  const row = await db
    .selectFrom('feedback_requests as r')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .select('leader.time_zone')
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  return zoneOf({ timeZone: row?.time_zone ?? null }, fallback);
}
