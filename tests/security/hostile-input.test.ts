// Property-based tests (fast-check) over every form and every route parameter: arbitrary
// strings (any code point, control characters, very long), numbers, lists and repeated
// fields, nested and huge bodies, broken encodings. The app must never answer 500 nor show a
// stack trace, and whatever it stored must not break a later page: after the runs, every
// page that shows stored values still opens and shows them escaped.
//
// Runs are bounded (RUNS per property) and repeatable: the seed is fixed, and can be changed
// with FC_SEED=<n>; a failure prints the seed and the shrunk counterexample.
import { it, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, type Page } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createSignInToken } from '../../src/auth/sign-in-tokens.ts';
import { createFixture, createOpenRound, createPeople, type Fixture, type People } from '../helpers/factories.ts';
import { assertNoStackTrace, LATER_DAY, NOW, signedIn, visitor } from './world.ts';

const SEED = Number(process.env.FC_SEED ?? 20_261_121);
const RUNS = 40;
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };

/** Values people (and scripts) have typed into forms to break them. */
const DICTIONARY = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; drop table answers; --",
  '{{constructor.constructor("return 1")()}}',
  '__proto__',
  'constructor',
  '\u0000',
  'a\u0000b',
  '\r\nBcc: victim@example.com',
  '\u202e\u2066evil\u2069',
  '\ufeff',
  '\ud83d\ude00'.repeat(50),
  '=cmd|" /C calc"!A0',
  '../../../etc/passwd',
  '%00',
  '%',
  'x'.repeat(5_001),
  'y'.repeat(60_000),
  '2026-02-30',
  '9999-12-31',
  '-1',
  'NaN',
  'Infinity',
  '1e309',
  ' ',
  '',
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...DICTIONARY) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

