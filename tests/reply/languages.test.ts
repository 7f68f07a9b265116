// Languages (issue 21) for the manager's reply, the check-back page and the emails the jobs
// send: a manager and a leader who read German get the reply page, its preview and its errors,
// the check-back page, the follow-up nudge, the next round's email and "How's that going?" in
// German, with none of the common English words left; French and Spanish readers get their
// key sentences; someone with no language of their own reads the other person's.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { csrfOf, textOf, type TestClient } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { createAnsweredRound, createFocusPoint, uniqueTag, type QuestionSpec } from '../helpers/factories.ts';
import { releasedRoundWithPoints } from '../helpers/check-backs.ts';
import { englishIn } from '../helpers/english.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { sendDueFollowUpNudges } from '../../src/jobs/follow-up-nudges.ts';
import { sendDueNextRoundEmails } from '../../src/jobs/next-round-emails.ts';
import { sendDueCheckIns } from '../../src/jobs/one-on-one-check-ins.ts';

const TODAY = '2027-01-12';

const GERMAN_QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'Meine Führungskraft hört mir zu.', required: true },
  { kind: 'agree', prompt: 'Meine Führungskraft setzt klare Ziele.', required: true },
  { kind: 'text', prompt: 'Was sollte sie beibehalten?', required: false },
];
const ANSWERS = [
  [5, 2, 'Die kurzen Treffen'],
  [5, 2, 'Die kurzen Treffen'],
  [4, 3, 'Die kurzen Treffen'],
];

