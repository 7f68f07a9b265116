// Migrations live in /migrations as timestamped, self-contained files, run by Kysely's
// Migrator. On PostgreSQL the Migrator holds an advisory lock, so two processes starting at
// once run each migration exactly once; PGlite has a single connection and needs none.
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator, type MigrationResultSet } from 'kysely/migration';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design
export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
}

function unwrap({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateToLatest());
}

/** Reverts the most recent migration; returns its name. */
export async function migrateDown<T>(db: Kysely<T>): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateDown());
}

/** Names of migrations on disk that the database has not run. */
export async function pendingMigrations<T>(db: Kysely<T>): Promise<string[]> {
  const migrations = await createMigrator(db).getMigrations();
  return migrations.filter((m) => !m.executedAt).map((m) => m.name);
}