/** Text with a control or separator character somewhere inside, as a pasted text may hold. */
const withControl = fc
  .tuple(
    text,
    fc.constantFrom('\u0000', '\u0001', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\u2028', '\r\n', '\r', '\t'),
    text,
  )
  .map(([before, control, after]) => `${before}${control}${after}`);

/** Free text that a form would store: ordinary, hostile, or with control characters. */
const storedText = fc.oneof(
  { weight: 2, arbitrary: text },
  { weight: 2, arbitrary: withControl },
  { weight: 1, arbitrary: fc.constant('<script>alert(1)</script> "><img src=x onerror=alert(1)> {{constructor}}') },
);

/** A form field: missing, one value, or the same field posted several times. */
const formValue = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** A JSON field: anything JSON can say, nested a little, or a hostile string. */
const jsonValue = fc.oneof(
  text,
  fc.jsonValue({ maxDepth: 4 }),
  fc.array(text, { maxLength: 3 }),
  fc.dictionary(text, text, { maxKeys: 3 }),
);

/** Percent-encodings that decode to nothing valid. */
const BAD_PERCENT = [
  '%',
  '%Z',
  '%ZZ',
  '%C3%28',
  '%E0%A4%A',
  '%FF%FE',
  '%ED%A0%80',
  '%F4%90%80%80',
  '%C0%AF',
  '%u0041',
  '%00',
  '+%2B%',
  '%%32%35',
];

type FieldValue = string | string[] | undefined;
type Actor = 'manager' | 'leader' | 'visitor' | 'respondent';

interface FormRoute {
  route: string;
  actor: Actor;
  path: (w: World) => string;
  fields: (w: World) => string[];
}

interface World {
  people: People;
  draft: Fixture;
  submitted: Fixture;
  open: Fixture;
  closed: Fixture;
  released: Fixture;
  /** Links of a round kept for the properties to spend; its first link is kept unused. */
  surveyTokens: string[];
  surveyFields: string[];
  signInToken: string;
}

const QUESTION_FIELDS = [0, 1, 2].flatMap((i) => [`kind_${i}`, `prompt_${i}`, `required_${i}`, `choices_${i}`]);

/** The survey's links but the first, in turn (the first stays unused for the last check). */
let turn = 0;
const spareLink = (w: World) => `/s/${w.surveyTokens[1 + (turn++ % (w.surveyTokens.length - 1))]}`;

/** Every form of the app, with the fields its page posts. */
const FORMS: FormRoute[] = [
  { route: 'POST /sign-in', actor: 'visitor', path: () => '/sign-in', fields: () => ['email', 'next'] },
  {
    route: 'POST /sign-in/link/:token',
    actor: 'visitor',
    path: (w) => `/sign-in/link/${w.signInToken}`,
    fields: () => ['next'],
  },
  { route: 'POST /welcome', actor: 'manager', path: () => '/welcome', fields: () => ['name', 'next'] },
  { route: 'POST /account/name', actor: 'leader', path: () => '/account/name', fields: () => ['name'] },
  { route: 'POST /requests', actor: 'manager', path: () => '/requests', fields: () => ['template'] },
  {
    route: 'POST /requests/:id/edit',
    actor: 'manager',
    path: (w) => `/requests/${w.draft.id}/edit`,
    fields: () => ['leader_email', 'invitees', 'closes_on', 'note', 'action', 'new_kind', ...QUESTION_FIELDS],
  },
  {
    route: 'POST /collect/:id',
    actor: 'leader',
    path: (w) => `/collect/${w.submitted.id}`,
    fields: () => ['closes_on', 'team_note'],
  },
  {
    route: 'POST /collect/:id/extend',
    actor: 'leader',
    path: (w) => `/collect/${w.open.id}/extend`,
    fields: () => ['closes_on'],
  },
  {
    route: 'POST /collect/:id/decline',
    actor: 'leader',
    path: (w) => `/collect/${w.submitted.id}/decline`,
    fields: () => ['reason'],
  },
  { route: 'POST /s/:token', actor: 'respondent', path: spareLink, fields: (w) => w.surveyFields },
  {
    route: 'POST /reports/:id/notes',
    actor: 'leader',
    path: (w) => `/reports/${w.closed.id}/notes`,
    fields: () => ['notes'],
  },
  {
    route: 'POST /reports/:id/focus-points',
    actor: 'manager',
    path: (w) => `/reports/${w.released.id}/focus-points`,
    fields: () => ['text', 'follow_up_on'],
  },
  {
    route: 'POST /reports/:id/next-round',
    actor: 'manager',
    path: (w) => `/reports/${w.released.id}/next-round`,
    fields: () => ['next_round_on', 'action'],
  },
  {
    route: 'POST /reports/:id/one-on-one/agenda',
    actor: 'leader',
    path: (w) => `/reports/${w.closed.id}/one-on-one/agenda`,
    fields: () => ['agenda', 'action'],
  },
  {
    route: 'POST /reports/:id/one-on-one/meeting',
    actor: 'leader',
    path: (w) => `/reports/${w.closed.id}/one-on-one/meeting`,
    fields: () => ['day', 'time', 'minutes', 'time_zone', 'place'],
  },
];

/** Every route with a parameter, with the parameters filled in from the world. */
const PARAM_ROUTES: Array<{ route: string; actor: Actor; params: (w: World) => Record<string, string> }> = [
  { route: 'GET /sign-in/link/:token', actor: 'visitor', params: (w) => ({ token: w.signInToken }) },
  { route: 'POST /sign-in/link/:token', actor: 'visitor', params: (w) => ({ token: w.signInToken }) },
  ...[
    'GET /requests/:id',
    'GET /requests/:id/edit',
    'POST /requests/:id/edit',
    'POST /requests/:id/reopen',
    'GET /requests/:id/delete',
    'POST /requests/:id/delete',
  ].map((route) => ({
    route,
    actor: 'manager' as const,
    params: (w: World) => ({ id: w.draft.id }),
  })),
  ...[
    'GET /collect/:id',
    'POST /collect/:id',
    'GET /collect/:id/launch',
    'POST /collect/:id/launch',
    'GET /collect/:id/decline',
    'POST /collect/:id/decline',
    'GET /collect/:id/close',
    'POST /collect/:id/close',
    'POST /collect/:id/extend',
  ].map((route) => ({
    route,
    actor: 'leader' as const,
    params: (w: World) => ({ id: w.submitted.id }),
  })),
  {
    route: 'POST /collect/:id/invitees/:invitationId/remove',
    actor: 'leader',
    params: (w) => ({ id: w.submitted.id, invitationId: w.submitted.invitationId }),
  },
  { route: 'GET /s/:token', actor: 'respondent', params: (w) => ({ token: w.surveyTokens[0]! }) },
  { route: 'POST /s/:token', actor: 'respondent', params: (w) => ({ token: w.surveyTokens[0]! }) },
  ...[
    'GET /reports/:id',
    'GET /reports/:id.csv',
    'GET /reports/:id/release',
    'POST /reports/:id/notes',
    'GET /reports/:id/one-on-one',
    'POST /reports/:id/one-on-one/agenda',
    'POST /reports/:id/one-on-one/meeting',
    'GET /reports/:id/one-on-one/cancel',
    'POST /reports/:id/one-on-one/cancel',
  ].map((route) => ({
    route,
    actor: 'leader' as const,
    params: (w: World) => ({ id: w.closed.id }),
  })),
  {
    route: 'POST /reports/:id/comments/:answerId/hide',
    actor: 'leader',
    params: (w) => ({ id: w.closed.id, answerId: w.closed.answerId }),
  },
  {
    route: 'POST /reports/:id/comments/:answerId/unhide',
    actor: 'leader',
    params: (w) => ({ id: w.closed.id, answerId: w.closed.answerId }),
  },
  {
    route: 'POST /reports/:id/focus-points/:pointId/done',
    actor: 'manager',
    params: (w) => ({ id: w.released.id, pointId: w.released.pointId }),
  },
  ...['GET /reports/:id/next-round', 'POST /reports/:id/next-round'].map((route) => ({
    route,
    actor: 'manager' as const,
    params: (w: World) => ({ id: w.released.id }),
  })),
  { route: 'GET /dev/mailbox/:id', actor: 'visitor', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  {
    route: 'GET /dev/mailbox/:id/html',
    actor: 'visitor',
    params: () => ({ id: '00000000-0000-4000-8000-000000000000' }),
  },
];

function urlencoded(fields: Record<string, FieldValue>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of value === undefined ? [] : Array.isArray(value) ? value : [value]) params.append(name, one);
  }
  return params.toString();
}

