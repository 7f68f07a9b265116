// Backups as docs/OPERATIONS.md describes them, restored and read: a pg_dump of a database
// with a closed round, restored with pg_restore into an empty database, serves the same
// report; a copy of the embedded database's folder, taken while it was stopped, does too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { connectPglite } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import { textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { questionFigures } from '../../src/reports/aggregate.ts';
import { countResponses } from '../../src/rounds/round-queries.ts';
import { createAnsweredRound, createPeople } from '../helpers/factories.ts';

function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const pgDumpSkip =
  postgresSkipReason ||
  (!hasTool('pg_dump') || !hasTool('pg_restore')
    ? 'pg_dump or pg_restore is not installed: the PostgreSQL backup test is skipped'
    : false);

async function closedRound(db: Kysely<Database>) {
  const people = await createPeople(db);
  const round = await createAnsweredRound(db, { managerId: people.manager.id, leaderEmail: people.leader.email });
  return {
    ...round,
    leader: people.leader,
    figures: await questionFigures(db, round.id, 3),
    count: await countResponses(db, round.id),
  };
}

/** The report page of `id` as its leader sees it, served from `db`. */
async function reportText(db: Kysely<Database>, id: string, leader: { id: string }) {
  const app = await startTestApp({ db, clock: new ManualClock('2026-12-01T09:00:00Z') });
  try {
    const { client } = await signedInClient(app, db, leader);
    const page = await client.get(`/reports/${id}`);
    assert.equal(page.status, 200);
    return textOf(page.html);
  } finally {
    await app.close();
  }
}

describe('backups restore into a working database', () => {
  it('PostgreSQL: pg_dump, pg_restore into an empty database, the same report', { skip: pgDumpSkip }, async () => {
    const source = await createTestDatabase('postgres');
    const target = await createTestDatabase('postgres', { migrate: false });
    const dir = mkdtempSync(path.join(tmpdir(), 'upward-backup-'));
    try {
      const round = await closedRound(source.db);
      const file = path.join(dir, 'upward.dump');
      execFileSync('pg_dump', ['--format=custom', `--file=${file}`, source.url!], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      execFileSync(
        'pg_restore',
        ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.url!}`, file],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );

      assert.equal(await countResponses(target.db, round.id), round.count);
      assert.deepEqual(await questionFigures(target.db, round.id, 3), round.figures);
      assert.deepEqual(await migrateToLatest(target.db), [], 'the restored schema is current');
      const text = await reportText(target.db, round.id, round.leader);
      assert.match(text, /Participation 5 of 5 answered/);
      assert.match(text, /1\. My manager listens to me\. 4\.0 out of 5 80% favourable 5 answers/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await target.close();
      await source.close();
    }
  });

  it('embedded database: a copy of the stopped data folder, the same report', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'upward-backup-'));
    try {
      const original = await connectPglite(path.join(dir, 'data'));
      await migrateToLatest(original.db);
      const round = await closedRound(original.db);
      await original.close(); // stop the server first: the folder is consistent only then
      cpSync(path.join(dir, 'data'), path.join(dir, 'restored'), { recursive: true });

      const restored = await connectPglite(path.join(dir, 'restored'));
      try {
        assert.equal(await countResponses(restored.db, round.id), round.count);
        assert.deepEqual(await questionFigures(restored.db, round.id, 3), round.figures);
        assert.match(await reportText(restored.db, round.id, round.leader), /Participation 5 of 5 answered/);
      } finally {
        await restored.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
