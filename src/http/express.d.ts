// What our middleware adds to each request.
import type { SessionState } from './session.ts';

declare global {
  namespace Express {
    interface Request {
      /** The browser's session, when it has one (see src/http/session.ts). */
      session?: SessionState;
    }
  }
}
