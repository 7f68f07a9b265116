// The typed shape of the database, one interface per table. Row types for queries come from
// these through Kysely's Selectable / Insertable / Updateable, never re-declared by hand.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable {
  id: Generated<string>;
  /** Stored lower-cased and trimmed, so one person has one account. */
  email: string;
  display_name: string | null;
  created_at: Generated<Date>;
}

export interface Database {
  users: UsersTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
