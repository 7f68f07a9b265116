// Who may open or change what, exactly as PRODUCT.md's table says: the leader after the
// close, the manager only after the release, nobody else; anonymous visitors sign in first.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, csrfOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { commentIds, createAnsweredRound, createFocusPoint } from '../helpers/factories.ts';

type Who =
  | 'manager before release'
  | 'manager after release'
  | 'leader before release'
  | 'leader after release'
  | 'stranger'
  | 'anonymous';
const WHO: Who[] = [
  'manager before release',
  'manager after release',
  'leader before release',
  'leader after release',
  'stranger',
  'anonymous',
];

/** Expected status per person; 303 for the anonymous visitor always means "to sign in". */
const MATRIX: Array<{ action: string; expect: number[] }> = [
  //                                 mgr before  mgr after  ldr before  ldr after  stranger  anonymous
  { action: 'GET page', expect: [200, 200, 200, 200, 404, 303] },
  { action: 'GET csv', expect: [404, 200, 200, 200, 404, 303] },
  { action: 'GET release', expect: [403, 403, 200, 303, 404, 303] },
  { action: 'POST release', expect: [403, 403, 303, 303, 404, 303] },
  { action: 'POST notes', expect: [403, 403, 303, 303, 404, 303] },
  { action: 'POST hide', expect: [403, 403, 303, 303, 404, 303] },
  { action: 'POST unhide', expect: [403, 403, 303, 303, 404, 303] },
  { action: 'POST focus point', expect: [403, 303, 303, 303, 404, 303] },
  { action: 'POST focus point done', expect: [403, 303, 303, 303, 404, 303] },
  { action: 'POST follow-up', expect: [403, 303, 403, 403, 404, 303] },
];

describeEachDatabase('report permissions', (database) => {
  const suite = useTestApp(database, {
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    signIn: ['leader', 'manager', 'stranger'],
  });
  const { app, people } = suite;
  const clients = new Map<string, TestClient>();

  before(() => {
    for (const name of ['manager', 'leader', 'stranger'] as const) clients.set(name, suite[name]());
    clients.set('anonymous', new TestClient(app().url));
  });

  async function attempt(action: string, who: Who) {
    const db = database().db;
    const released = who.endsWith('after release');
    // A fresh round per attempt, so a release or a follow-up does not change the next one.
    const id = (
      await createAnsweredRound(db, {
        managerId: people().manager.id,
        leaderEmail: people().leader.email,
        status: released ? 'released' : 'closed',
      })
    ).id;
    const [comment] = await commentIds(db, id);
    const point = await createFocusPoint(db, id);
    const client = clients.get(who.startsWith('manager') ? 'manager' : who.startsWith('leader') ? 'leader' : who)!;
    const [method, what] = [action.slice(0, action.indexOf(' ')), action.slice(action.indexOf(' ') + 1)];
    const paths: Record<string, string> = {
      page: `/reports/${id}`,
      csv: `/reports/${id}.csv`,
      release: `/reports/${id}/release`,
      notes: `/reports/${id}/notes`,
      hide: `/reports/${id}/comments/${comment!.id}/hide`,
      unhide: `/reports/${id}/comments/${comment!.id}/unhide`,
      'focus point': `/reports/${id}/focus-points`,
      'focus point done': `/reports/${id}/focus-points/${point.id}/done`,
      'follow-up': `/reports/${id}/follow-up`,
    };
    const fields: Record<string, string> = {
      notes: 'Talk about focus time',
      text: 'Protect focus time',
      follow_up_on: '2027-02-01',
    };
    if (method === 'GET') return { id, response: await client.get(paths[what]!) };
    const _csrf = await csrfOf(client, who !== 'anonymous' ? '/account' : '/sign-in');
    return { id, response: await client.post(paths[what]!, { _csrf, ...fields }) };
  }

  it('allows each person exactly what the product brief says, for the page, the CSV and every form', async () => {
    const failures: string[] = [];
    for (const { action, expect } of MATRIX) {
      for (const [index, who] of WHO.entries()) {
        const { id, response } = await attempt(action, who);
        if (response.status !== expect[index])
          failures.push(`${action} as ${who}: ${response.status}, expected ${expect[index]}`);
        if (who === 'anonymous') {
          assert.match(response.location ?? '', /^\/sign-in/, `${action} as anonymous goes to sign in`);
        }
        // The manager before the release gets a page, but never a figure or a comment.
        if (action === 'GET page' && who === 'manager before release') {
          assert.doesNotMatch(response.html, /<div class="chart"|out of 5|Keep the weekly check-ins/);
        }
        if (action === 'POST follow-up' && who === 'manager after release')
          assert.match(response.location!, /^\/requests\/[0-9a-f-]{36}\/edit$/);
        if (action === 'POST release' && who === 'leader before release') {
          const row = await database()
            .db.selectFrom('feedback_requests')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          assert.equal(row.status, 'released');
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('answers 404 for a malformed id and for a round that does not exist', async () => {
    const leader = clients.get('leader')!;
    assert.equal((await leader.get('/reports/not-a-uuid')).status, 404);
    assert.equal((await leader.get('/reports/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await leader.get('/reports/not-a-uuid.csv')).status, 404);
  });

  it('shows no report while the round is open: the leader sees the count so far, the manager not even that', async () => {
    const db = database().db;
    const { id } = await createAnsweredRound(db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      status: 'open',
    });
    const leaderPage = await clients.get('leader')!.get(`/reports/${id}`);
    assert.equal(leaderPage.status, 200);
    assert.match(leaderPage.html, /5 <span>of 5 have answered so far/);
    assert.doesNotMatch(leaderPage.html, /<div class="chart"/);
    const managerPage = await clients.get('manager')!.get(`/reports/${id}`);
    assert.match(managerPage.html, /still open/);
    assert.doesNotMatch(managerPage.html, /answered so far|5 of 5/);
    assert.equal((await clients.get('leader')!.get(`/reports/${id}.csv`)).status, 404);
  });
});