/**
 * What a page that stores typed text must never contain: any payload as live markup.
 * (`{{constructor}}` may show as typed: stored text is data to a template, never compiled.)
 */
function assertNoLiveMarkup(html: string, where: string) {
  for (const raw of ['<script>alert', '<img src=x', 'onerror=alert']) {
    assert.ok(!html.includes(raw), `${where}: ${raw} appears unescaped`);
  }
}

describeEachDatabase('hostile input', (database) => {
  let world: World;
  const { app } = useTestApp(database, { clock: new ManualClock(NOW) });
  const clients = new Map<Actor, { client: TestClient; csrf?: string }>();

  before(async () => {
    const db = database().db;
    const people = await createPeople(db);
    const survey = await createOpenRound(db, {
      managerId: people.manager.id,
      leaderEmail: people.leader.email,
      invitees: Array.from({ length: 12 }, (_, i) => `hostile-${i}@example.com`),
    });
    world = {
      people,
      draft: await createFixture(db, people, 'draft'),
      submitted: await createFixture(db, people, 'submitted'),
      open: await createFixture(db, people, 'open'),
      closed: await createFixture(db, people, 'closed'),
      released: await createFixture(db, people, 'released'),
      surveyTokens: survey.tokens,
      surveyFields: survey.questions.map((q) => `q-${q.id}`),
      // Expired, so no run signs the visitor in (which would change its CSRF token).
      signInToken: await createSignInToken(
        db,
        'hostile-visitor@example.com',
        undefined,
        new Date(Date.parse(NOW) - 3_600_000),
      ),
    };
    clients.set('manager', await signedIn(app(), db, people.manager));
    clients.set('leader', await signedIn(app(), db, people.leader));
    clients.set('visitor', await visitor(app()));
    clients.set('respondent', { client: new TestClient(app().url) });
  });
  // Limits are tested elsewhere; here they would only turn later runs into 429s.
  beforeEach(() => database().db.deleteFrom('rate_limits').execute());

  /** Sends a request as `actor`, with the CSRF token in a header so any body can be tried. */
  function send(
    actor: Actor,
    method: string,
    path: string,
    body?: { type?: string; data: string | Uint8Array },
    headers: Record<string, string> = {},
  ) {
    const { client, csrf } = clients.get(actor)!;
    const all: Record<string, string> = { ...headers, ...(csrf ? { 'x-csrf-token': csrf } : {}) };
    if (body?.type) all['content-type'] = body.type;
    return client.request(path, {
      method,
      headers: all,
      body: method === 'GET' ? undefined : (body?.data as BodyInit | undefined),
    });
  }

  function assertHandled(response: Page, what: string) {
    assert.ok(response.status < 500, `${what}: answered ${response.status}`);
    assertNoStackTrace(response.html, what);
  }

  it('answers every form with anything in its fields, urlencoded or JSON, without a 500', async () => {
    const arbitrary = fc
      .record({
        form: fc.constantFrom(...FORMS),
        values: fc.array(formValue, { minLength: 16, maxLength: 16 }),
        extra: fc.dictionary(
          fc.oneof(text, fc.constantFrom('__proto__', 'constructor', '_csrf', 'kind_39', 'q-x')),
          formValue,
          { maxKeys: 3 },
        ),
        json: fc.array(jsonValue, { minLength: 16, maxLength: 16 }),
        asJson: fc.boolean(),
      })
      .map(({ form, values, extra, json, asJson }) => ({ form, values, extra, json, asJson }));
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ form, values, extra, json, asJson }) => {
        const names = form.fields(world);
        const path = form.path(world);
        if (asJson) {
          const body = Object.fromEntries([
            ...Object.entries(extra),
            ...names.map((name, i) => [name, json[i % json.length]]),
          ]);
          return assertHandled(
            await send(form.actor, 'POST', path, { type: 'application/json', data: JSON.stringify(body) }),
            `${form.route} (JSON)`,
          );
        }
        const fields: Record<string, FieldValue> = { ...extra };
        names.forEach((name, i) => (fields[name] = values[i % values.length]));
        const response = await send(form.actor, 'POST', path, {
          type: 'application/x-www-form-urlencoded',
          data: urlencoded(fields),
        });
        assertHandled(response, form.route);
      }),
      settings,
    );
  });

  it('answers every form whose values are mostly right and partly hostile, so hostile text gets stored', async () => {
    // Valid dates, kinds and actions make the forms store what they are given, so the later
    // pages have hostile text to show. Each form gets its own bounded run.
    const plausible = (name: string): fc.Arbitrary<FieldValue> => {
      if (name === 'time') return fc.oneof(fc.constant('10:30'), text);
      if (name === 'minutes') return fc.oneof(fc.constantFrom('30', '45'), text);
      if (name === 'time_zone') return fc.oneof(fc.constantFrom('UTC', 'Europe/Berlin'), text);
      if (/closes_on|follow_up_on|^day$/.test(name))
        return fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(LATER_DAY, '2026-11-20') },
          { weight: 1, arbitrary: text },
        );
      if (/^kind_/.test(name)) return fc.constantFrom('agree', 'choice', 'text');
      if (/^required_/.test(name)) return fc.constantFrom('yes', undefined);
      if (name === 'action')
        return fc.constantFrom('save', 'save', 'save', 'add-question', 'remove-1', 'up-1', 'down-0', 'submit');
      if (name === 'new_kind') return fc.constantFrom('agree', 'choice', 'text', 'bogus');
      if (name === 'leader_email') return fc.constantFrom('', world.people.leader.email);
      if (name === 'invitees') return fc.oneof(fc.constant('a@example.com\nb@example.com\nc@example.com'), storedText);
      if (name === 'template') return fc.constantFrom('blank', '00000000-0000-4000-8000-000000000000');
      if (name === 'email') return fc.oneof(fc.constant('someone@example.com'), text);
      if (name === 'next') return fc.oneof(fc.constant('/requests'), text);
      return storedText;
    };
    for (const form of FORMS.filter((f) => f.actor !== 'respondent')) {
      const fields = fc.record(Object.fromEntries(form.fields(world).map((name) => [name, plausible(name)])));
      await fc.assert(
        fc.asyncProperty(fields, async (values) => {
          const response = await send(form.actor, 'POST', form.path(world), {
            type: 'application/x-www-form-urlencoded',
            data: urlencoded(values as Record<string, FieldValue>),
          });
          assertHandled(response, form.route);
        }),
        { ...settings, numRuns: 25 },
      );
    }
  });

  it('answers the survey with anything in its answers without a 500, and stores only valid ones', async () => {
    // The sample questions: agree, agree, choice (2 options), free text.
    const scale = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('1', '2', '3', '4', '5', 'na') },
      { weight: 1, arbitrary: formValue },
    );
    const option = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('0', '1', undefined) },
      { weight: 1, arbitrary: formValue },
    );
    const comment = fc.oneof({ weight: 4, arbitrary: storedText }, { weight: 1, arbitrary: formValue });
    await fc.assert(
      fc.asyncProperty(fc.tuple(scale, scale, option, comment), fc.boolean(), async (answers, asJson) => {
        const fields = Object.fromEntries(world.surveyFields.map((name, i) => [name, answers[i]]));
        const body = asJson
          ? { type: 'application/json', data: JSON.stringify(fields) }
          : { type: 'application/x-www-form-urlencoded', data: urlencoded(fields) };
        const response = await send('respondent', 'POST', spareLink(world), body);
        assertHandled(response, 'POST /s/:token');
        assert.ok([200, 400, 410, 413, 422].includes(response.status), `the survey answered ${response.status}`);
      }),
      settings,
    );
    const stored = await database()
      .db.selectFrom('answers')
      .select(['value', 'text'])
      .where(
        'question_id',
        'in',
        world.surveyFields.map((f) => f.slice(2)),
      )
      .execute();
    for (const row of stored) {
      if (row.value !== null)
        assert.ok(row.value >= 0 && row.value <= 5, `a stored value is on the scale or an option: ${row.value}`);
      if (row.text !== null) assert.ok(row.text.length <= 5_000 && !row.text.includes('\u0000'));
    }
  });

  it('answers every route with anything in its parameters without a 500', async () => {
    const param = fc.oneof(
      text.map((value) => encodeURIComponent(value)),
      fc.constantFrom(...BAD_PERCENT),
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '..%2F..%2Fetc',
        'a%2Fb',
        '00000000-0000-4000-8000-000000000000',
        '00000000-0000-0000-0000-000000000000',
        'ZZZZZZZZ-ZZZZ-4ZZZ-8ZZZ-ZZZZZZZZZZZZ',
        'x'.repeat(3_000),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PARAM_ROUTES), fc.nat(), param, async (target, pick, value) => {
        const [method, template] = target.route.split(' ') as [string, string];
        const params = target.params(world);
        const names = Object.keys(params);
        const hostile = names[pick % names.length]!;
        let path = template;
        for (const name of names) path = path.replace(`:${name}`, name === hostile ? value : params[name]!);
        const response = await send(
          target.actor,
          method,
          path,
          method === 'POST' ? { type: 'application/x-www-form-urlencoded', data: '' } : undefined,
        );
        assertHandled(response, `${target.route} with :${hostile} = ${JSON.stringify(value.slice(0, 40))}`);
      }),
      settings,
    );
  });

  it('answers bodies in broken encodings, wrong types, huge or deeply nested, without a 500', async () => {
    const path = `/requests/${world.draft.id}/edit`;
    const fixed: Array<{ what: string; type?: string; data: string | Uint8Array; headers?: Record<string, string> }> = [
      {
        what: 'invalid percent-encoding',
        type: 'application/x-www-form-urlencoded',
        data: BAD_PERCENT.map((bad, i) => `f${i}=${bad}`).join('&') + '&note=%ZZ&closes_on=%E0%A4%A',
      },
      {
        what: 'invalid UTF-8 bytes',
        type: 'application/x-www-form-urlencoded',
        data: new Uint8Array([0x6e, 0x6f, 0x74, 0x65, 0x3d, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
      },
      {
        what: 'invalid UTF-8 in JSON',
        type: 'application/json',
        data: new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xc3, 0x28, 0x22, 0x7d]),
      },
      { what: 'charset=utf-16', type: 'application/x-www-form-urlencoded; charset=utf-16', data: 'note=hello' },
      { what: 'JSON in utf-16', type: 'application/json; charset=utf-16', data: '{"note":"hello"}' },
      { what: 'unknown charset', type: 'application/x-www-form-urlencoded; charset=klingon', data: 'note=hello' },
      { what: 'text/plain', type: 'text/plain', data: 'note=hello' },
      {
        what: 'XML',
        type: 'application/xml',
        data: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      },
      {
        what: 'multipart',
        type: 'multipart/form-data; boundary=x',
        data: '--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--x--\r\n',
      },
      { what: 'no content type', data: 'note=hello' },
      { what: 'malformed JSON', type: 'application/json', data: '{"note": "unterminated' },
      { what: 'JSON that is not an object', type: 'application/json', data: '"just a string"' },
      { what: 'JSON null', type: 'application/json', data: 'null' },
      { what: 'JSON array', type: 'application/json', data: '[1,2,3]' },
      {
        what: 'deeply nested JSON arrays',
        type: 'application/json',
        data: `{"note":${'['.repeat(45_000)}${']'.repeat(45_000)}}`,
      },
      {
        what: 'deeply nested JSON objects',
        type: 'application/json',
        data: `${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}`,
      },
      {
        what: 'deeply nested form keys',
        type: 'application/x-www-form-urlencoded',
        data: `note${'[a]'.repeat(10_000)}=1`,
      },
      { what: 'a body over the limit', type: 'application/x-www-form-urlencoded', data: `note=${'x'.repeat(150_000)}` },
      { what: 'JSON over the limit', type: 'application/json', data: JSON.stringify({ note: 'x'.repeat(150_000) }) },
      {
        what: 'too many fields',
        type: 'application/x-www-form-urlencoded',
        data: Array.from({ length: 600 }, (_, i) => `f${i}=1`).join('&'),
      },
      {
        what: 'a field repeated 400 times',
        type: 'application/x-www-form-urlencoded',
        data: Array.from({ length: 400 }, () => 'note=1').join('&'),
      },
      {
        what: 'a prototype key',
        type: 'application/json',
        data: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"note":"hi"}',
      },
      {
        what: 'gzip that is not gzip',
        type: 'application/x-www-form-urlencoded',
        data: 'note=hello',
        headers: { 'content-encoding': 'gzip' },
      },
      {
        what: 'an unknown content encoding',
        type: 'application/x-www-form-urlencoded',
        data: 'note=hello',
        headers: { 'content-encoding': 'klingon' },
      },
    ];
    for (const body of fixed) {
      for (const target of [path, `/s/${world.surveyTokens[1]}`, '/sign-in']) {
        const actor: Actor = target.startsWith('/s/') ? 'respondent' : target === '/sign-in' ? 'visitor' : 'manager';
        const response = await send(actor, 'POST', target, body, body.headers);
        assertHandled(response, `${body.what} to ${target}`);
      }
    }
    // And arbitrary bytes, under either form type.
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'application/x-www-form-urlencoded; charset=iso-8859-1',
        ),
        async (bytes, type) => {
          assertHandled(
            await send('manager', 'POST', path, { type, data: bytes }),
            `${bytes.length} random bytes as ${type}`,
          );
        },
      ),
      settings,
    );
  });

  it('still shows every page that holds stored values, with the values escaped', async () => {
    const pages: Array<[Actor, string]> = [
      ['manager', '/'],
      ['manager', '/account'],
      ['manager', '/requests'],
      ['manager', `/requests/${world.draft.id}`],
      ['manager', `/requests/${world.draft.id}/edit`],
      ['manager', `/reports/${world.released.id}`],
      ['leader', '/account'],
      ['leader', '/collect'],
      ['leader', `/collect/${world.submitted.id}`],
      ['leader', `/collect/${world.open.id}`],
      ['leader', `/reports/${world.closed.id}`],
      ['leader', `/reports/${world.closed.id}.csv`],
      ['leader', `/reports/${world.released.id}`],
      ['leader', `/reports/${world.closed.id}/one-on-one`],
      ['respondent', `/s/${world.surveyTokens[0]}`],
      ['visitor', '/dev/mailbox'],
    ];
    for (const [actor, path] of pages) {
      const { client } = clients.get(actor)!;
      const page = await client.follow(await client.get(path));
      assert.equal(page.status, 200, `${path} still opens for the ${actor} (got ${page.status})`);
      assertNoLiveMarkup(page.html, path);
    }
    // Each queued email's page in the mailbox, too.
    const emails = await database().db.selectFrom('email_outbox').select('id').limit(20).execute();
    for (const { id } of emails) {
      const page = await clients.get('visitor')!.client.get(`/dev/mailbox/${id}`);
      assert.equal(page.status, 200);
      assertNoLiveMarkup(page.html, `/dev/mailbox/${id}`);
    }
  });
});
