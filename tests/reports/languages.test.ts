// Languages (issue 21): the report and the one-on-one speak their reader's language. A German
// leader and a German manager read a released report with a self-assessment, a trend across
// two rounds, focus points and a check-back's result; the status, release and next-round
// pages; the one-on-one page with its errors; the report-released email and the one-on-one's
// invitation and cancellation with their calendar text, none with the common English words
// left. French and Spanish readers get their key sentences; each person's email is in their
// own language.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf, type TestClient } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { addResponse, addSelfAnswer, createAnsweredRound, SAMPLE_QUESTIONS, uniqueTag } from '../helpers/factories.ts';
import { outbox } from '../rounds/helpers.ts';
import { englishIn } from '../helpers/english.ts';
import { launchCheckBack } from '../../src/check-back/actions.ts';
import { closeRound } from '../../src/rounds/close-round.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';

const POINT = 'Jede Woche eine Stunde ohne Besprechungen';
/** What the page shows as it was written: the people's names, the questions, the team's words. */
const WRITTEN = [
  'Mira Manager',
  'Leo Leader',
  ...SAMPLE_QUESTIONS.flatMap((q) => [q.prompt, ...(q.choices ?? [])]),
  'Keep the weekly check-ins',
  'More focus time',
  'Clearer goals',
  POINT,
  'Raum 4',
];

