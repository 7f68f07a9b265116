// A real SMTP server inside the test process, to check what Upward actually sends.
//
//   const smtp = await startSmtpServer();          // 127.0.0.1, a free port
//   const transport = smtp.transport();            // nodemailer, pointed at it (or use smtp.url)
//   … queue an email, run the worker …
//   const mail = await smtp.waitFor((m) => m.to === 'ann@example.com');
//   assert.match(mail.text, /sign-in\/link\//);
//   smtp.rejectWith(451);                          // later messages refused: 4xx for now, 5xx for good
//   smtp.refuse('ed@example.com');                 // only messages to that address refused (550)
//   await smtp.close();                            // also closes transports made by smtp.transport()
//
// Each message is parsed (mailparser) before the server accepts it, so once the sender's
// sendMail has resolved, the message is already in `messages`.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  /** The envelope recipient (RCPT TO). */
  to: string;
  from: string;
  subject: string;
  /** With its angle brackets, as in the header: `<…@host>`. */
  messageId: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  port: number;
  /** `smtp://127.0.0.1:<port>`, usable as SMTP_URL. */
  url: string;
  /** Every accepted message, in the order they arrived. */
  messages: ReceivedEmail[];
  /** Resolves once `count` messages arrived (with all of them), or with the first match. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedEmail[]>;
  waitFor(match: (email: ReceivedEmail) => boolean, timeoutMs?: number): Promise<ReceivedEmail>;
  /** Refuses every later message with this reply code (451: try later, 550: never); null accepts again. */
  rejectWith(code: number | null, message?: string): void;
  /** Refuses every later message to this one recipient for good (550); null accepts it again. */
  refuse(address: string | null): void;
  /**
   * Makes later messages wait for the server's answer until `release()`, as a slow server
   * would; `arrived` resolves when the first one is waiting.
   */
  hold(): { arrived: Promise<void>; release: () => void };
  /** A nodemailer transport to this server, closed by close(). */
  transport(opts?: { pool?: boolean }): Transporter;
  close(): Promise<void>;
}

export async function startSmtpServer(opts: { port?: number } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  const transports: Transporter[] = [];
  let rejection: { code: number; message: string } | null = null;
  let refused: string | null = null;
  let held: { arrived: () => void; released: Promise<void> } | null = null;

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 100,
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = address.address === refused ? { code: 550, message: '5.1.1 Mailbox does not exist' } : rejection;
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          if (held) {
            held.arrived();
            await held.released;
          }
          messages.push({
            to: session.envelope.rcptTo[0]?.address ?? '',
            from: parsed.from?.value[0]?.address ?? '',
            subject: parsed.subject ?? '',
            messageId: parsed.messageId ?? '',
            text: parsed.text ?? '',
            html: parsed.html || '',
            parsed,
          });
          for (const check of waiters) check();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  server.listen(opts.port ?? 0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;

  function waitUntil<T>(ready: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`The SMTP server did not receive ${what} within ${timeoutMs} ms (it has ${messages.length}).`),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor: ((expected: number | ((email: ReceivedEmail) => boolean), timeoutMs = 5_000) =>
      typeof expected === 'number'
        ? waitUntil(() => (messages.length >= expected ? [...messages] : undefined), timeoutMs, `${expected} messages`)
        : waitUntil(() => messages.find(expected), timeoutMs, 'a matching message')) as TestSmtpServer['waitFor'],
    rejectWith(code, message = code && code >= 500 ? '5.1.1 Mailbox does not exist' : '4.3.0 Try again later') {
      rejection = code === null ? null : { code, message };
    },
    refuse(address) {
      refused = address;
    },
    hold() {
      let release!: () => void;
      let arrived!: () => void;
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      held = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
      return {
        arrived: arrival,
        release: () => {
          held = null;
          release();
        },
      };
    },
    transport({ pool = false } = {}) {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool });
      transports.push(transport);
      return transport;
    },
    async close() {
      for (const transport of transports) transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
