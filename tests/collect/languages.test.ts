// Languages (issue 21), the leader's side: a leader who reads German gets every page of
// /collect in German (the overview with a closed round's figures, its changes, focus points
// and check-backs and the totals; the request before launch, open and closed; the launch,
// decline, close and remove confirmations; the errors beside a field), with none of the common
// English words left; the manager's emails (launched, declined) come in the manager's language,
// else the leader's; the leader's (round closed) in the leader's. French and Spanish say their
// key sentences.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { checkBackOfPoint } from '../helpers/check-backs.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import {
  createAnsweredRound,
  createFocusPoint,
  createOpenRound,
  createUser,
  leaderWithRequest,
  uniqueTag,
  type AnswerSpec,
  type QuestionSpec,
} from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { outbox } from '../rounds/helpers.ts';
import { englishIn } from '../helpers/english.ts';
import { closeRound } from '../../src/rounds/close-round.ts';

const QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'Meine Führungskraft hört mir zu.', required: true },
  { kind: 'agree', prompt: 'Meine Führungskraft erklärt ihre Entscheidungen.', required: false },
  {
    kind: 'choice',
    prompt: 'Wie oft sollten wir uns treffen?',
    required: false,
    choices: ['Wöchentlich', 'Monatlich'],
  },
];
const QUESTION_WORDS = [...QUESTIONS.map((q) => q.prompt), 'Wöchentlich', 'Monatlich'];
/** The manager's own note, in their own words (leaderWithRequest writes it in English). */
const MANAGER_NOTE = 'Please ask my team how our one-on-ones are going.';

const setLanguage = (db: Kysely<Database>, id: string, language: string) =>
  db.updateTable('users').set({ language }).where('id', '=', id).execute();