describeEachDatabase('the report and the one-on-one in their reader’s language', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { app, people, leader, manager } = useTestApp(database, {
    clock,
    signIn: ['leader', 'manager'],
    env: { SESSION_IDLE_MINUTES: '10080', SESSION_MAX_HOURS: '720' },
  });

  const speak = (email: string, language: string) =>
    db().updateTable('users').set({ language }).where('email', '=', email).execute();
  const check = (what: string, text: string) =>
    assert.deepEqual(englishIn(text, WRITTEN), [], `English left in ${what}: ${text}`);
  async function read(client: TestClient, path: string, status = 200) {
    const page = await client.get(path);
    assert.equal(page.status, status, `${path} answers ${status}, not ${page.location}`);
    return textOf(page.html);
  }

  /** An earlier released round (the trend), and this one, closed, with the manager's self-assessment. */
  async function closedRound() {
    const { manager: m, leader: l } = people();
    const at = { managerId: m.id, leaderEmail: l.email };
    await createAnsweredRound(db(), {
      ...at,
      createdAt: '2026-03-01T09:00:00Z',
      status: 'released',
      answers: [[3], [3], [3]],
    });
    const invitees = Array.from({ length: 5 }, (_, i) => `member-${uniqueTag()}-${i}@example.com`);
    const round = await createAnsweredRound(db(), { ...at, createdAt: '2026-11-02T09:00:00Z', invitees });
    // The manager rated the first statement 5, the team 4.0: a blind spot.
    await addSelfAnswer(db(), round.id, round.questionIds[0]!, 5);
    return round;
  }

  it('speaks German to a German leader and manager: report, pages, errors, emails and the calendar', async () => {
    clock.set('2026-12-01T09:00:00Z');
    const { manager: m, leader: l } = people();
    await speak(m.email, 'de');
    await speak(l.email, 'de');
    const round = await closedRound();
    const report = `/reports/${round.id}`;

    // A round still open: the status page, for both.
    const open = await createAnsweredRound(db(), {
      managerId: m.id,
      leaderEmail: l.email,
      createdAt: '2026-11-28T09:00:00Z',
      status: 'open',
    });
    const leaderStatus = await read(leader(), `/reports/${open.id}`);
    assert.match(leaderStatus, /Rückmeldung zu Mira Manager/);
    assert.match(leaderStatus, /von 5 haben bisher geantwortet/);
    assert.match(leaderStatus, /Die Runde ist noch bis \d+\. \p{L}+ 2026 offen\./u);
    check('the leader’s status page', leaderStatus);
    const managerStatus = await read(manager(), `/reports/${open.id}`);
    assert.match(
      managerStatus,
      /Ihre Runde ist noch bis .* offen\. Sobald sie endet, liest Leo Leader den Bericht zuerst/,
    );
    check('the manager’s status page', managerStatus);

    // The report before the release, to the leader: the trend, the self-assessment, a German mean.
    const before = await leader().get(report);
    const beforeText = textOf(before.html);
    assert.match(beforeText, /Nur Sie können diesen Bericht sehen\./);
    assert.match(beforeText, /Eingeholt von Leo Leader · beendet am 16\. November 2026/);
    assert.match(beforeText, /4,0 von 5/);
    assert.match(beforeText, /\+1,0 seit 15\. März 2026/);
    assert.match(beforeText, /Blinde Flecken/);
    assert.match(
      before.html,
      /aria-label="Mittelwert je Runde: 15\. März 2026 3,0, 16\. November 2026 4,0 \(diese Runde\)\."/,
    );
    assert.match(before.html, /aria-label="Ablehnung 1 \(20 %\), Neutral 0 \(0 %\), Zustimmung 4 \(80 %\)\."/);
    assert.match(before.html, /aria-label="Antworten je Option: Stimme überhaupt nicht zu 0, Stimme nicht zu 1,/);
    check('the report before the release', beforeText);
    check('the report’s labels', [...before.html.matchAll(/aria-label="([^"]*)"/g)].map((x) => x[1]).join(' '));

    // A focus point with a mistake, then as agreed.
    const empty = await leader().submit(report, { text: '', follow_up_on: '' }, `${report}/focus-points`);
    assert.equal(empty.status, 422);
    const emptyText = textOf(empty.html);
    assert.match(emptyText, /Beschreiben Sie das Vorhaben\./);
    assert.match(emptyText, /Wählen Sie einen Nachverfolgungstermin, zum Beispiel 2027-03-01\./);
    check('the focus point’s errors', emptyText);
    const added = await leader().submit(report, { text: POINT, follow_up_on: '2026-12-02' }, `${report}/focus-points`);
    assert.equal(added.status, 303);
    assert.match(await read(leader(), added.location!), /Das Vorhaben ist hinzugefügt\./);

    // The release page, and the manager's email.
    const releasePage = await read(leader(), `${report}/release`);
    assert.match(releasePage, /Den Bericht für Mira Manager freigeben\?/);
    assert.match(releasePage, /Ein freigegebener Bericht kann nicht zurückgenommen werden\./);
    check('the release page', releasePage);
    const tooLate = await leader().submit(`${report}/release`, { next_round_on: '2031-01-01' });
    assert.equal(tooLate.status, 422);
    assert.match(textOf(tooLate.html), /Wählen Sie ein Datum innerhalb von 2 Jahren ab heute\./);
    const released = await leader().submit(`${report}/release`, { next_round_on: '2027-06-01' });
    assert.equal(released.status, 303);
    const [releasedEmail] = await outbox(db(), { name: 'report-released', to: m.email });
    assert.equal(releasedEmail!.subject, 'Leo Leader hat Ihren Bericht zur Rückmeldung freigegeben');
    assert.match(releasedEmail!.text, /Er zeigt nur die zusammengefassten Antworten/);
    for (const part of [releasedEmail!.subject, releasedEmail!.text, textOf(releasedEmail!.html)])
      check('the report-released email', part);

    // A check-back on the focus point, answered and closed.
    clock.set('2026-12-03T09:00:00Z');
    const deps = { db: db(), config: app().config, clock };
    const launched = await launchCheckBack(deps, { roundId: round.id, leaderEmail: l.email }, endOfDay('2026-12-06'));
    assert.ok(launched.launched);
    const questions = await questionsOf(db(), launched.checkBackId);
    for (const rating of [4, 5, 4])
      await addResponse(
        db(),
        launched.checkBackId,
        questions.map((q) => q.id),
        [rating],
      );
    clock.set('2026-12-07T09:00:00Z'); // within the sessions' seven idle days
    assert.equal(await closeRound(db(), launched.checkBackId, { clock, config: app().config }), true);

    for (const [who, client] of [
      ['manager', manager()],
      ['leader', leader()],
    ] as const) {
      const text = await read(client, report);
      assert.match(text, /Vorhaben/);
      assert.match(text, /Nachfrage, beendet am .* \(3 von 5 haben geantwortet\):/);
      assert.match(text, /100 % positiv · 3 Antworten/);
      assert.match(text, /Geplant für den 1\. Juni 2027 ?\./);
      if (who === 'manager') {
        assert.match(text, /Sie und Ihr Team/);
        assert.match(text, /Notizen von Leo Leader|Später erneut fragen/);
      } else assert.match(text, /Mira Manager und das Team/);
      check(`the released report to the ${who}`, text);
    }

    // The next-round page, for the manager.
    const nextRound = await read(manager(), `${report}/next-round`);
    assert.match(nextRound, /Ihre Folgerunde starten/);
    assert.match(
      nextRound,
      /Ihre letzte Runde endete am 16\. November 2026, und Sie und Leo Leader haben die nächste für den 1\. Juni 2027 geplant\./,
    );
    check('the next-round page', nextRound);

    // The one-on-one: the page with its agenda, a mistake, the invitation, the cancellation.
    const oneOnOne = `${report}/one-on-one`;
    const page = await read(leader(), oneOnOne);
    assert.match(page, /Einzelgespräch mit Mira Manager/);
    assert.match(page, /Wie geht es Ihnen\?/);
    assert.match(page, /Blinde Flecken Mira Manager hat diese deutlich höher bewertet als das Team:/);
    check('the one-on-one page', page);
    const wrong = await leader().submit(
      oneOnOne,
      { day: '2026-12-01', time: '25:00', minutes: '5', time_zone: 'UTC', place: '' },
      `${oneOnOne}/meeting`,
    );
    assert.equal(wrong.status, 422);
    const wrongText = textOf(wrong.html);
    assert.match(wrongText, /Wählen Sie die Uhrzeit im 24-Stunden-Format, zum Beispiel 09:30\./);
    assert.match(wrongText, /Planen Sie mindestens 15 Minuten ein\./);
    check('the one-on-one’s errors', wrongText);
    const meeting = { day: '2026-12-15', time: '10:00', minutes: '30', time_zone: 'Europe/Berlin', place: 'Raum 4' };
    const planned = await leader().submit(oneOnOne, meeting, `${oneOnOne}/meeting`);
    assert.equal(planned.status, 303);
    const plannedPage = await read(leader(), planned.location!);
    assert.match(plannedPage, /Das Einzelgespräch ist geplant\./);
    assert.match(plannedPage, /Dienstag, 15\. Dezember 2026, 10:00–10:30 \(Zeitzone Europe\/Berlin\)/);
    check('the planned one-on-one', plannedPage);

    const invitations = await outbox(db(), { name: 'one-on-one-invitation' });
    assert.equal(invitations.length, 2, 'to both');
    for (const email of invitations) {
      assert.equal(email.subject, 'Einzelgespräch: Rückmeldung zu Mira Manager');
      assert.match(email.text, /Wann: Dienstag, 15\. Dezember 2026, 10:00–10:30 \(Zeitzone Europe\/Berlin\)/);
      assert.match(email.text, /Dauer: 30 Minuten/);
      for (const part of [email.subject, email.text, textOf(email.html)]) check('the one-on-one invitation', part);
      const calendar = email.calendar!.replace(/\r\n[ \t]/g, '');
      assert.match(calendar, /SUMMARY:Einzelgespräch: Rückmeldung zu Mira Manager/);
      assert.match(calendar, /DESCRIPTION:Leo Leader und Mira Manager sprechen über die Rückmelderunde/);
      const words = calendar.split(/\r\n/).filter((line) => /^(SUMMARY|DESCRIPTION)/.test(line));
      check('the calendar text', words.join(' ').replace(/^\w+:/gm, ''));
    }

    const cancelPage = await read(leader(), `${oneOnOne}/cancel`);
    assert.match(cancelPage, /Das Einzelgespräch mit Mira Manager absagen\?/);
    check('the cancel page', cancelPage);
    const cancelled = await leader().submit(`${oneOnOne}/cancel`, {});
    assert.equal(cancelled.status, 303);
    const cancellations = await outbox(db(), { name: 'one-on-one-cancelled' });
    assert.equal(cancellations.length, 2);
    for (const email of cancellations) {
      assert.equal(email.subject, 'Abgesagt: Einzelgespräch: Rückmeldung zu Mira Manager');
      assert.match(email.text, /Die angehängte Absage entfernt es aus Ihrem Kalender\./);
      for (const part of [email.subject, email.text, textOf(email.html)]) check('the cancellation', part);
    }
  });

  it('gives French and Spanish readers their sentences, and each person their own language by email', async () => {
    clock.set('2026-12-01T09:00:00Z');
    const { manager: m, leader: l } = people();
    await speak(l.email, 'fr');
    await speak(m.email, 'es');
    await db().deleteFrom('email_outbox').execute();
    const round = await closedRound();
    const report = `/reports/${round.id}`;
    const french = await read(leader(), report);
    assert.match(french, /Vous êtes la seule personne à pouvoir voir ce rapport\./);
    assert.match(french, /Retours sur Mira Manager/);
    assert.match(await read(leader(), `${report}/release`), /Partager le rapport avec Mira Manager \?/);

    // Released by the French leader: the Spanish manager reads Spanish.
    assert.equal((await leader().submit(`${report}/release`, { next_round_on: '' })).status, 303);
    const [email] = await outbox(db(), { name: 'report-released', to: m.email });
    assert.equal(email!.subject, 'Leo Leader ha compartido tu informe de opiniones');
    assert.match(await read(manager(), report), /Opiniones sobre Mira Manager/);

    // The meeting: the leader's invitation in French, the manager's in Spanish.
    const oneOnOne = `${report}/one-on-one`;
    const meeting = { day: '2026-12-15', time: '10:00', minutes: '30', time_zone: 'UTC', place: 'Raum 4' };
    assert.equal((await leader().submit(oneOnOne, meeting, `${oneOnOne}/meeting`)).status, 303);
    const [toLeader] = await outbox(db(), { name: 'one-on-one-invitation', to: l.email });
    const [toManager] = await outbox(db(), { name: 'one-on-one-invitation', to: m.email });
    assert.equal(toLeader!.subject, 'Entretien individuel : retours sur Mira Manager');
    assert.match(toLeader!.text, /Quand\u00a0: mardi 15 décembre 2026, 10:00–10:30 \(UTC\)/);
    assert.equal(toManager!.subject, 'Reunión individual: opiniones sobre Mira Manager');
    assert.match(
      toManager!.calendar!.replace(/\r\n[ \t]/g, ''),
      /SUMMARY:Reunión individual: opiniones sobre Mira Manager/,
    );
  });
});
