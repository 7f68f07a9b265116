// A manager's request pages belong to that manager alone: anyone else signed in gets the
// same plain 404 as for a request that does not exist; a visitor is sent to sign in.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, csrfTokenIn, textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { createRequest, createUser } from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { TEAM } from './form-fields.ts';

describeEachDatabase('who may see and change a request', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T09:00:00Z') });

  it("answers 404 to someone else on every page and form of a manager's request", async () => {
    const owner = await createUser(db(), { email: 'owner@example.com' });
    const { request: draft } = await createRequest(db(), {
      managerId: owner.id,
      leaderEmail: 'lea@example.com',
      status: 'draft',
    });
    const { request: declined } = await createRequest(db(), {
      managerId: owner.id,
      leaderEmail: 'lea@example.com',
      status: 'declined',
    });
    // The leader is signed in too: collecting a request does not make it theirs to edit.
    const { client: stranger } = await signedInClient(app(), db(), { email: 'lea@example.com' });
    const csrf = csrfTokenIn((await stranger.get('/account')).html);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [draft.id, declined.id, missing, 'not-a-uuid', `${draft.id}x`]) {
      for (const path of [`/requests/${id}`, `/requests/${id}/edit`, `/requests/${id}/delete`]) {
        const page = await stranger.get(path);
        assert.equal(page.status, 404, `GET ${path}`);
        assert.match(textOf(page.html), /Page not found/);
      }
      for (const path of [`/requests/${id}/edit`, `/requests/${id}/reopen`, `/requests/${id}/delete`]) {
        const page = await stranger.post(path, {
          _csrf: csrf,
          action: 'submit',
          leader_email: 'x@example.com',
          invitees: TEAM,
          closes_on: '2026-11-20',
        });
        assert.equal(page.status, 404, `POST ${path}`);
      }
    }
    const rows = await db()
      .selectFrom('feedback_requests')
      .select(['status', 'leader_email'])
      .where('manager_id', '=', owner.id)
      .orderBy('status')
      .execute();
    assert.deepEqual(
      rows,
      [
        { status: 'declined', leader_email: 'lea@example.com' },
        { status: 'draft', leader_email: 'lea@example.com' },
      ],
      'nothing changed',
    );
    assert.doesNotMatch(textOf((await stranger.get('/requests')).html), /lea@example\.com/);
  });

  it('sends a visitor who is not signed in to sign in, and back afterwards', async () => {
    const owner = await createUser(db(), { email: 'owner2@example.com' });
    const { request } = await createRequest(db(), {
      managerId: owner.id,
      leaderEmail: 'lea@example.com',
      status: 'draft',
    });
    const visitor = new TestClient(app().url);
    for (const path of [
      '/requests',
      '/requests/new',
      `/requests/${request.id}`,
      `/requests/${request.id}/edit`,
      `/requests/${request.id}/delete`,
    ]) {
      const page = await visitor.get(path);
      assert.equal(page.status, 303, path);
      assert.equal(page.location, `/sign-in?next=${encodeURIComponent(path)}`);
    }
    const csrf = csrfTokenIn((await visitor.get('/sign-in')).html);
    for (const path of ['/requests', `/requests/${request.id}/edit`, `/requests/${request.id}/delete`]) {
      const page = await visitor.post(path, { _csrf: csrf });
      assert.equal(page.status, 303, path);
      assert.equal(page.location, '/sign-in');
    }
    assert.ok(await db().selectFrom('feedback_requests').select('id').where('id', '=', request.id).executeTakeFirst());
  });
});