describeEachDatabase(
  'the reply, the check-back page and the reminders’ emails in the reader’s language',
  (database) => {
    const clock = new ManualClock(`${TODAY}T09:00:00Z`);
    const { app, people } = useTestApp(database, { clock, people: true });
    const db = () => database().db;

    const names = () => [people().manager.display_name!, people().leader.display_name!];
    const speaks = async (who: 'leader' | 'manager', language: string | null, browser: string | null = 'en') =>
      db()
        .updateTable('users')
        .set({ language, browser_language: browser })
        .where('id', '=', people()[who].id)
        .execute();
    const as = async (who: 'leader' | 'manager') => (await signedInClient(app(), db(), people()[who])).client;
    const post = async (client: TestClient, path: string, fields: Record<string, string>) =>
      client.post(path, { _csrf: await csrfOf(client, '/account'), ...fields });
    const noEnglish = (text: string, what: string, more: string[] = []) =>
      assert.deepEqual(englishIn(text, [...names(), ...more]), [], `${what}: ${text}`);
    /** Only the round's own focus points are due: the earlier tests' are nudged already. */
    const onlyDue = (roundId: string) =>
      db().updateTable('focus_points').set({ nudged_at: clock.now() }).where('request_id', '!=', roundId).execute();
    const emails = (name: string) =>
      db()
        .selectFrom('email_outbox')
        .select(['to_address', 'subject', 'text', 'html'])
        .where('name', '=', name)
        .execute();

    /** A released round of this suite's people, asked in German, with a focus point. */
    async function germanRound() {
      const tag = uniqueTag();
      const round = await createAnsweredRound(db(), {
        managerId: people().manager.id,
        leaderEmail: people().leader.email,
        questions: GERMAN_QUESTIONS,
        answers: ANSWERS,
        invitees: ['a', 'b', 'c', 'd'].map((name) => `${name}-${tag}@example.com`),
        status: 'released',
      });
      await db().updateTable('feedback_requests').set({ survey_language: 'de' }).where('id', '=', round.id).execute();
      await createFocusPoint(db(), round.id, { text: 'Ziele mit jeder Person setzen', followUpOn: '2027-03-15' });
      return round.id;
    }

    it('writes the reply page, its errors, the preview and the sent reply in German', async () => {
      await speaks('manager', 'de');
      const id = await germanRound();
      const manager = await as('manager');

      const page = await manager.get(`/reports/${id}/reply`);
      assert.equal(page.status, 200);
      const text = textOf(page.html);
      assert.match(text, /Sagen Sie Ihrem Team, was Sie gehört haben/);
      assert.match(text, /Die Kennzahlen im Überblick mitschicken/);
      assert.match(text, /Bis zu 3\.000 Zeichen\./);
      assert.match(text, /Meine Führungskraft hört mir zu\. \(4,7 von 5, 100 % Zustimmung\)/);
      // The draft is written for the team, in the round's language: German here.
      assert.match(page.html, /Vielen Dank für Ihre Rückmeldungen\./);
      assert.match(page.html, /Ziele mit jeder Person setzen \(bis zum 15\. März 2027 schaue ich, wie es läuft\)/);
      noEnglish(text, 'the reply page');

      const refused = await post(manager, `/reports/${id}/reply/preview`, { heard: '', will_do: 'Ich höre zu.' });
      assert.equal(refused.status, 422);
      assert.match(textOf(refused.html), /Schreiben Sie, was Sie gehört haben, bevor Sie die Vorschau öffnen\./);
      noEnglish(textOf(refused.html), 'the errors');

      const fields = {
        heard: 'Ihr wünscht euch klare Ziele.',
        will_do: 'Ich setze sie mit euch.',
        include_figures: 'yes',
      };
      const preview = await post(manager, `/reports/${id}/reply/preview`, fields);
      assert.equal(preview.status, 200);
      const previewText = textOf(preview.html);
      assert.match(previewText, /Genau das werden alle 4 Teammitglieder lesen\./);
      assert.match(previewText, /An 4 Teammitglieder senden/);
      noEnglish(
        previewText,
        'the preview',
        GERMAN_QUESTIONS.map((q) => q.prompt),
      );

      const sent = await post(manager, `/reports/${id}/reply/send`, fields);
      assert.equal(sent.status, 303);
      const after = textOf((await manager.get(sent.location!)).html);
      assert.match(after, /Ihre Antwort ist auf dem Weg zum Team\./);
      assert.match(after, /Am 12\. Januar 2027 an 4 Teammitglieder gesendet\./);
      noEnglish(after, 'the sent reply');
    });

    it('writes the check-back page in German for the leader and the manager, in French and Spanish too', async () => {
      await speaks('leader', 'de');
      await speaks('manager', 'de');
      const round = await releasedRoundWithPoints(app(), db(), {
        points: ['Zeit für konzentrierte Arbeit schützen'],
        managerId: people().manager.id,
        leaderEmail: people().leader.email,
      });
      await db()
        .updateTable('feedback_requests')
        .set({ survey_language: 'de' })
        .where('id', '=', round.roundId)
        .execute();
      const path = `/reports/${round.roundId}/check-back`;

      const leaderPage = await (await as('leader')).get(path);
      assert.equal(leaderPage.status, 200);
      const leaderText = textOf(leaderPage.html);
      assert.match(leaderText, /Nachfrage im Team von Mira Manager/);
      assert.match(leaderText, /Was das Team gefragt wird/);
      assert.match(leaderText, /An 5 Teammitglieder senden, Ende am 19\. Januar 2027/);
      noEnglish(leaderText, "the leader's check-back page");

      const managerText = textOf((await (await as('manager')).get(path)).html);
      assert.match(managerText, /Leo Leader startet die Nachfrage; Sie sehen ihre Ergebnisse hier/);
      noEnglish(managerText, "the manager's check-back page");

      await speaks('leader', 'fr');
      assert.match(textOf((await (await as('leader')).get(path)).html), /Point d’étape avec l’équipe de Mira Manager/);
      await speaks('leader', 'es');
      assert.match(textOf((await (await as('leader')).get(path)).html), /Seguimiento con el equipo de Mira Manager/);
    });

    it('sends the follow-up nudge, the next round’s email and “How’s that going?” in each reader’s language', async () => {
      await db().deleteFrom('email_outbox').execute();
      // The leader reads German; the manager chose nothing and signed in from no browser language:
      // they read the leader's.
      await speaks('leader', 'de');
      await speaks('manager', null, null);
      const points = ['Zeit für konzentrierte Arbeit schützen', 'Den Plan früh teilen'];
      const round = await releasedRoundWithPoints(app(), db(), {
        points,
        managerId: people().manager.id,
        leaderEmail: people().leader.email,
      });
      const deps = { clock, config: app().config };
      await onlyDue(round.roundId);
      assert.equal(await sendDueFollowUpNudges(db(), deps), 2);
      const nudges = await emails('follow-up-nudge');
      assert.equal(nudges.length, 2);
      for (const email of nudges) {
        assert.equal(email.subject, 'Wie läuft es mit Ihren Schwerpunkten?');
        assert.match(email.text, /vereinbart, am 12\. Januar 2027 erneut auf Folgendes zu schauen/);
        assert.match(email.text, /Sie können auch beim Team nachfragen: eine kurze anonyme Umfrage/);
        for (const part of [email.subject, email.text, textOf(email.html)]) noEnglish(part, 'the nudge', points);
      }

      await db()
        .updateTable('feedback_requests')
        .set({ next_round_on: TODAY })
        .where('id', '=', round.roundId)
        .execute();
      assert.equal(await sendDueNextRoundEmails(db(), deps), 1);
      const [next] = await emails('next-round-due');
      assert.equal(next!.subject, 'Zeit für Ihre nächste Rückmelderunde');
      assert.match(next!.text, /wurde die nächste Runde für den 12\. Januar 2027 geplant/);
      for (const part of [next!.subject, next!.text, textOf(next!.html)]) noEnglish(part, 'the next round’s email');

      await db()
        .insertInto('one_on_ones')
        .values({
          request_id: round.roundId,
          starts_at: new Date('2027-01-10T10:00:00Z'),
          time_zone: 'UTC',
          minutes: 45,
          check_in_due_at: new Date('2027-01-12T08:00:00Z'),
          checked_in_at: null,
          cancelled_at: null,
          created_at: clock.now(),
          updated_at: clock.now(),
        })
        .execute();
      assert.equal(await sendDueCheckIns(db(), deps), 2);
      const checkIns = await emails('how-is-it-going');
      for (const email of checkIns) {
        assert.equal(email.subject, 'Wie läuft es?');
        assert.match(email.text, /Ein kurzes Gespräch mit (Leo Leader|Mira Manager) hält es jetzt in Bewegung\./);
        for (const part of [email.subject, email.text, textOf(email.html)])
          noEnglish(part, '“How’s that going?”', points);
      }
    });

    it('writes the next round’s email in French and the nudge in Spanish', async () => {
      await db().deleteFrom('email_outbox').execute();
      await speaks('leader', 'es');
      await speaks('manager', 'fr');
      const round = await releasedRoundWithPoints(app(), db(), {
        points: ['Escuchar más'],
        managerId: people().manager.id,
        leaderEmail: people().leader.email,
      });
      const deps = { clock, config: app().config };
      await onlyDue(round.roundId);
      await sendDueFollowUpNudges(db(), deps);
      const nudges = await emails('follow-up-nudge');
      const toLeader = nudges.find((email) => email.to_address === people().leader.email)!;
      const toManager = nudges.find((email) => email.to_address === people().manager.email)!;
      assert.equal(toLeader.subject, '¿Cómo van tus puntos de mejora?');
      assert.equal(toManager.subject, 'Où en êtes-vous de vos axes de progrès ?');

      await db()
        .updateTable('feedback_requests')
        .set({ next_round_on: TODAY })
        .where('id', '=', round.roundId)
        .execute();
      await sendDueNextRoundEmails(db(), deps);
      const [next] = await emails('next-round-due');
      assert.match(next!.text, /la prochaine campagne a été prévue pour le 12 janvier 2027/);
    });
  },
);
