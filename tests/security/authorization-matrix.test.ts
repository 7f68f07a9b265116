// Every route of the app (GET and POST, as the routers declare them), for every kind of
// person PRODUCT.md names, with the status each must get. One table, read top to bottom:
//
//   anonymous   a visitor with no account who opened a page (has a session and its CSRF token)
//   respondent  a team member: no cookie at all, only their survey link
//   manager     the manager of the request the route names
//   leader      the leader the request is addressed to
//   other       someone else who is signed in
//
// For signed-in pages "303" from anonymous and respondent means "to the sign-in page"
// (checked); a respondent's POST outside the survey has no session, so no CSRF token: 403.
// Someone else's request is always the same 404 as a request that does not exist. Each row
// runs against a fresh request in the stage it names, so one row's change never feeds the next.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createSignInToken } from '../../src/auth/sign-in-tokens.ts';
import { randomToken } from '../../src/lib/tokens.ts';
import { createFixture, type Fixture, type Stage } from '../helpers/factories.ts';
import { useOidcProvider } from '../helpers/oidc-provider.ts';
import { LATER_DAY, NOW, signedIn, visitor } from './world.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

const ACTORS = ['anonymous', 'respondent', 'manager', 'leader', 'other'] as const;
type Actor = (typeof ACTORS)[number];

interface Row {
  route: string;
  /** The request the route is about, if any, and the stage it is in. */
  stage?: Stage;
  fields?: (f: Fixture, actor: Actor) => Record<string, string>;
  /** Brings the fresh request further than its stage says, before the attempt. */
  prepare?: (db: Kysely<Database>, f: Fixture) => Promise<void>;
  /** anonymous, respondent, manager, leader, other */
  expect: [number, number, number, number, number];
}

// A fresh, unused sign-in link is made for the rows that name :signInToken.
const SIGNED_IN_ONLY_GET = [303, 303, 200, 200, 200] as const;
const SIGNED_IN_ONLY_POST = [303, 403, 303, 303, 303] as const;

/** A reply to the team as the manager writes it. */
const REPLY = { heard: 'You want clearer goals.', will_do: 'Set goals with each of you by March.' };

