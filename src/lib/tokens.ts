// Random single-use tokens and the hashes we store in their place.
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A URL-safe random token; 32 bytes = 256 bits. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Looks like a token of `bytes` random bytes, so malformed links are turned away early. */
export function isWellFormedToken(value: string, bytes = 32): boolean {
  return value.length === Math.ceil((bytes * 4) / 3) && /^[A-Za-z0-9_-]+$/.test(value);
}

/** SHA-256 of a high-entropy token: enough, since such a token cannot be guessed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Keyed hash, for values whose copy in the database must be useless without the secret. */
export function keyedHash(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex');
}
