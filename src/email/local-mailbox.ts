// Where email goes without SMTP_URL (never in production, see config.ts): nowhere. The
// development mailbox page (/dev/mailbox) shows the outbox instead. A survey email is blanked
// in the outbox once sent (`leavesNoTrail`), so this transport keeps its own copy of the
// last emails it was handed, in this process's memory only, for the page to show in full:
// a developer can still click an invitation's link, and the database keeps no more than it
// does in production. A restart forgets the copies.
import nodemailer, { type SentMessageInfo, type Transport, type Transporter } from 'nodemailer';

/** Enough for a few test rounds; the oldest copy goes first. */
const KEPT_COPIES = 500;

export interface LocalCopy {
  to: string;
  subject: string;
  html: string;
  text: string;
}

class LocalMailboxTransport implements Transport<SentMessageInfo> {
  readonly name = 'upward-local-mailbox';
  readonly version = '1';
  readonly #copies = new Map<string, LocalCopy>();

  send(mail: Parameters<Transport['send']>[0], done: (error: Error | null, info: SentMessageInfo) => void) {
    const { to, subject, html, text, messageId } = mail.data;
    const id = String(messageId);
    this.#copies.set(id, {
      to: String(to),
      subject: subject ?? '',
      html: String(html ?? ''),
      text: String(text ?? ''),
    });
    if (this.#copies.size > KEPT_COPIES) this.#copies.delete(this.#copies.keys().next().value!);
    const envelope = mail.message.getEnvelope();
    done(null, { envelope, messageId: id, accepted: envelope.to, rejected: [], pending: [], response: 'kept' });
  }

  copyOf(messageId: string): LocalCopy | undefined {
    return this.#copies.get(messageId);
  }
}

export function createLocalMailboxTransport(): Transporter {
  return nodemailer.createTransport(new LocalMailboxTransport());
}

/** The copy a local mailbox transport kept of a message it was handed, if `transport` is one. */
export function localCopyOf(transport: Transporter, messageId: string): LocalCopy | undefined {
  const inner: unknown = transport.transporter;
  return inner instanceof LocalMailboxTransport ? inner.copyOf(messageId) : undefined;
}
