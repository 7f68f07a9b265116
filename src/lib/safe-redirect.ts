import { hasControlCharacters } from './text.ts';

// "Return to" addresses only ever lead to a page on this site.
export function safeLocalPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  // One leading slash, then no second slash or backslash (//evil.com, /\evil.com are other sites).
  if (!/^\/(?![/\\])/.test(value)) return undefined;
  if (hasControlCharacters(value) || value.includes('\\')) return undefined;
  return value;
}
