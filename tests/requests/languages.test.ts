// Languages (issue 21): a manager who chose German reads their request pages in German from
// end to end (the list, "Ask for feedback", the edit page with its errors, the request, the
// draft's delete page, the self-assessment and its answers, the start page, a 404), with
// none of the common English words left; so does the leader emailed about the request, and
// the manager invited to assess themself. A French and a Spanish browser get their key
// sentences on the home page and the error page.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, csrfTokenIn, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { closeAnsweredRound, createAnsweredRound, createOpenRound, createRequest } from '../helpers/factories.ts';
import { outbox } from '../rounds/helpers.ts';
import { pressOnEdit } from './form-fields.ts';
import { englishIn, GERMAN_QUESTIONS } from '../helpers/english.ts';
import { queueEmail } from '../../src/email/outbox.ts';

const QUESTION_TEXTS = GERMAN_QUESTIONS.flatMap((q) => [q.prompt, ...(q.choices ?? [])]);
const NAMES = ['Mira Manager', 'Leo Leader', 'Sam Stranger', ...QUESTION_TEXTS];
const TEAM = ['anna@example.com', 'ben@example.com', 'cem@example.com'];

describeEachDatabase('the manager’s pages and emails in their language', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-03T09:00:00Z');
  const { app, people, manager } = useTestApp(database, { clock, signIn: ['manager'] });

  async function speaksGerman() {
    await db().updateTable('users').set({ language: 'de' }).where('id', '=', people().manager.id).execute();
  }

  async function visit(client: TestClient, path: string, status = 200) {
    const page = await client.get(path);
    assert.equal(page.status, status, `${path} answers ${status}`);
    return textOf(page.html);
  }

  const noEnglish = (what: string, text: string) =>
    assert.deepEqual(englishIn(text, NAMES), [], `English left in ${what}: ${text}`);

  const draft = () =>
    createRequest(db(), {
      managerId: people().manager.id,
      leaderEmail: '',
      status: 'draft',
      questions: GERMAN_QUESTIONS,
      invitees: TEAM,
    });

  it('shows the list of requests, "Ask for feedback", the request and the delete page in German', async () => {
    await speaksGerman();
    const empty = await visit(manager(), '/requests');
    assert.match(empty, /Sie haben noch um keine Rückmeldung gebeten/);
    noEnglish('the empty list', empty);

    const { request: unsent } = await draft();
    const { request: waiting } = await createRequest(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions: GERMAN_QUESTIONS,
    });
    await createAnsweredRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      status: 'released',
    });
    const list = await visit(manager(), '/requests');
    assert.match(list, /Ihre Anfragen/);
    assert.match(list, /Entwurf: noch nicht gesendet/);
    assert.match(list, /Wartet auf Leo Leader/);
    assert.match(list, /Rückmeldungen, gesammelt von Leo Leader/);
    assert.match(list, /Begonnen 2\. November 2026/);
    assert.match(list, /Bericht lesen/);
    noEnglish('the list', list);

    const ask = await visit(manager(), '/requests/new');
    assert.match(ask, /Umfrage als Ausgangspunkt/);
    assert.match(ask, /Leer beginnen/);
    assert.match(ask, /Pulse Vier kurze Fragen|\d+ Fragen\./);
    noEnglish('"Ask for feedback"', ask);
    const refused = await manager().submit('/requests/new', { template: 'none' }, '/requests');
    assert.equal(refused.status, 422);
    assert.match(textOf(refused.html), /Wählen Sie eine Vorlage oder beginnen Sie leer\./);

    const shown = await visit(manager(), `/requests/${waiting.id}`);
    assert.match(shown, /Stand: Wartet auf leader-/);
    assert.match(shown, /Eingeladene Teammitglieder/);
    assert.match(shown, /5 Personen\. Nur Sie und Ihre Führungskraft sehen diese Liste/);
    assert.match(shown, /Zustimmungsskala · Antwort erforderlich/);
    noEnglish('the request', shown);

    const deleting = await visit(manager(), `/requests/${unsent.id}/delete`);
    assert.match(deleting, /Diesen Entwurf löschen\?/);
    assert.match(deleting, /Niemandem wurde etwas gesendet/);
    noEnglish('the delete page', deleting);
    const deleted = await manager().follow(await manager().submit(`/requests/${unsent.id}/delete`, {}));
    assert.match(textOf(deleted.html), /Der Entwurf ist gelöscht\./);
  });

  it('edits a draft in German, with its errors beside the fields and in the summary', async () => {
    await speaksGerman();
    const { request } = await draft();
    const edit = await visit(manager(), `/requests/${request.id}/edit`);
    assert.match(edit, /Anfrage bearbeiten/);
    assert.match(edit, /E-Mail-Adresse Ihrer Führungskraft/);
    assert.match(edit, /Mindestens 3 Personen, damit niemand erkennen kann, wer was gesagt hat/);
    assert.match(edit, /Frage hinzufügen/);
    noEnglish('the edit page', edit);

    const wrong = await pressOnEdit(manager(), request.id, 'submit', {
      leader_email: '',
      invitees: 'anna@example.com\nkein-name',
      closes_on: '2027-03-01',
      prompt_1: '',
    });
    assert.equal(wrong.status, 422);
    const errors = textOf(wrong.html);
    assert.match(errors, /Bitte korrigieren Sie diese Angaben und versuchen Sie es erneut/);
    assert.match(errors, /Zeile 2: „kein-name“ ist keine E-Mail-Adresse\./);
    assert.match(errors, /Wählen Sie ein Datum höchstens 60 Tage im Voraus/);
    assert.match(errors, /Schreiben Sie die Frage oder entfernen Sie sie\./);
    assert.match(errors, /muss korrigiert werden/);
    noEnglish('the edit page with errors', errors.replace('kein-name', ''));

    const few = await pressOnEdit(manager(), request.id, 'submit', { invitees: 'anna@example.com' });
    assert.match(textOf(few.html), /Laden Sie mindestens 3 Personen ein \(Sie haben 1 angegeben\)/);
  });

  it('emails the leader about the request in the manager’s language when the leader has none', async () => {
    await speaksGerman();
    const { request } = await draft();
    const leaderEmail = `new-leader-${Date.now()}@example.com`;
    const sent = await pressOnEdit(manager(), request.id, 'submit', {
      leader_email: leaderEmail,
      closes_on: '2026-11-20',
    });
    assert.equal(sent.status, 303);
    const shown = await visit(manager(), sent.location!);
    assert.match(shown, /Ihre Anfrage ist unterwegs zu/);

    const [email] = await outbox(db(), { to: leaderEmail, name: 'request-received' });
    assert.ok(email, 'the leader is emailed');
    assert.equal(email.subject, 'Mira Manager bittet Sie, Rückmeldungen aus dem eigenen Team zu sammeln');
    assert.match(email.text, /möchte anonyme Rückmeldungen von 3 Personen im eigenen Team/);
    assert.match(email.text, /Die Umfrage wäre bis 20\. November 2026, 23:59 UTC offen/);
    noEnglish('the request-received subject', email.subject);
    noEnglish('the request-received text', email.text);
    noEnglish('the request-received HTML', textOf(email.html));
  });

  it('emails the self-assessment invitation in the language it is given', async () => {
    const to = people().manager.email;
    const link = '/requests/00000000-0000-4000-8000-000000000000/self-assessment';
    const data = { managerName: 'Mira Manager', leaderName: 'Leo Leader', closesOn: '16. November 2026', link };
    await queueEmail(db(), { to, name: 'self-assessment-invitation', data: { ...data, locale: 'de' } }, app());
    const [email] = (await outbox(db(), { to, name: 'self-assessment-invitation' })).reverse();
    assert.ok(email);
    assert.equal(email.subject, 'Schätzen Sie sich selbst ein, mit den Fragen, die Ihr Team beantwortet');
    assert.match(email.text, /Hallo Mira Manager, während Ihr Team antwortet/);
    assert.match(textOf(email.html), /Sie sind nicht anonym: Leo Leader sieht sie nach dem Ende der Runde\./);
    noEnglish('the self-assessment invitation subject', email.subject);
    noEnglish('the self-assessment invitation text', email.text);
    noEnglish('the self-assessment invitation HTML', textOf(email.html));

    const spanish = { to: `es-${to}`, name: 'self-assessment-invitation' as const, data: { ...data, locale: 'es' } };
    await queueEmail(db(), spanish, app());
    const [es] = await outbox(db(), { to: spanish.to });
    assert.equal(es!.subject, 'Evalúate con las preguntas que está respondiendo tu equipo');
  });

  it('shows the self-assessment, its errors and the answers after the round in German', async () => {
    await speaksGerman();
    const round = await createOpenRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions: GERMAN_QUESTIONS,
    });
    const path = `/requests/${round.request.id}/self-assessment`;
    const form = await manager().get(path);
    const page = textOf(form.html);
    assert.match(page, /Schätzen Sie sich selbst ein/);
    assert.match(page, /Ihre Antworten sind nicht anonym/);
    assert.match(page, /Nur Sie und Leo Leader lesen ihn\. Bis zu 5\.000 Zeichen\./);
    noEnglish('the self-assessment', page);

    const agree = `q-${round.questions[0]!.id}`;
    const refused = await manager().post(path, { _csrf: csrfTokenIn(form.html), [agree]: '9' });
    assert.equal(refused.status, 422);
    const errors = textOf(refused.html);
    assert.match(errors, /Einige Antworten brauchen einen zweiten Blick/);
    noEnglish('the self-assessment with errors', errors);

    const saved = await manager().post(path, { _csrf: csrfTokenIn(form.html), [agree]: '4' });
    assert.equal(saved.status, 303);
    const card = await visit(manager(), saved.location!);
    assert.match(card, /Ihre Selbsteinschätzung ist gespeichert/);
    noEnglish('the request with the self-assessment card', card);

    await closeAnsweredRound(db(), round.request.id, { status: 'closed' });
    const answers = await visit(manager(), path);
    assert.match(answers, /Ihre Antworten über sich selbst/);
    assert.match(answers, /Stimme zu/);
    assert.match(answers, /Nicht beantwortet/);
    noEnglish('the self-assessment answers', answers);
  });

  it('greets a German speaker at home and tells them, in German, that a page is not there', async () => {
    await speaksGerman();
    const start = await visit(manager(), '/');
    assert.match(start, /Hallo, Mira Manager/);
    assert.match(start, /Rückmeldungen über Sie/);
    noEnglish('the start page', start);

    const missing = await visit(manager(), '/requests/00000000-0000-4000-8000-000000000000', 404);
    assert.match(missing, /Fehler 404/);
    assert.match(missing, /Seite nicht gefunden/);
    assert.match(missing, /Unter dieser Adresse gibt es nichts/);
    noEnglish('the 404 page', missing);

    const visitor = new TestClient(app().url);
    visitor.extraHeaders['accept-language'] = 'de-DE,de;q=0.9';
    const home = await visit(visitor, '/');
    assert.match(home, /Ehrliche Rückmeldungen für Führungskräfte/);
    assert.match(home, /Wie die Anonymität geschützt wird/);
    noEnglish('the home page', home);
    noEnglish('the 404 page for a visitor', await visit(visitor, '/nirgends', 404));

    const cut = await visit(visitor, '/sign-in/link/abc', 400);
    assert.match(cut, /Dieser Anmeldelink ist unvollständig/);
    noEnglish('a broken sign-in link', cut);
    const signedOut = await visit(visitor, '/signed-out?everywhere=1');
    assert.match(signedOut, /Alle Ihre Sitzungen auf allen Geräten wurden beendet\./);
    noEnglish('the signed-out page', signedOut);
    const welcome = await visit(manager(), '/welcome');
    assert.match(welcome, /Wie sollen wir Sie nennen\?/);
    noEnglish('the welcome page', welcome);
    const unnamed = await manager().submit('/welcome', { name: '' });
    assert.equal(unnamed.status, 422);
    assert.match(textOf(unnamed.html), /Geben Sie Ihren Namen ein\./);
  });

  it('says its key sentences to a French and a Spanish browser', async () => {
    const french = new TestClient(app().url);
    french.extraHeaders['accept-language'] = 'fr-FR,fr;q=0.9';
    assert.match(await visit(french, '/'), /Comment l’anonymat est protégé/);
    assert.match(await visit(french, '/nulle-part', 404), /Erreur 404 Page introuvable/);

    const spanish = new TestClient(app().url);
    spanish.extraHeaders['accept-language'] = 'es-ES,es;q=0.9';
    assert.match(await visit(spanish, '/'), /Cómo se protege el anonimato/);
    assert.match(await visit(spanish, '/ninguna-parte', 404), /Página no encontrada/);
  });
});
