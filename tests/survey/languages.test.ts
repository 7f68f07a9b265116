// Languages (issue 21): a round in German is German from end to end for its team (the leader
// picks the language before launch; the invitation, the reminder, the survey page with its
// errors, the thank-you page), with none of the common English words left; French and
// Spanish rounds say their key sentences; a manager starts in their own language, with the
// built-in template's questions in it; a signed-in person picks their language.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { createUser, leaderWithRequest, type QuestionSpec } from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { outbox, surveyPathsIn } from '../rounds/helpers.ts';
import { readCatalogue } from '../../src/i18n/catalogues.ts';
import { pressOnEdit } from '../requests/form-fields.ts';
import { releasedRoundWithPoints } from '../helpers/check-backs.ts';
import { launchCheckBack } from '../../src/check-back/actions.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';
import { englishIn, GERMAN_QUESTIONS } from '../helpers/english.ts';

describeEachDatabase('a round in the team’s language', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, { clock, env: { SESSION_IDLE_MINUTES: '10080', SESSION_MAX_HOURS: '720' } });

  /** A round the leader set to `language` and launched; its invitations' survey paths. */
  async function launchedIn(language: string, questions?: QuestionSpec[]) {
    clock.set('2026-11-02T09:00:00Z');
    const round = await leaderWithRequest(app(), db(), { closesAt: endOfDay('2026-11-16'), questions });
    const page = `/collect/${round.request.id}`;
    const saved = await round.leader.submit(page, {
      closes_on: '2026-11-16',
      team_note: '',
      survey_language: language,
    });
    assert.equal(saved.status, 303, 'the leader changes the survey language before launch');
    const launch = await round.leader.submit(`${page}/launch`, {});
    assert.equal(launch.location, `${page}?done=launched`);
    const invitations = (await outbox(db(), { name: 'invitation' })).filter((m) =>
      round.invitees.includes(m.to_address),
    );
    assert.equal(invitations.length, round.invitees.length);
    const names = [round.manager.display_name!, round.leaderUser.display_name!];
    return { ...round, invitations, names, path: surveyPathsIn(invitations[0]!.text)[0]! };
  }

  async function visit(client: TestClient, path: string) {
    const response = await client.get(path);
    return { ...response, text: textOf(response.html) };
  }

  it('speaks German to the team: invitation, reminder, survey page, its errors and the thank-you page', async () => {
    const round = await launchedIn('de', GERMAN_QUESTIONS);
    const { names } = round;
    const questions = GERMAN_QUESTIONS.map((q) => q.prompt);
    const check = (what: string, text: string) =>
      assert.deepEqual(englishIn(text, [...names, ...questions]), [], `English left in ${what}: ${text}`);

    const invitation = round.invitations[0]!;
    assert.equal(invitation.subject, `${names[0]} bittet um Ihre anonyme Rückmeldung`);
    // The closing moment on the leader's clock, in German (the leader here is on UTC).
    assert.match(invitation.text, /ist bis 16\. November 2026, 23:59 UTC offen/);
    assert.match(invitation.text, /Ihre E-Mail-Adresse wird \d+ Tage nach dem Ende der Runde gelöscht/);
    check('the invitation subject', invitation.subject);
    check('the invitation text', invitation.text);
    check('the invitation HTML', textOf(invitation.html));

    const anonymous = new TestClient(app().url);
    const survey = await visit(anonymous, round.path);
    assert.equal(survey.status, 200);
    assert.match(survey.html, /<html lang="de">/);
    assert.match(survey.text, new RegExp(`Rückmeldung zu ${names[0]}`));
    assert.match(survey.text, /3 Fragen · etwa 2 Minuten/);
    assert.match(survey.text, /Frage 1 von 3/);
    assert.match(survey.text, /Stimme voll und ganz zu/);
    assert.match(survey.text, /Trifft nicht zu/);
    assert.match(survey.text, /Antworten bis 16\. November 2026/);
    assert.match(survey.text, /Höchstens 5\.000 Zeichen/, 'numbers as German writes them');
    check('the survey page', survey.text);

    const wrong = await anonymous.post(round.path, { [`q-${round.questions[0]!.id}`]: '9' });
    assert.equal(wrong.status, 422);
    const wrongText = textOf(wrong.html);
    assert.match(wrongText, /Einige Antworten brauchen noch einen Blick/);
    assert.match(wrongText, /Frage 1: Wählen Sie eine der Antworten auf der Skala\./);
    check('the survey page with errors', wrongText);

    const sent = await anonymous.post(round.path, { [`q-${round.questions[0]!.id}`]: '4' });
    assert.equal(sent.status, 200);
    const thanks = textOf(sent.html);
    assert.match(thanks, /Danke, Ihre Antworten sind angekommen/);
    check('the thank-you page', thanks);
    const used = await visit(anonymous, round.path);
    assert.match(used.text, /Dieser Link wurde bereits verwendet/);
    check('the used link page', used.text);

    clock.set('2026-11-04T10:00:00Z');
    const reminded = await round.leader.submit(
      `/collect/${round.request.id}`,
      {},
      `/collect/${round.request.id}/remind`,
    );
    assert.equal(reminded.status, 303);
    const reminders = (await outbox(db(), { name: 'reminder' })).filter((m) => round.invitees.includes(m.to_address));
    assert.equal(reminders.length, round.invitees.length - 1);
    assert.equal(
      reminders[0]!.subject,
      `Erinnerung: Ihre Rückmeldung zu ${names[0]} ist bis 16. November 2026, 23:59 UTC möglich`,
    );
    check('the reminder text', reminders[0]!.text);
    check('the reminder HTML', textOf(reminders[0]!.html));
  });

  it('checks back in the round’s language: its questions, its invitation and its survey page', async () => {
    clock.set('2026-11-02T09:00:00Z');
    const points = ['Zeit für konzentrierte Arbeit schützen', 'Pläne früh teilen'];
    const round = await releasedRoundWithPoints(app(), db(), { points });
    await db()
      .updateTable('feedback_requests')
      .set({ survey_language: 'de' })
      .where('id', '=', round.roundId)
      .execute();
    const launched = await launchCheckBack(
      { db: db(), config: app().config, clock },
      { roundId: round.roundId, leaderEmail: round.leaderEmail },
      endOfDay('2026-11-20'),
    );
    assert.ok(launched.launched);
    const checkBack = await db()
      .selectFrom('feedback_requests')
      .select('survey_language')
      .where('id', '=', launched.checkBackId)
      .executeTakeFirstOrThrow();
    assert.equal(checkBack.survey_language, 'de');
    const prompts = (await questionsOf(db(), launched.checkBackId)).map((q) => q.prompt);
    assert.deepEqual(prompts, [
      `Seit dem 1. Oktober 2026 hat Morgan Manager Fortschritte gemacht bei: ${points[0]}`,
      `Seit dem 1. Oktober 2026 hat Morgan Manager Fortschritte gemacht bei: ${points[1]}`,
      'Möchten Sie noch etwas ergänzen?',
    ]);
    const leader = await db()
      .selectFrom('users')
      .select('display_name')
      .where('email', '=', round.leaderEmail)
      .executeTakeFirstOrThrow();
    const names = ['Morgan Manager', leader.display_name ?? round.leaderEmail, ...points];
    const [email] = (await outbox(db(), { name: 'check-back-invitation' })).filter((m) =>
      round.invitees.includes(m.to_address),
    );
    assert.equal(email!.subject, 'Gibt es Fortschritte bei Morgan Manager? Eine kurze anonyme Nachfrage');
    assert.deepEqual(englishIn(email!.text, names), [], email!.text);
    assert.deepEqual(englishIn(textOf(email!.html), names), []);
    const page = await visit(new TestClient(app().url), surveyPathsIn(email!.text)[0]!);
    assert.match(page.text, /Nachfrage zu Morgan Manager/);
    assert.deepEqual(englishIn(page.text, names), [], page.text);
  });

  it('asks in French and in Spanish, dates included', async () => {
    const french = await launchedIn('fr');
    assert.equal(french.invitations[0]!.subject, `${french.names[0]} vous demande un retour anonyme`);
    const fr = await visit(new TestClient(app().url), french.path);
    assert.match(fr.html, /<html lang="fr">/);
    assert.match(fr.text, new RegExp(`Retours sur ${french.names[0]}`));
    assert.match(fr.text, /Répondre avant le 16 novembre 2026/);
    assert.match(fr.text, /Tout à fait d’accord/);
    assert.match(fr.text, /Ce qui est enregistré, et qui voit quoi/);
    assert.match(fr.text, /Envoyer mes réponses/);

    // A link nobody knows has no round to take a language from: the browser's is used.
    const visitor = new TestClient(app().url);
    visitor.extraHeaders['accept-language'] = 'fr-CA,fr;q=0.9,en;q=0.8';
    const unknown = await visit(visitor, '/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /Nous ne reconnaissons pas ce lien/);

    const spanish = await launchedIn('es');
    assert.equal(spanish.invitations[0]!.subject, `${spanish.names[0]} te pide tu opinión anónima`);
    const es = await visit(new TestClient(app().url), spanish.path);
    assert.match(es.html, /<html lang="es">/);
    assert.match(es.text, new RegExp(`Opiniones sobre ${spanish.names[0]}`));
    assert.match(es.text, /Responder antes del 16 de noviembre de 2026/);
    assert.match(es.text, /Totalmente de acuerdo/);
    assert.match(es.text, /Qué se guarda y quién ve qué/);
    assert.match(es.text, /Enviar mis respuestas/);
  });

  it('starts a manager’s request in their browser’s language, with the built-in template’s questions in it', async () => {
    const user = await createUser(db(), { email: `manager-${Date.now()}@example.com`, name: 'Maren Manager' });
    const { client } = await signedInClient(app(), db(), user);
    client.extraHeaders['accept-language'] = 'de-DE,de;q=0.9,en;q=0.5';
    const pulse = await db().selectFrom('templates').select('id').where('slug', '=', 'pulse').executeTakeFirstOrThrow();
    const created = await client.submit('/requests/new', { template: pulse.id }, '/requests');
    const id = /^\/requests\/([0-9a-f-]{36})\/edit$/.exec(created.location ?? '')![1]!;
    const row = await db()
      .selectFrom('feedback_requests')
      .select('survey_language')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.survey_language, 'de');
    const questions = await db()
      .selectFrom('request_questions')
      .select(['prompt', 'choices'])
      .where('request_id', '=', id)
      .orderBy('position')
      .execute();
    assert.equal(questions[0]!.prompt, 'Ich bekomme von meiner Führungskraft die Unterstützung, die ich brauche.');
    assert.deepEqual(questions[2]!.choices, ['Jede Woche', 'Alle zwei Wochen', 'Jeden Monat', 'Seltener']);
    const edit = textOf((await client.get(`/requests/${id}/edit`)).html);
    // The form itself is in the manager's language now (issue 21), its language field included.
    assert.match(edit, /Sprache der Umfrage/);
    assert.doesNotMatch(edit, /Survey language/);

    // Switched to French: the template's questions follow, but not one the manager reworded.
    const own = 'Ich weiß, was von mir erwartet wird, meistens.';
    const saved = await pressOnEdit(client, id, 'save', { survey_language: 'fr', prompt_1: own });
    assert.equal(saved.status, 303);
    const after = await db()
      .selectFrom('request_questions')
      .select(['prompt', 'choices'])
      .where('request_id', '=', id)
      .orderBy('position')
      .execute();
    assert.equal(after[0]!.prompt, 'Je reçois de mon manager le soutien dont j’ai besoin.');
    assert.equal(after[1]!.prompt, own);
    assert.deepEqual(after[2]!.choices, ['Chaque semaine', 'Toutes les deux semaines', 'Chaque mois', 'Moins souvent']);
  });

  it('keeps the English catalogue’s template questions the same as the templates stored', async () => {
    const english = readCatalogue('en');
    const rows = await db()
      .selectFrom('template_questions')
      .innerJoin('templates', 'templates.id', 'template_questions.template_id')
      .select([
        'templates.slug',
        'template_questions.position',
        'template_questions.prompt',
        'template_questions.choices',
      ])
      .execute();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const key = `template.${row.slug}.questions.${row.position}`;
      assert.equal(english[key], row.prompt, key);
      row.choices.forEach((choice, n) => assert.equal(english[`${key}-choice-${n}`], choice, `${key}-choice-${n}`));
    }
  });

  it('signs a German browser in in German, and emails the link in the language the person chose', async () => {
    const visitor = new TestClient(app().url);
    visitor.extraHeaders['accept-language'] = 'de';
    const page = await visit(visitor, '/sign-in');
    assert.match(page.text, /Anmeldelink per E-Mail senden/);
    assert.deepEqual(englishIn(page.text, []), [], page.text);
    const address = `new-${Date.now()}@example.com`;
    const asked = await visitor.submit('/sign-in', { email: address });
    const check = await visit(visitor, asked.location!);
    assert.match(check.text, /Sehen Sie in Ihr Postfach/);
    assert.match(check.html, /<a href="\/sign-in">fordern Sie einen neuen an<\/a>/);
    const [email] = await outbox(db(), { to: address, name: 'sign-in-link' });
    assert.equal(email!.subject, 'Ihr Anmeldelink für Upward');
    assert.match(email!.text, /Der Link gilt \d+ Minuten/);
    assert.deepEqual(englishIn(email!.text, []), [], email!.text);
    assert.deepEqual(englishIn(textOf(email!.html), []), []);

    const chosen = await createUser(db(), { email: `chosen-${Date.now()}@example.com` });
    await db().updateTable('users').set({ language: 'es' }).where('id', '=', chosen.id).execute();
    await visitor.submit('/sign-in', { email: chosen.email });
    const [spanish] = await outbox(db(), { to: chosen.email, name: 'sign-in-link' });
    assert.equal(spanish!.subject, 'Tu enlace de inicio de sesión en Upward');
  });

  it('lets a signed-in person choose their language on the account page, and refuses one not shipped', async () => {
    const user = await createUser(db(), { email: `person-${Date.now()}@example.com`, name: 'Pia' });
    const { client } = await signedInClient(app(), db(), user);
    client.extraHeaders['accept-language'] = 'es';
    let account = await visit(client, '/account');
    assert.match(account.text, /Tu cuenta/, 'the browser’s language until one is chosen');
    assert.match(account.text, /El de tu navegador \(Español\)/);

    const refused = await client.submit('/account', { language: 'xx' }, '/account/language');
    assert.equal(refused.status, 422);
    assert.match(textOf(refused.html), /Elige uno de los idiomas de la lista\./);

    const saved = await client.submit('/account', { language: 'fr' }, '/account/language');
    assert.equal(saved.status, 303);
    account = await visit(client, saved.location!);
    assert.match(account.html, /<html lang="fr">/);
    assert.match(account.text, /Votre langue est enregistrée\./);
    assert.match(account.text, /Vos demandes/, 'the header too');
    const stored = await db()
      .selectFrom('users')
      .select('language')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.language, 'fr');
  });
});
