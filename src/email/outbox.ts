// The outbox table's queries. Callers pass `db` or their own transaction: an email is queued
// in the same transaction as the change that causes it, so both happen or neither does.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database, OutboxEmail } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { leavesNoTrail, type EmailMessage } from './definitions.ts';
import { renderEmail } from './render.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class InvalidRecipientError extends Error {
  constructor() {
    super('An email can only be sent to one plain address such as name@example.com.');
    this.name = 'InvalidRecipientError';
  }
}

// One bare address: no display name, no list, and above all no CR/LF, which would let the
// value add headers of its own (header injection).
const SINGLE_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

export function assertSingleAddress(to: string): void {
  if (/[\r\n]/.test(to) || to.length > 254 || !SINGLE_ADDRESS.test(to)) throw new InvalidRecipientError();
}

/** Renders the email and adds it to the outbox; the worker sends it soon after commit. */
export async function queueEmail(
  db: Db,
  email: EmailMessage & {
    /** A calendar invitation to send with it (RFC 5545 text, METHOD inside). */ calendar?: string;
  },
  deps: { config: Pick<Config, 'BASE_URL'>; clock: Clock },
): Promise<{ id: string; messageId: string }> {
  assertSingleAddress(email.to);
  const rendered = renderEmail(email.name, email.data, deps.config);
  const now = deps.clock.now();
  const messageId = `<${randomUUID()}@${new URL(deps.config.BASE_URL).hostname}>`;
  const row = await db
    .insertInto('email_outbox')
    .values({
      message_id: messageId,
      to_address: email.to,
      name: email.name,
      ...rendered,
      calendar: email.calendar ?? null,
      next_attempt_at: now,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, messageId };
}

/** Rows per insert: outbox rows hold 8 parameters each, far below PostgreSQL's 65,535. */
const QUEUE_CHUNK = 500;

/**
 * Queues many emails at once (a round's invitations or reminders): each is rendered as
 * queueEmail does, then they are written in multi-row inserts, so a thousand emails cost a
 * couple of statements rather than a thousand round trips. Resolves with how many it queued.
 */
export async function queueEmails(
  db: Db,
  emails: readonly EmailMessage[],
  deps: { config: Pick<Config, 'BASE_URL'>; clock: Clock },
): Promise<number> {
  for (const email of emails) assertSingleAddress(email.to);
  const now = deps.clock.now();
  const host = new URL(deps.config.BASE_URL).hostname;
  const rows = emails.map((email) => ({
    message_id: `<${randomUUID()}@${host}>`,
    to_address: email.to,
    name: email.name,
    ...renderEmail(email.name, email.data, deps.config),
    next_attempt_at: now,
    created_at: now,
  }));
  for (let start = 0; start < rows.length; start += QUEUE_CHUNK) {
    await db
      .insertInto('email_outbox')
      .values(rows.slice(start, start + QUEUE_CHUNK))
      .execute();
  }
  return rows.length;
}

/**
 * Takes up to `limit` emails that are due, or whose worker's lease ran out (it crashed), and
 * leases them to the caller in one statement. SKIP LOCKED lets several workers claim at once
 * without waiting on, or taking, each other's rows; a row another worker changed meanwhile
 * is re-checked against the where clause before it is locked, so it is claimed once.
 */
export async function claimDueEmails(
  db: Db,
  opts: { now: Date; leaseMs: number; limit: number },
): Promise<OutboxEmail[]> {
  const { now, leaseMs, limit } = opts;
  return db
    .updateTable('email_outbox')
    .set((eb) => ({
      status: 'sending',
      locked_until: new Date(now.getTime() + leaseMs),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('email_outbox')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'pending'), w('next_attempt_at', '<=', now)]),
            w.and([w('status', '=', 'sending'), w('locked_until', '<=', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

/** Updates a claimed email only while the claim is still this worker's (same attempt). */
function ownClaim(db: Db, email: OutboxEmail) {
  return db
    .updateTable('email_outbox')
    .where('id', '=', email.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', email.attempts);
}

/** What a sent email that leaves no trail keeps of its recipient, subject and bodies. */
export const FORGOTTEN = { to_address: '', subject: '', html: '', text: '' } as const;

/**
 * Records the sending. An email that leaves no trail (a survey invitation or reminder) is
 * blanked by the same statement, so no row is ever marked sent with its recipient or its
 * link still in it; a failed one is left whole for a retry.
 */
export async function markEmailSent(db: Db, email: OutboxEmail, now: Date): Promise<void> {
  const sent = { status: 'sent', sent_at: now, locked_until: null, last_error: null } as const;
  await ownClaim(db, email)
    .set(leavesNoTrail(email.name) ? { ...sent, ...FORGOTTEN } : sent)
    .execute();
}

/** Records why sending failed; with `retryAt` it is tried again then, without it never. */
export async function markEmailFailed(db: Db, email: OutboxEmail, reason: string, retryAt: Date | null): Promise<void> {
  await ownClaim(db, email)
    .set(
      retryAt
        ? { status: 'pending', next_attempt_at: retryAt, locked_until: null, last_error: reason }
        : { status: 'failed', locked_until: null, last_error: reason },
    )
    .execute();
}

/** For /readyz: emails not yet delivered (waiting or being sent) and those given up on. */
export async function mailCounts(db: Db): Promise<{ pending: number; failed: number }> {
  const row = await db
    .selectFrom('email_outbox')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('status', 'in', ['pending', 'sending']).as('pending'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'failed').as('failed'),
    ])
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), failed: Number(row.failed) };
}

export function listOutbox(db: Db) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'message_id', 'name', 'to_address', 'subject', 'status', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export function findOutboxEmail(db: Db, id: string): Promise<OutboxEmail | undefined> {
  return db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}