const MATRIX: Row[] = [
  // Public pages.                                                     anon  resp  mgr  ldr  other
  { route: 'GET /', expect: [200, 200, 200, 200, 200] },
  { route: 'GET /healthz', expect: [200, 200, 200, 200, 200] },
  { route: 'GET /readyz', expect: [200, 200, 200, 200, 200] },
  { route: 'GET /sign-in', expect: [200, 200, 303, 303, 303] },
  { route: 'POST /sign-in', fields: () => ({ email: 'someone@example.com' }), expect: [303, 403, 303, 303, 303] },
  { route: 'GET /sign-in/check-email', expect: [200, 200, 200, 200, 200] },
  { route: 'GET /sign-in/link/:signInToken', expect: [200, 200, 200, 200, 200] },
  { route: 'POST /sign-in/link/:signInToken', expect: [303, 403, 303, 303, 303] },
  // Single sign-on (the matrix's app has a provider, tests/helpers/oidc-provider.ts): the button
  // leaves for the provider; a callback this browser did not start is refused for everyone.
  { route: 'POST /sign-in/oidc', expect: [303, 403, 303, 303, 303] },
  { route: 'GET /sign-in/oidc/callback', expect: [400, 400, 400, 400, 400] },
  { route: 'GET /signed-out', expect: [200, 200, 200, 200, 200] },
  { route: 'POST /sign-out', expect: [303, 403, 303, 303, 303] },
  { route: 'POST /sign-out/everywhere', expect: [303, 403, 303, 303, 303] },
  // The development mailbox (only mounted without SMTP_URL outside production; see below).
  { route: 'GET /dev/mailbox', expect: [200, 200, 200, 200, 200] },
  // One's own account.
  { route: 'GET /welcome', expect: [...SIGNED_IN_ONLY_GET] },
  { route: 'POST /welcome', fields: () => ({ name: 'Pat Person' }), expect: [...SIGNED_IN_ONLY_POST] },
  { route: 'GET /account', expect: [...SIGNED_IN_ONLY_GET] },
  { route: 'POST /account/name', fields: () => ({ name: 'Pat Person' }), expect: [...SIGNED_IN_ONLY_POST] },
  { route: 'POST /account/language', fields: () => ({ language: 'de' }), expect: [...SIGNED_IN_ONLY_POST] },
  {
    route: 'POST /account/time-zone',
    fields: () => ({ time_zone: 'Europe/Berlin' }),
    expect: [...SIGNED_IN_ONLY_POST],
  },
  // A manager's requests: everyone signed in has their own list; one request is its manager's only.
  { route: 'GET /requests', expect: [...SIGNED_IN_ONLY_GET] },
  { route: 'GET /requests/new', expect: [...SIGNED_IN_ONLY_GET] },
  { route: 'POST /requests', fields: () => ({ template: 'blank' }), expect: [...SIGNED_IN_ONLY_POST] },
  { route: 'GET /requests/:id', stage: 'draft', expect: [303, 303, 200, 404, 404] },
  { route: 'GET /requests/:id/edit', stage: 'draft', expect: [303, 303, 200, 404, 404] },
  {
    route: 'POST /requests/:id/edit',
    stage: 'draft',
    fields: () => ({
      action: 'save',
      leader_email: '',
      invitees: '',
      closes_on: LATER_DAY,
      note: 'Thanks',
      kind_0: 'agree',
      prompt_0: 'Listens',
    }),
    expect: [303, 403, 303, 404, 404],
  },
  { route: 'POST /requests/:id/reopen', stage: 'declined', expect: [303, 403, 303, 404, 404] },
  // The manager's self-assessment: theirs alone; answered while open, read-only after close.
  { route: 'GET /requests/:id/self-assessment', stage: 'open', expect: [303, 303, 200, 404, 404] },
  {
    route: 'POST /requests/:id/self-assessment',
    stage: 'open',
    fields: (f) => f.questionFields,
    expect: [303, 403, 303, 404, 404],
  },
  { route: 'GET /requests/:id/self-assessment', stage: 'closed', expect: [303, 303, 200, 404, 404] },
  {
    route: 'POST /requests/:id/self-assessment',
    stage: 'closed',
    fields: (f) => f.questionFields,
    // The manager's form from before the close: the round moved on (409), with the reason.
    expect: [303, 403, 409, 404, 404],
  },
  { route: 'GET /requests/:id/self-assessment', stage: 'submitted', expect: [303, 303, 404, 404, 404] },
  { route: 'GET /requests/:id/delete', stage: 'draft', expect: [303, 303, 200, 404, 404] },
  { route: 'POST /requests/:id/delete', stage: 'draft', expect: [303, 403, 303, 404, 404] },
  // The leader's side: a request is shown only to the person it is addressed to.
  { route: 'GET /collect', expect: [...SIGNED_IN_ONLY_GET] },
  { route: 'GET /collect/:id', stage: 'submitted', expect: [303, 303, 404, 200, 404] },
  {
    route: 'POST /collect/:id',
    stage: 'submitted',
    fields: () => ({ closes_on: LATER_DAY, team_note: 'Thanks' }),
    expect: [303, 403, 404, 303, 404],
  },
  { route: 'GET /collect/:id/invitees/:invitationId/remove', stage: 'submitted', expect: [303, 303, 404, 200, 404] },
  { route: 'POST /collect/:id/invitees/:invitationId/remove', stage: 'submitted', expect: [303, 403, 404, 303, 404] },
  {
    route: 'POST /collect/:id/extend',
    stage: 'open',
    fields: () => ({ closes_on: LATER_DAY }),
    expect: [303, 403, 404, 303, 404],
  },
  { route: 'POST /collect/:id/remind', stage: 'open', expect: [303, 403, 404, 303, 404] },
  { route: 'GET /collect/:id/launch', stage: 'submitted', expect: [303, 303, 404, 200, 404] },
  { route: 'POST /collect/:id/launch', stage: 'submitted', expect: [303, 403, 404, 303, 404] },
  { route: 'GET /collect/:id/decline', stage: 'submitted', expect: [303, 303, 404, 200, 404] },
  {
    route: 'POST /collect/:id/decline',
    stage: 'submitted',
    fields: () => ({ reason: 'Not now' }),
    expect: [303, 403, 404, 303, 404],
  },
  { route: 'GET /collect/:id/close', stage: 'open', expect: [303, 303, 404, 200, 404] },
  { route: 'POST /collect/:id/close', stage: 'open', expect: [303, 403, 404, 303, 404] },
  // The survey: only the holder of the link gets in; anyone else's guess is "unknown link".
  { route: 'GET /s/:token', stage: 'open', expect: [404, 200, 404, 404, 404] },
  { route: 'POST /s/:token', stage: 'open', fields: (f) => f.questionFields, expect: [404, 200, 404, 404, 404] },
  // Reports of a closed round (before release): the leader's; the manager waits.
  { route: 'GET /reports/:id', stage: 'closed', expect: [303, 303, 200, 200, 404] },
  { route: 'GET /reports/:id.csv', stage: 'closed', expect: [303, 303, 404, 200, 404] },
  { route: 'GET /reports/:id/release', stage: 'closed', expect: [303, 303, 403, 200, 404] },
  {
    route: 'POST /reports/:id/release',
    stage: 'closed',
    fields: () => ({ next_round_on: LATER_DAY }),
    expect: [303, 403, 403, 303, 404],
  },
  {
    route: 'POST /reports/:id/notes',
    stage: 'closed',
    fields: () => ({ notes: 'Talk it through' }),
    expect: [303, 403, 403, 303, 404],
  },
  { route: 'POST /reports/:id/comments/:answerId/hide', stage: 'closed', expect: [303, 403, 403, 303, 404] },
  { route: 'POST /reports/:id/comments/:answerId/unhide', stage: 'closed', expect: [303, 403, 403, 303, 404] },
  // The one-on-one (issue 19): the leader's alone, once the report exists; focus points can be
  // written down in it before the release, by the leader only.
  { route: 'GET /reports/:id/one-on-one', stage: 'open', expect: [303, 303, 403, 403, 404] },
  { route: 'GET /reports/:id/one-on-one', stage: 'closed', expect: [303, 303, 403, 200, 404] },
  {
    route: 'POST /reports/:id/one-on-one/agenda',
    stage: 'closed',
    fields: () => ({ agenda: 'How are you?' }),
    expect: [303, 403, 403, 303, 404],
  },
  {
    route: 'POST /reports/:id/one-on-one/meeting',
    stage: 'closed',
    fields: () => ({ day: LATER_DAY, time: '10:00', minutes: '30', time_zone: 'UTC', place: 'Room 4' }),
    expect: [303, 403, 403, 303, 404],
  },
  // Nothing is planned in a fresh round: the confirmation page sends the leader back.
  { route: 'GET /reports/:id/one-on-one/cancel', stage: 'closed', expect: [303, 303, 403, 303, 404] },
  { route: 'POST /reports/:id/one-on-one/cancel', stage: 'closed', expect: [303, 403, 403, 303, 404] },
  {
    route: 'POST /reports/:id/focus-points',
    stage: 'closed',
    fields: () => ({ text: 'Protect focus time', follow_up_on: LATER_DAY }),
    expect: [303, 403, 403, 303, 404],
  },
  { route: 'POST /reports/:id/focus-points/:pointId/done', stage: 'closed', expect: [303, 403, 403, 303, 404] },
  // After the release: the report is the manager's too; focus points belong to both.
  { route: 'GET /reports/:id', stage: 'released', expect: [303, 303, 200, 200, 404] },
  { route: 'GET /reports/:id.csv', stage: 'released', expect: [303, 303, 200, 200, 404] },
  {
    route: 'POST /reports/:id/focus-points',
    stage: 'released',
    fields: () => ({ text: 'Protect focus time', follow_up_on: LATER_DAY }),
    expect: [303, 403, 303, 303, 404],
  },
  { route: 'POST /reports/:id/focus-points/:pointId/done', stage: 'released', expect: [303, 403, 303, 303, 404] },
  { route: 'POST /reports/:id/follow-up', stage: 'released', expect: [303, 403, 303, 403, 404] },
  // The next round: either person sets or clears its date; its email's page is the manager's.
  {
    route: 'POST /reports/:id/next-round',
    stage: 'released',
    fields: () => ({ next_round_on: LATER_DAY }),
    expect: [303, 403, 303, 303, 404],
  },
  { route: 'POST /reports/:id/next-round', stage: 'closed', expect: [303, 403, 403, 403, 404] },
  { route: 'GET /reports/:id/next-round', stage: 'released', expect: [303, 303, 200, 403, 404] },
  { route: 'GET /reports/:id/next-round', stage: 'closed', expect: [303, 303, 403, 403, 404] },
  { route: 'GET /reports/:id/one-on-one', stage: 'released', expect: [303, 303, 403, 200, 404] },
  {
    route: 'POST /reports/:id/one-on-one/meeting',
    stage: 'released',
    fields: () => ({ day: LATER_DAY, time: '10:00', minutes: '30', time_zone: 'UTC', place: 'Room 4' }),
    expect: [303, 403, 403, 303, 404],
  },
  // The reply to the team (issue 20): the manager's alone, once the report is released.
  { route: 'GET /reports/:id/reply', stage: 'released', expect: [303, 303, 200, 403, 404] },
  { route: 'GET /reports/:id/reply', stage: 'closed', expect: [303, 303, 403, 403, 404] },
  { route: 'POST /reports/:id/reply', stage: 'released', fields: () => REPLY, expect: [303, 403, 303, 403, 404] },
  { route: 'POST /reports/:id/reply', stage: 'closed', fields: () => REPLY, expect: [303, 403, 403, 403, 404] },
  {
    route: 'POST /reports/:id/reply/preview',
    stage: 'released',
    fields: () => REPLY,
    expect: [303, 403, 200, 403, 404],
  },
  { route: 'POST /reports/:id/reply/preview', stage: 'closed', fields: () => REPLY, expect: [303, 403, 403, 403, 404] },
  { route: 'POST /reports/:id/reply/send', stage: 'released', fields: () => REPLY, expect: [303, 403, 303, 403, 404] },
  { route: 'POST /reports/:id/reply/send', stage: 'closed', fields: () => REPLY, expect: [303, 403, 403, 403, 404] },
  // The check-back (issue 20): both see it on a released round; the leader launches it once
  // a focus point is due; the manager pastes the team once the round's addresses are gone.
  { route: 'GET /reports/:id/check-back', stage: 'released', expect: [303, 303, 200, 200, 404] },
  { route: 'GET /reports/:id/check-back', stage: 'closed', expect: [303, 303, 403, 403, 404] },
  {
    route: 'POST /reports/:id/check-back/launch',
    stage: 'released',
    prepare: focusPointDue,
    fields: () => ({ closes_on: LATER_DAY }),
    expect: [303, 403, 403, 303, 404],
  },
  {
    route: 'POST /reports/:id/check-back/team',
    stage: 'released',
    prepare: addressesDeleted,
    fields: () => ({ invitees: 'ann@example.com, bob@example.com, cy@example.com' }),
    expect: [303, 403, 303, 403, 404],
  },
];