describeEachDatabase('the leader’s pages in the leader’s language', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, { clock, env: { SESSION_IDLE_MINUTES: '10080', SESSION_MAX_HOURS: '720' } });

  async function visit(client: TestClient, path: string) {
    const response = await client.get(path);
    assert.equal(response.status, 200, `${path} opens`);
    return { ...response, text: textOf(response.html) };
  }

  const noEnglish = (names: string[]) => (what: string, text: string) =>
    assert.deepEqual(
      englishIn(text, [...names, ...QUESTION_WORDS, MANAGER_NOTE]),
      [],
      `English left in ${what}: ${text}`,
    );

  /** A request waiting for a German leader, one invitee outside the company, so one address is marked. */
  async function waitingInGerman(opts: { managerLanguage?: string } = {}) {
    clock.set('2026-11-02T09:00:00Z');
    const tag = uniqueTag();
    const invitees = ['ann', 'bob', 'cy', 'di', 'ed'].map((name) => `${name}-${tag}@example.com`);
    const round = await leaderWithRequest(app(), db(), {
      closesAt: endOfDay('2026-11-16'),
      questions: QUESTIONS,
      invitees: [...invitees, `fremd-${tag}@elsewhere.org`],
    });
    await setLanguage(db(), round.leaderUser.id, 'de');
    if (opts.managerLanguage) await setLanguage(db(), round.manager.id, opts.managerLanguage);
    const names = [round.manager.display_name!, round.leaderUser.display_name!];
    return { ...round, names, page: `/collect/${round.request.id}`, check: noEnglish(names) };
  }

  it('reviews, launches and closes a round in German, with the manager’s and the leader’s emails', async () => {
    const round = await waitingInGerman({ managerLanguage: 'de' });
    const { page, check, names } = round;

    const review = await visit(round.leader, page);
    assert.match(review.html, /<html lang="de">/);
    assert.match(review.text, new RegExp(`Rückmeldung zu ${names[0]}`));
    assert.match(review.text, /Wartet auf Ihre Prüfung und den Start\./);
    assert.match(review.text, /Enddatum und Ihre Notiz an das Team/);
    assert.match(review.text, /Eine Adresse vor dem Start zu prüfen/);
    assert.match(review.text, /Nicht bei example\.com, wo Sie und .+ Ihre Adressen haben\./);
    assert.match(review.text, /Eines von: Wöchentlich, Monatlich · freiwillig/);
    assert.match(review.text, /Eingeladen \(6\)/);
    assert.match(review.text, /Ihre Entscheidung/);
    check('the request waiting for review', review.text);

    const wrong = await round.leader.submit(page, { closes_on: '2026-11-01', team_note: '' });
    assert.equal(wrong.status, 422);
    const wrongText = textOf(wrong.html);
    assert.match(wrongText, /Wählen Sie ein Datum nach heute\./, 'the error beside the field');
    check('the request with an error', wrongText);

    const invitation = round.request.id;
    const invitee = await db()
      .selectFrom('invitations')
      .select('id')
      .where('request_id', '=', invitation)
      .executeTakeFirstOrThrow();
    const remove = await visit(round.leader, `${page}/invitees/${invitee.id}/remove`);
    assert.match(remove.text, /5 Personen bleiben eingeladen\./);
    assert.match(remove.text, /Das lässt sich nicht rückgängig machen\./);
    check('the remove confirmation', remove.text);

    const decline = await visit(round.leader, `${page}/decline`);
    assert.match(decline.text, /Diese Anfrage ablehnen/);
    assert.match(decline.text, new RegExp(`Ihre Begründung für ${names[0]}`));
    check('the decline confirmation', decline.text);
    const noReason = await round.leader.submit(`${page}/decline`, { reason: '' });
    assert.equal(noReason.status, 422);
    assert.match(textOf(noReason.html), /Schreiben Sie eine Begründung für die Führungskraft\./);
    check('the decline confirmation with an error', textOf(noReason.html));

    const launch = await visit(round.leader, `${page}/launch`);
    assert.match(launch.text, /Jetzt 6 Einladungen senden\?/);
    assert.match(launch.text, /offen bis 16\. November 2026, 23:59 UTC/);
    assert.match(launch.text, /Ich habe die markierte Adresse geprüft: Sie gehört einer anderen Person/);
    check('the launch confirmation', launch.text);
    const unticked = await round.leader.submit(`${page}/launch`, {});
    assert.equal(unticked.status, 422);
    assert.match(textOf(unticked.html), /Setzen Sie das Häkchen, sobald Sie die markierten Adressen geprüft haben/);
    check('the launch confirmation with an error', textOf(unticked.html));

    const launched = await round.leader.submit(`${page}/launch`, { addresses_checked: 'yes' });
    assert.equal(launched.location, `${page}?done=launched`);
    const [told] = await outbox(db(), { name: 'request-launched', to: round.manager.email });
    assert.equal(told!.subject, `${names[1]} hat Ihre Rückmelderunde gestartet`);
    assert.match(
      told!.text,
      /6 Personen aus Ihrem Team wurden eingeladen zu antworten\. Die Runde ist bis 16\. November 2026, 23:59 UTC offen\./,
    );
    check('the launched email', `${told!.subject} ${told!.text} ${textOf(told!.html)}`);

    const open = await visit(round.leader, `${page}?done=launched`);
    assert.match(open.text, /Die Runde ist offen\. Die Einladungen sind unterwegs/);
    assert.match(open.text, /Offen: Antworten werden gesammelt\. Offen bis 16\. November 2026, 23:59 UTC/);
    assert.match(open.text, /0 von 6 haben geantwortet/);
    assert.match(open.text, /Noch keine Erinnerung versandt\./);
    assert.match(open.text, /Später als 16\. November 2026, höchstens 60 Tage ab heute\./);
    check('the open round', open.text);

    const extend = await round.leader.submit(page, { closes_on: '2026-11-10' }, `${page}/extend`);
    assert.equal(extend.status, 422);
    assert.match(textOf(extend.html), /Wählen Sie ein Datum nach dem bisherigen Enddatum, 16\. November 2026\./);
    check('the extend form with an error', textOf(extend.html));

    const close = await visit(round.leader, `${page}/close`);
    assert.match(close.text, /Diese Runde jetzt beenden\?/);
    assert.match(close.text, /soll bis 16\. November 2026, 23:59 UTC offen bleiben/);
    check('the close confirmation', close.text);
    const closed = await round.leader.submit(`${page}/close`, {});
    assert.equal(closed.location, `${page}?done=closed`);
    const [report] = await outbox(db(), { name: 'round-closed', to: round.leaderUser.email });
    assert.equal(report!.subject, `Die Rückmelderunde zu ${names[0]} ist beendet`);
    assert.match(report!.text, /0 von 6 eingeladenen Personen haben geantwortet/);
    assert.match(report!.html, /<strong>0 von 6<\/strong>/);
    check('the round-closed email', `${report!.subject} ${report!.text} ${textOf(report!.html)}`);

    const after = await visit(round.leader, `${page}?done=closed`);
    assert.match(after.text, /Die Runde ist beendet\. Ungenutzte Links funktionieren nicht mehr\./);
    assert.match(after.text, /Abgeschlossen\. Beendet am 2\. November 2026\./);
    assert.match(after.text, /Sprache der Umfrage: English/, 'the language named in its own language');
    check('the closed round', after.text);
  });

  it('writes to a leader who chose no language in the one their browser asked for when they signed in', async () => {
    const leaderEmail = `browser-${uniqueTag()}@example.com`;
    const visitor = new TestClient(app().url);
    visitor.extraHeaders['accept-language'] = 'de-DE,de;q=0.9,en;q=0.5';
    await visitor.submit('/sign-in', { email: leaderEmail });
    const [link] = await outbox(db(), { to: leaderEmail, name: 'sign-in-link' });
    const path = /https?:\/\/[^\s/]+(\/sign-in\/link\/[A-Za-z0-9_-]+)/.exec(link!.text)![1]!;
    assert.equal((await visitor.submit(path, {})).status, 303, 'signed in');

    // An English manager's round for them closes: its email is in the leader's German.
    const manager = await createUser(db(), { email: `manager-${uniqueTag()}@example.com`, name: 'Mark' });
    const round = await createOpenRound(db(), { managerId: manager.id, leaderEmail, questions: QUESTIONS });
    assert.ok(await closeRound(db(), round.request.id, { config: app().config, clock }));
    const [closed] = await outbox(db(), { to: leaderEmail, name: 'round-closed' });
    assert.equal(closed!.subject, 'Die Rückmelderunde zu Mark ist beendet');
  });

  it('emails the decline in the leader’s language to a manager who has none, and French and Spanish say theirs', async () => {
    const round = await waitingInGerman();
    // A manager who never signed in with a browser: no language of their own.
    await db().updateTable('users').set({ browser_language: null }).where('id', '=', round.manager.id).execute();
    const declined = await round.leader.submit(`${round.page}/decline`, {
      reason: 'Bitte laden Sie mehr Personen ein.',
    });
    assert.equal(declined.location, `${round.page}?done=declined`);
    const [email] = await outbox(db(), { name: 'request-declined', to: round.manager.email });
    assert.equal(email!.subject, `${round.names[1]} hat Ihre Anfrage nach Rückmeldung abgelehnt`);
    assert.match(email!.text, /hat entschieden, Ihre Anfrage nach Rückmeldung nicht zu starten/);
    round.check('the declined email', `${email!.subject} ${email!.text} ${textOf(email!.html)}`);
    const shown = await visit(round.leader, `${round.page}?done=declined`);
    assert.match(shown.text, /Sie haben die Anfrage abgelehnt\./);
    assert.match(shown.text, /Warum Sie abgelehnt haben/);
    round.check('the declined request', shown.text);

    const french = await waitingInGerman({ managerLanguage: 'es' });
    await setLanguage(db(), french.leaderUser.id, 'fr');
    const page = await visit(french.leader, french.page);
    assert.match(page.text, new RegExp(`Retours sur ${french.names[0]}`));
    assert.match(page.text, /Votre décision/);
    assert.match(page.text, /Une adresse à vérifier avant le lancement/);
    const list = await visit(french.leader, '/collect');
    assert.match(list.text, /Demandes que vous recueillez/);
    await french.leader.submit(`${french.page}/decline`, { reason: 'Hablemos primero.' });
    const [spanish] = await outbox(db(), { name: 'request-declined', to: french.manager.email });
    assert.equal(spanish!.subject, `${french.names[1]} ha rechazado tu solicitud de opiniones`);
    assert.match(spanish!.text, /No se ha contactado a nadie de tu equipo\./);
  });

  it('shows the overview in German: figures, changes, focus points, check-backs and totals', async () => {
    clock.set('2026-12-01T09:00:00Z');
    const tag = uniqueTag();
    const leaderUser = await createUser(db(), { email: `leiterin-${tag}@example.com`, name: `Lea ${tag}` });
    await setLanguage(db(), leaderUser.id, 'de');
    const { client: leader } = await signedInClient(app(), db(), leaderUser);
    const mira = await createUser(db(), { email: `mira-${tag}@example.com`, name: `Mira ${tag}` });
    const otto = await createUser(db(), { email: `otto-${tag}@example.com`, name: `Otto ${tag}` });
    const leaderEmail = leaderUser.email;
    const agree = QUESTIONS.slice(0, 2);
    await createAnsweredRound(db(), {
      managerId: mira.id,
      leaderEmail,
      questions: agree,
      createdAt: '2026-09-01T09:00:00Z',
      answers: [
        [2, 4],
        [2, 4],
        [3, 4],
      ],
    });
    const latest = await createAnsweredRound(db(), {
      managerId: mira.id,
      leaderEmail,
      questions: agree,
      createdAt: '2026-11-02T09:00:00Z',
      status: 'released',
      answers: [
        [4, 4],
        [5, 4],
        [4, 4],
      ],
    });
    await createAnsweredRound(db(), {
      managerId: otto.id,
      leaderEmail,
      questions: agree,
      createdAt: '2026-11-03T09:00:00Z',
      answers: [
        [3, 5],
        [4, 5],
        [4, 5],
      ],
    });
    const listens = await createFocusPoint(db(), latest.id, { text: 'Zuerst zuhören', followUpOn: '2026-11-25' });
    const plans = await createFocusPoint(db(), latest.id, { text: 'Pläne früh teilen', followUpOn: '2026-11-27' });
    const checkBack = async (pointId: string, answers: AnswerSpec[], status: 'open' | 'closed') => {
      const spec = {
        managerId: mira.id,
        leaderEmail,
        questions: [{ kind: 'agree', prompt: 'Fortschritt', required: false } satisfies QuestionSpec],
        invitees: ['a', 'b', 'c', 'd'].map((n) => `${n}-${tag}@example.com`),
        createdAt: '2026-11-25T09:00:00Z',
      };
      await checkBackOfPoint(db(), spec, { roundId: latest.id, pointId }, answers, status);
    };
    await checkBack(listens.id, [5, 4, 4, 2], 'closed');
    await checkBack(plans.id, [4], 'open');

    const overview = await visit(leader, '/collect');
    const { text } = overview;
    assert.match(text, /Anfragen, die Sie sammeln/);
    assert.match(text, /Abgeschlossen, Bericht freigegeben/);
    assert.match(text, /3 von 5 haben geantwortet/);
    assert.match(text, /Seit der Runde, die am 15\. September 2026 endete/);
    assert.match(text, /Meine Führungskraft hört mir zu\. ▲ Gestiegen \(\+2,0\)/);
    assert.match(text, /Einzelgespräch Noch nicht geplant/);
    assert.match(text, /Schwerpunkte 2 offen, 0 erledigt/);
    assert.match(
      text,
      /Zuerst zuhören Nachfassen am 25\. November 2026 Nachfrage: 3,8 von 5, 75 % zustimmend \(4 Antworten\)/,
    );
    assert.match(
      text,
      /Pläne früh teilen Nachfassen am 27\. November 2026 Nachfrage offen bis \d+\. \p{L}+ 2026: 1 von 4 haben geantwortet/u,
    );
    assert.match(text, /Über 2 Teams: 6 von 10 haben geantwortet\./);
    assert.match(text, /Meine Führungskraft hört mir zu\. 4,0 von 5, über 2 Teams\./);
    assert.match(text, /Frühere Anfragen/);
    noEnglish([mira.display_name!, otto.display_name!, leaderUser.display_name!, 'Zuerst zuhören', 'Fortschritt'])(
      'the overview',
      text,
    );
  });
});
