// Static files in /public are served under a path that carries a hash of their content, so
// browsers may keep them for a year and still get the new file the moment it changes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

export const PUBLIC_DIR = fileURLToPath(new URL('../../public', import.meta.url));

function hashDirectory(dir: string): string {
  const hash = createHash('sha256');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) =>
    path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)),
  )) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hash.update(path.relative(dir, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export interface Assets {
  /** Mount point, e.g. /assets/3f2a9c01b7de */
  prefix: string;
  /** URL of one file, for templates. */
  url(file: string): string;
  handler: RequestHandler;
}

export function createAssets(dir = PUBLIC_DIR): Assets {
  const prefix = `/assets/${hashDirectory(dir)}`;
  return {
    prefix,
    url: (file) => `${prefix}/${file.replace(/^\/+/, '')}`,
    handler: express.static(dir, { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
  };
}
