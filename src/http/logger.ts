// Request logging that keeps the anonymity promise: no query strings, bodies, cookies, IP
// addresses or user agents, and single-use tokens in link paths are replaced by a name.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** Paths whose last segment is a secret token, with the name logged in its place. */
const TOKEN_PATHS: Array<[RegExp, string]> = [
  [/^\/s\/[^/]+/, '/s/:token'],
  [/^\/sign-in\/link\/[^/]+/, '/sign-in/link/:token'],
];

/** The path as it may be written down: query dropped, tokens replaced. */
export function loggablePath(url: string): string {
  const pathOnly = url.split(/[?#]/, 1)[0] ?? '/';
  for (const [pattern, name] of TOKEN_PATHS) {
    if (pattern.test(pathOnly)) return pathOnly.replace(pattern, name);
  }
  return pathOnly;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: undefined }, destination as pino.DestinationStream | undefined);
}

export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: string; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        path: loggablePath(req.originalUrl ?? req.url ?? '/'),
      }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    // The health checks are polled every few seconds; logging them would drown the rest.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