async function focusPointDue(db: Kysely<Database>, f: Fixture) {
  await db
    .updateTable('focus_points')
    .set({ follow_up_on: NOW.slice(0, 10) })
    .where('id', '=', f.pointId)
    .execute();
}

async function addressesDeleted(db: Kysely<Database>, f: Fixture) {
  await db.updateTable('invitations').set({ email: null }).where('request_id', '=', f.id).execute();
  await db
    .updateTable('feedback_requests')
    .set({ invitees_purged_at: new Date(NOW) })
    .where('id', '=', f.id)
    .execute();
}

/** A layer of an Express router, as far as the route listing below reads it. */
interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/** The mailbox pages name one email; they follow the same rule as its list. */
const MAILBOX_ROUTES = ['GET /dev/mailbox/:emailId', 'GET /dev/mailbox/:emailId/html'];

describeEachDatabase('authorization matrix', (database) => {
  const idp = useOidcProvider();
  const { app, people } = useTestApp(database, { clock: new ManualClock(NOW), people: true, oidc: idp.forApp });

  async function clientFor(actor: Actor) {
    const db = database().db;
    if (actor === 'anonymous') return visitor(app());
    if (actor === 'respondent') return { client: new TestClient(app().url), csrf: undefined };
    const user = actor === 'manager' ? people().manager : actor === 'leader' ? people().leader : people().stranger;
    // A new session per attempt: signing out in one row must not sign the actor out of the next.
    return signedIn(app(), db, user);
  }

  async function attempt(row: Row, actor: Actor) {
    const db = database().db;
    const fixture = row.stage ? await createFixture(db, people(), row.stage) : undefined;
    if (fixture && row.prepare) await row.prepare(db, fixture);
    const [method, template] = row.route.split(' ') as ['GET' | 'POST', string];
    const signInToken = template.includes(':signInToken')
      ? await createSignInToken(db, `visitor-${randomToken(6).toLowerCase()}@example.com`, undefined, app().clock.now())
      : '';
    const email = template.includes(':emailId')
      ? await db.selectFrom('email_outbox').select('id').limit(1).executeTakeFirst()
      : undefined;
    // Everyone but the respondent tries a well-formed link of their own making: a guess.
    const token = actor === 'respondent' ? fixture?.token : randomToken(16);
    const path = template
      .replace(':signInToken', signInToken)
      .replace(':emailId', email?.id ?? '')
      .replace(':invitationId', fixture?.invitationId ?? '')
      .replace(':answerId', fixture?.answerId ?? '')
      .replace(':pointId', fixture?.pointId ?? '')
      .replace(':token', token ?? '')
      .replace(':id', fixture?.id ?? '');
    const { client, csrf } = await clientFor(actor);
    if (method === 'GET') return client.get(path);
    const fields = row.fields?.(fixture!, actor) ?? {};
    return client.post(path, csrf ? { _csrf: csrf, ...fields } : fields);
  }

  it('gives each person exactly the status the product brief allows, on every route', async () => {
    await database().db.deleteFrom('rate_limits').execute();
    const failures: string[] = [];
    for (const row of MATRIX) {
      for (const [index, actor] of ACTORS.entries()) {
        const response = await attempt(row, actor);
        const expected = row.expect[index];
        const label = `${row.route}${row.stage ? ` (${row.stage})` : ''} as ${actor}`;
        if (response.status !== expected) failures.push(`${label}: ${response.status}, expected ${expected}`);
        // Signed-in pages send visitors to sign in, and never anywhere else.
        if (
          response.status === 303 &&
          (actor === 'anonymous' || actor === 'respondent') &&
          row.route.match(/\/(requests|collect|reports|welcome|account)/)
        ) {
          if (!/^\/sign-in(\?|$)/.test(response.location ?? ''))
            failures.push(`${label}: redirected to ${response.location}, expected the sign-in page`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('has a row for every route the app declares', () => {
    // Parameter names differ between the routers and this table (:id, :emailId): compared without.
    const shape = (route: string) => route.replace(/:\w+/g, ':');
    const listed = new Set([...MATRIX.map((row) => row.route), ...MAILBOX_ROUTES].map(shape));
    const declared: string[] = [];
    const walk = (stack: RouterLayer[]) => {
      for (const layer of stack) {
        if (layer.route)
          for (const method of Object.keys(layer.route.methods))
            declared.push(`${method.toUpperCase()} ${layer.route.path}`);
        else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    // The server's request listener is the Express app itself.
    const express = app().server.listeners('request')[0] as unknown as { router: { stack: RouterLayer[] } };
    walk(express.router.stack);
    assert.ok(declared.length > 40, `the routes were found (${declared.length})`);
    assert.deepEqual(
      declared.filter((route) => !listed.has(shape(route))),
      [],
      'every route has a row in MATRIX',
    );
  });

  it('lets nobody read the development mailbox when mail goes to a real server', async () => {
    const db = database().db;
    const withSmtp = await startTestApp({ db, clock: new ManualClock(NOW), env: { SMTP_URL: 'smtp://127.0.0.1:9' } });
    try {
      const email = await db.selectFrom('email_outbox').select('id').limit(1).executeTakeFirstOrThrow();
      for (const route of ['GET /dev/mailbox', ...MAILBOX_ROUTES]) {
        const path = route.slice(4).replace(':emailId', email.id);
        const anonymous = await new TestClient(withSmtp.url).get(path);
        assert.equal(anonymous.status, 404, `${path} does not exist with SMTP_URL set`);
        const { client } = await signedIn(withSmtp, db, people().leader);
        assert.equal((await client.get(path)).status, 404, `${path} does not exist for the signed-in either`);
      }
    } finally {
      await withSmtp.close();
    }
  });

  it('shows one email of the development mailbox to the same people as its list', async () => {
    const failures: string[] = [];
    for (const route of MAILBOX_ROUTES) {
      for (const actor of ACTORS) {
        const response = await attempt({ route, expect: [200, 200, 200, 200, 200] }, actor);
        if (response.status !== 200) failures.push(`${route} as ${actor}: ${response.status}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
