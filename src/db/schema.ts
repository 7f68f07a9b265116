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

/** One email waiting to be sent, or a record of one sent or given up on (src/email/). */
export interface EmailOutboxTable {
  id: Generated<string>;
  /** `<uuid@host>`, chosen when queued and reused on every retry. */
  message_id: string;
  to_address: string;
  /** The email definition it was rendered from (src/email/definitions.ts). */
  name: string;
  subject: string;
  html: string;
  text: string;
  status: Generated<EmailStatus>;
  attempts: Generated<number>;
  next_attempt_at: Date;
  /** While 'sending': when the claiming worker's lease ends and another may take over. */
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface Database {
  users: UsersTable;
  email_outbox: EmailOutboxTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type OutboxEmail = Selectable<EmailOutboxTable>;
