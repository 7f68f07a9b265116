// Sends what the outbox holds, never inside a request. Each round claims a batch (see
// claimDueEmails), sends it through the transport and records the outcome; a failed email
// is tried again later with exponential back-off, and given up on after too many tries or
// at once when the server refuses it for good (5xx).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { Database, OutboxEmail } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { claimDueEmails, markEmailFailed, markEmailSent } from './outbox.ts';

export interface EmailWorkerOptions {
  /** Sender of every email (config.MAIL_FROM). */
  from: string;
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a claim lasts; must outlast sending one batch, or another worker re-sends it. */
  leaseMs?: number;
  maxAttempts?: number;
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** How long stop() waits for the batch in flight; what is left is re-claimed after its lease. */
  stopTimeoutMs?: number;
}

export interface EmailWorkerDeps {
  db: Kysely<Database>;
  transport: Transporter;
  clock: Clock;
  logger: Logger;
  options: EmailWorkerOptions;
}

export interface EmailWorker {
  /** Polls until stopped. */
  start(): void;
  /** Stops polling and waits (bounded) for the batch in flight. */
  stop(): Promise<void>;
  /** Claims and sends one batch; resolves with how many emails it claimed. */
  runOnce(): Promise<number>;
}

const DEFAULTS = {
  pollIntervalMs: 1_000,
  // Big enough that the pooled transport's connections all stay busy between claims.
  batchSize: 50,
  leaseMs: 5 * 60_000,
  maxAttempts: 8,
  firstRetryMs: 60_000,
  maxRetryMs: 60 * 60_000,
  stopTimeoutMs: 10_000,
};

interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
}

/** 1 min, 2 min, 4 min … up to the cap. */
export function retryDelayMs(attempts: number, firstRetryMs: number, maxRetryMs: number): number {
  return Math.min(firstRetryMs * 2 ** Math.max(0, attempts - 1), maxRetryMs);
}

// A 5xx reply is about this message (bad recipient, rejected content), so retrying cannot
// help. A refused login is the operator's to fix, and then the email should still go out.
function isPermanent(error: SmtpError): boolean {
  const code = error.responseCode ?? 0;
  return code >= 500 && code < 600 && error.code !== 'EAUTH';
}

function reasonOf(error: SmtpError): string {
  const label = error.responseCode ?? error.code;
  return `${label ? `${label}: ` : ''}${error.message ?? String(error)}`.slice(0, 1_000);
}

export function createEmailWorker(deps: EmailWorkerDeps): EmailWorker {
  const { db, transport, clock, logger } = deps;
  const options = { ...DEFAULTS, ...deps.options };
  let running = false;
  let loop: Promise<void> | undefined;
  const inFlight = new Set<Promise<number>>();
  let wake: (() => void) | undefined;

  async function deliver(email: OutboxEmail): Promise<void> {
    const log = { outboxId: email.id, messageId: email.message_id, email: email.name, attempt: email.attempts };
    try {
      await transport.sendMail({
        from: options.from,
        to: email.to_address,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: email.message_id,
        ...(email.calendar ? { icalEvent: calendarPart(email.calendar) } : {}),
      });
    } catch (caught) {
      const error = caught as SmtpError;
      const reason = reasonOf(error);
      const giveUp = isPermanent(error) || email.attempts >= options.maxAttempts;
      const retryAt = giveUp
        ? null
        : new Date(clock.now().getTime() + retryDelayMs(email.attempts, options.firstRetryMs, options.maxRetryMs));
      await markEmailFailed(db, email, reason, retryAt);
      // The recipient and the body stay out of the log: addresses of team members must not
      // outlive the round in a log file, and bodies hold single-use links.
      if (retryAt) logger.warn({ ...log, reason, retryAt }, 'email not sent; will retry');
      else
        logger.error(
          { ...log, reason },
          isPermanent(error)
            ? 'email refused by the mail server; giving up'
            : 'email not sent after every attempt; giving up',
        );
      return;
    }
    await markEmailSent(db, email, clock.now());
    logger.debug(log, 'email sent');
  }

  async function runBatch(): Promise<number> {
    const batch = await claimDueEmails(db, { now: clock.now(), leaseMs: options.leaseMs, limit: options.batchSize });
    await Promise.all(batch.map(deliver));
    return batch.length;
  }

  function runOnce(): Promise<number> {
    const run = runBatch();
    const tracked = run.finally(() => inFlight.delete(tracked));
    // The caller handles `run`'s failure; this copy only tracks it for stop(), and must not
    // turn a database error into an unhandled rejection that ends the process.
    tracked.catch(() => {});
    inFlight.add(tracked);
    return run;
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function poll(): Promise<void> {
    while (running) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        logger.error({ err: error }, 'email worker could not read the outbox; trying again');
      }
      // A full batch suggests more is waiting: go again at once.
      if (running && claimed < options.batchSize) await pause(options.pollIntervalMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = poll();
    },
    async stop() {
      running = false;
      wake?.();
      const settled = Promise.allSettled([loop, ...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), options.stopTimeoutMs)),
      );
      const outcome = await Promise.race([settled, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout')
        logger.warn('email worker stopped with a batch still in flight; it will be retried after its lease');
      loop = undefined;
      inFlight.clear();
    },
    runOnce,
  };
}

/**
 * A calendar invitation as Nodemailer sends it: a text/calendar alternative with its METHOD
 * (which calendars read to tell an invitation from an update or a cancellation) and the same
 * text as an invite.ics attachment.
 */
export function calendarPart(calendar: string) {
  const method = /^METHOD:(\w+)\r?$/m.exec(calendar)?.[1] ?? 'REQUEST';
  return { method, filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content: calendar };
}
