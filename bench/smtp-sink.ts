// A mail server on loopback that accepts every message and keeps only a count and the time
// each arrived: what the mail worker scenario measures against (and what SMTP_URL points at
// for every run, so the app's worker always has somewhere to send).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  /** Arrival times (performance.now()) of every message accepted so far. */
  arrivals: number[];
  /** Resolves with the arrival time of message number `count`, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const arrivals: number[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    maxClients: 100,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        arrivals.push(performance.now());
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    async waitFor(count, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (arrivals.length < count) {
        if (performance.now() > deadline)
          throw new Error(`the SMTP sink received ${arrivals.length} of ${count} messages in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return arrivals[count - 1]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
