// Where the worker hands emails over. With SMTP_URL: that server, over a small pool of
// reused connections. Without it (never in production, see config.ts): nowhere; the
// message stays in the outbox table, which the development mailbox page (/dev/mailbox) shows.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';

export function createMailTransport(config: Pick<Config, 'SMTP_URL'>): Transporter {
  if (!config.SMTP_URL) return nodemailer.createTransport({ jsonTransport: true });
  const url = new URL(config.SMTP_URL);
  url.searchParams.set('pool', 'true');
  return nodemailer.createTransport(url.toString());
}
