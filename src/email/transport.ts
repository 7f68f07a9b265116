// Where the worker hands emails over. With SMTP_URL: that server, over a small pool of
// reused connections. Without it (never in production, see config.ts): nowhere; the
// development mailbox page (/dev/mailbox) shows the outbox, and the copies this local
// transport keeps in memory of the survey emails the outbox forgets (local-mailbox.ts).
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import { createLocalMailboxTransport } from './local-mailbox.ts';

export function createMailTransport(config: Pick<Config, 'SMTP_URL'>): Transporter {
  if (!config.SMTP_URL) return createLocalMailboxTransport();
  const url = new URL(config.SMTP_URL);
  url.searchParams.set('pool', 'true');
  return nodemailer.createTransport(url.toString());
}
