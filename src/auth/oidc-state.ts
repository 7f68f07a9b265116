// What a sign-in with the provider must remember between leaving for the provider and coming
// back: the state, the nonce, the PKCE verifier and the page to return to. It rides in a
// short-lived signed cookie, not a database row, so that starting a sign-in writes nothing
// (PRODUCT.md: anonymous pages write nothing) and any app process can finish it. The cookie
// is HttpOnly and SameSite=Lax: Lax, because the provider sends the browser back to the
// callback with a top-level GET from its own site, which Strict would strip the cookie from.
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import { z } from 'zod';
import { keyedHash } from '../lib/tokens.ts';

/** Long enough to sign in at the provider (and type a password twice), short enough to go stale. */
export const OIDC_STATE_MINUTES = 10;

const pendingSignIn = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  next: z.string().optional(),
  /** When the cookie stops counting, in ms since the epoch; the cookie's Max-Age says the same to the browser. */
  expires: z.number(),
});

export type PendingSignIn = z.infer<typeof pendingSignIn>;

export interface OidcStateCookie {
  set(res: Response, pending: Omit<PendingSignIn, 'expires'>, now: Date): void;
  /** The pending sign-in, if the cookie is there, signed here and not stale. */
  read(req: Request, now: Date): PendingSignIn | undefined;
  clear(res: Response): void;
}

export function oidcStateCookie(opts: { secret: string; https: boolean; secure: boolean }): OidcStateCookie {
  const name = opts.https ? '__Host-upward_oidc' : 'upward_oidc';
  // A key of its own, so a value signed for this cookie means nothing anywhere else.
  const key = keyedHash(opts.secret, 'oidc-state-cookie');
  const sign = (payload: string) => keyedHash(key, payload);
  const write = (res: Response, value: string, maxAge: number) =>
    res.append(
      'Set-Cookie',
      stringifySetCookie({ name, value, httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/', maxAge }),
    );

  return {
    set(res, pending, now) {
      const payload = Buffer.from(
        JSON.stringify({ ...pending, expires: now.getTime() + OIDC_STATE_MINUTES * 60_000 }),
      ).toString('base64url');
      write(res, `${payload}.${sign(payload)}`, OIDC_STATE_MINUTES * 60);
    },
    read(req, now) {
      const value = parseCookie(req.headers.cookie ?? '')[name];
      const [payload, signature] = value?.split('.') ?? [];
      if (!payload || !signature) return undefined;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let parsed: ReturnType<typeof pendingSignIn.safeParse>;
      try {
        parsed = pendingSignIn.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
      } catch {
        return undefined;
      }
      if (!parsed.success || parsed.data.expires <= now.getTime()) return undefined;
      return parsed.data;
    },
    clear(res) {
      write(res, '', 0);
    },
  };
}
