// The development mailbox: with no SMTP_URL outside production, emails are "delivered" here.
// It lists the outbox newest first and shows each message. app.ts mounts it only then.
// A sent survey email keeps nothing in the outbox (`leavesNoTrail`): the page shows the copy
// the local transport kept in memory instead, or says it is gone (after a restart).
import { paths } from '../http/paths.ts';
import { Router, type Request } from 'express';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { idsOf } from '../http/params.ts';
import { leavesNoTrail } from './definitions.ts';
import { localCopyOf } from './local-mailbox.ts';
import { findOutboxEmail, listOutbox } from './outbox.ts';

// The email's own HTML uses inline styles; everything else stays forbidden, as on every page.
const EMAIL_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The text part cut into plain pieces and links, so the page makes each address clickable
 * while the template still escapes every character (no HTML is built from the email).
 */
export function textWithLinks(text: string): Array<{ text: string; href?: string }> {
  return text
    .split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/)
    .filter(Boolean)
    .map((piece) => (/^https?:\/\//.test(piece) ? { text: piece, href: piece } : { text: piece }));
}

const shownTime = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Only outside production and with no SMTP_URL: otherwise /dev/mailbox does not exist. */
export function usesLocalMailbox(config: Pick<Config, 'SMTP_URL' | 'isProduction'>): boolean {
  return !config.isProduction && !config.SMTP_URL;
}

export function mailboxRoutes(db: Kysely<Database>, transport: Transporter): Router {
  const router = Router();

  /** A forgotten survey email as the local transport kept it, marked `forgotten` if it did not. */
  function withLocalCopy<Email extends { name: string; status: string; message_id: string }>(email: Email) {
    if (email.status !== 'sent' || !leavesNoTrail(email.name)) return email;
    const copy = localCopyOf(transport, email.message_id);
    return copy ? { ...email, to_address: copy.to, ...copy } : { ...email, forgotten: true };
  }

  async function messageFrom(req: Request) {
    const email = await findOutboxEmail(db, idsOf(req, 'id').id);
    if (!email) throw notFound();
    return withLocalCopy(email);
  }

  router.get(paths.mailbox.list(), async (_req, res) => {
    const emails = (await listOutbox(db)).map((email) => ({
      ...withLocalCopy(email),
      created: shownTime(email.created_at),
    }));
    res.set('Cache-Control', 'no-store').render('mailbox/index', { title: 'Mailbox', emails });
  });

  router.get(paths.mailbox.show(':id'), async (req, res) => {
    const email = await messageFrom(req);
    res.set('Cache-Control', 'no-store').render('mailbox/show', {
      title: email.subject || `A sent ${email.name}`,
      email: { ...email, created: shownTime(email.created_at), sent: email.sent_at && shownTime(email.sent_at) },
      textPieces: 'forgotten' in email ? [] : textWithLinks(email.text),
    });
  });

  router.get(paths.mailbox.html(':id'), async (req, res) => {
    const email = await messageFrom(req);
    if ('forgotten' in email) throw notFound();
    res.set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': EMAIL_HTML_CSP }).type('html').send(email.html);
  });

  return router;
}
