// The report renders the figures part of a closed round once per process and reads its
// figures once; everything that can change after close is read fresh on every view: hidden
// comments, notes, the release, focus points, and which earlier round it is compared with.
// The whole page is kept by what went into it (src/reports/rendered-pages.ts), so each of
// these tests views the page before the change and again after it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { csrfTokenIn, textOf, csrfOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { FIGURES_MARK } from '../../src/reports/page.ts';
import { commentIds, createAnsweredRound, createUser, type RoundSpec } from '../helpers/factories.ts';

/** The figures questions' sections of a report page, as HTML. */
function figureSections(html: string): string[] {
  return [...html.matchAll(/<section class="question-report"[\s\S]*?<\/section>/g)]
    .map((m) => m[0])
    .filter((s) => s.includes('question-figures') || s.includes('people answered, so no figures'));
}

describeEachDatabase('report parts kept per round', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { app, people, leader, manager } = useTestApp(database, { clock, signIn: ['leader', 'manager'] });

  const round = (spec: Partial<RoundSpec> = {}) =>
    createAnsweredRound(db(), { managerId: people().manager.id, leaderEmail: people().leader.email, ...spec });

  it('shows the leader and the manager the same figures, on every view', async () => {
    const { id } = await round({ status: 'released' });
    const page = await leader().get(`/reports/${id}`);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('content-length'), String(Buffer.byteLength(page.html)));
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const first = figureSections(page.html);
    assert.equal(first.length, 3, 'two statements and the choice question');
    assert.match(first[0]!, /<span class="question-number">1\.<\/span> My manager listens to me\./);
    assert.match(first[1]!, /Not enough answers/);
    assert.deepEqual(figureSections((await leader().get(`/reports/${id}`)).html), first);
    assert.deepEqual(figureSections((await manager().get(`/reports/${id}`)).html), first);
  });

  it('a comment that spells out where a figures section goes is shown as text, and the figures still come', async () => {
    const { id } = await round({
      answers: [
        [5, 5, 0, FIGURES_MARK],
        [4, 4, 1, FIGURES_MARK],
        [4, 4, 0, 'Fine'],
        [4, 4, 0, undefined],
      ],
    });
    const page = await leader().get(`/reports/${id}`);
    assert.equal(page.status, 200);
    assert.equal(page.html.includes(FIGURES_MARK), false, 'no mark is left in the page');
    assert.equal(
      page.html.split(FIGURES_MARK.replace('<', '&lt;').replace('>', '&gt;')).length - 1,
      2,
      'both comments, escaped',
    );
    assert.equal(figureSections(page.html).length, 3);
    assert.match(textOf(page.html), /1\. My manager listens to me\. 4\.3 out of 5 4 answers/);
  });

  it('hiding and showing a comment shows at once, to the leader and to the manager', async () => {
    const { id } = await round({ status: 'released' });
    // Both have seen the page, so whatever is kept for this round is in memory.
    assert.match((await leader().get(`/reports/${id}`)).html, /More focus time/);
    assert.match((await manager().get(`/reports/${id}`)).html, /More focus time/);
    const comment = (await commentIds(db(), id)).find((c) => c.text === 'More focus time')!;

    const hidden = await leader().follow(
      await leader().post(`/reports/${id}/comments/${comment.id}/hide`, { _csrf: await csrfOf(leader(), '/account') }),
    );
    assert.match(textOf(hidden.html), /More focus time Hidden from Mira Manager Show comment \d of question 4 again/);
    assert.match(textOf(hidden.html), /1 comment is hidden from Mira Manager/);
    const managerAfterHide = await manager().get(`/reports/${id}`);
    assert.doesNotMatch(managerAfterHide.html, /More focus time/);
    assert.match(textOf(managerAfterHide.html), /Leo Leader hid 1 comment/);

    const shown = await leader().follow(
      await leader().post(`/reports/${id}/comments/${comment.id}/unhide`, {
        _csrf: await csrfOf(leader(), '/account'),
      }),
    );
    assert.match(textOf(shown.html), /The comment is shown again/);
    assert.doesNotMatch(textOf(shown.html), /Hidden from Mira Manager|comment is hidden/);
    const managerAfterShow = await manager().get(`/reports/${id}`);
    assert.match(managerAfterShow.html, /More focus time/);
    assert.doesNotMatch(textOf(managerAfterShow.html), /hid 1 comment/);
  });

  it('notes, the release and focus points show at once', async () => {
    const { id } = await round({ status: 'closed' });
    assert.doesNotMatch((await leader().get(`/reports/${id}`)).html, /Ask about focus time/);
    await leader().post(`/reports/${id}/notes`, {
      _csrf: await csrfOf(leader(), '/account'),
      notes: 'Ask about focus time.',
    });
    assert.match((await leader().get(`/reports/${id}`)).html, /Ask about focus time/);
    assert.equal(
      (await manager().get(`/reports/${id}`)).html.includes('Ask about focus time'),
      false,
      'not before the release',
    );

    await leader().submit(`/reports/${id}/release`, {});
    const released = await manager().get(`/reports/${id}`);
    assert.match(textOf(released.html), /Notes from Leo Leader Ask about focus time\./);
    assert.match(textOf(released.html), /Focus points/);

    await manager().post(`/reports/${id}/focus-points`, {
      _csrf: await csrfOf(manager(), '/account'),
      text: 'Protect focus time',
      follow_up_on: '2027-01-10',
    });
    assert.match(
      textOf((await leader().get(`/reports/${id}`)).html),
      /Protect focus time Follow up on 10 January 2027/,
    );
  });

  it('compares with an earlier round released after the first view', async () => {
    // A manager of their own, so no other test's rounds count as "previous".
    const managerId = (await createUser(db())).id;
    const own = (spec: Partial<RoundSpec>) =>
      createAnsweredRound(db(), { managerId, leaderEmail: people().leader.email, ...spec });
    const earlier = await own({
      createdAt: '2026-05-01T09:00:00Z',
      status: 'closed',
      answers: [[3, 'na'], [3], [4], [4], [4]],
    });
    const { id } = await own({ createdAt: '2026-11-02T09:00:00Z' });
    const before = textOf((await leader().get(`/reports/${id}`)).html);
    assert.match(before, /My manager listens to me\. 4\.0 out of 5 5 answers/);
    assert.doesNotMatch(before, /since|Changes compare/);

    await db()
      .updateTable('feedback_requests')
      .set({ status: 'released', released_at: new Date('2026-05-20T09:00:00Z') })
      .where('id', '=', earlier.id)
      .execute();
    const after = textOf((await leader().get(`/reports/${id}`)).html);
    assert.match(after, /Changes compare each mean with the same statement in the round that closed on 15 May 2026/);
    assert.match(after, /My manager listens to me\. 4\.0 out of 5 \+0\.4 since 15 May 2026/);
  });

  it("a page kept from one session carries each session's own CSRF token in every form, and its forms work", async () => {
    const { id } = await round({ status: 'released' });
    const other = (await signedInClient(app(), db(), people().leader)).client;
    const [mine, theirs] = [await csrfOf(leader(), '/account'), await csrfOf(other, '/account')];
    assert.notEqual(mine, theirs);
    // The first view stores the round's results (this fixture closes rounds without them).
    await leader().get(`/reports/${id}`);
    const first = await leader().get(`/reports/${id}`);
    const second = await other.get(`/reports/${id}`);
    const tokensIn = (html: string) => [...html.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]);
    const forms = (first.html.match(/<form method="post"/g) ?? []).length;
    assert.ok(forms >= 5, `hide forms, notes and a focus point: ${forms} forms`);
    assert.deepEqual(tokensIn(first.html), Array(forms).fill(mine));
    assert.deepEqual(tokensIn(second.html), Array(forms).fill(theirs));
    assert.equal(second.html.replaceAll(theirs, mine), first.html, 'the same page but for the token');
    assert.equal(second.headers.get('content-length'), String(Buffer.byteLength(second.html)));

    const comment = (await commentIds(db(), id)).find((c) => c.text === 'More focus time')!;
    const hidden = await other.post(`/reports/${id}/comments/${comment.id}/hide`, { _csrf: csrfTokenIn(second.html) });
    assert.equal(hidden.status, 303);
    assert.doesNotMatch((await manager().get(`/reports/${id}`)).html, /More focus time/);
  });

  it("a change made behind the app's back (another process, or by hand) shows at the next view", async () => {
    const { id } = await round({ status: 'released' });
    assert.match((await manager().get(`/reports/${id}`)).html, /More focus time/);
    const comment = (await commentIds(db(), id)).find((c) => c.text === 'More focus time')!;
    await db().updateTable('answers').set({ hidden: true }).where('id', '=', comment.id).execute();
    await db()
      .updateTable('users')
      .set({ display_name: 'Mira M. Manager' })
      .where('id', '=', people().manager.id)
      .execute();
    const after = await manager().get(`/reports/${id}`);
    assert.doesNotMatch(after.html, /More focus time/);
    assert.match(textOf(after.html), /Signed in as Mira M\. Manager/);
    await db()
      .updateTable('users')
      .set({ display_name: 'Mira Manager' })
      .where('id', '=', people().manager.id)
      .execute();
  });

  it("the focus point form's earliest date moves on with the day", async () => {
    const { id } = await round({ status: 'released' });
    const start = clock.now();
    try {
      assert.match((await leader().get(`/reports/${id}`)).html, /min="2026-12-02"/);
      clock.set('2026-12-05T09:00:00Z');
      // Sessions end after a day's silence: a new one for the new day.
      const nextWeek = (await signedInClient(app(), db(), people().leader)).client;
      const page = await nextWeek.get(`/reports/${id}`);
      assert.match(page.html, /min="2026-12-06"/);
      assert.doesNotMatch(page.html, /min="2026-12-02"/);
    } finally {
      clock.set(start);
    }
  });

  it('views arriving at the same moment each get their own round, as their own person', async () => {
    const ownManager = await createUser(db(), { name: 'Noor Manager' });
    const noor = (await signedInClient(app(), db(), ownManager)).client;
    const stranger = (await signedInClient(app(), db(), people().stranger)).client;
    const mine = await round({
      status: 'released',
      answers: [
        [4, 4, 0, 'Only in Mira’s round'],
        [4, 4, 0, 'Also Mira’s'],
        [4, 4, 0, 'Mira again'],
      ],
    });
    const noors = await createAnsweredRound(db(), {
      managerId: ownManager.id,
      leaderEmail: people().leader.email,
      status: 'released',
      answers: [
        [2, 2, 1, 'Only in Noor’s round'],
        [2, 2, 1, 'Also Noor’s'],
        [2, 2, 1, 'Noor again'],
      ],
    });
    const views = await Promise.all([
      leader().get(`/reports/${mine.id}`),
      manager().get(`/reports/${mine.id}`),
      noor.get(`/reports/${noors.id}`),
      leader().get(`/reports/${noors.id}`),
      stranger.get(`/reports/${mine.id}`),
      noor.get(`/reports/${mine.id}`),
    ]);
    assert.deepEqual(
      views.map((v) => v.status),
      [200, 200, 200, 200, 404, 404],
    );
    const shown = views
      .slice(0, 4)
      .map((v) => [
        /Signed in as (\w+)/.exec(textOf(v.html))?.[1],
        /Only in (\w+)’s round/.exec(v.html)?.[1],
        /Feedback for (\w+)/.exec(v.html)?.[1],
      ]);
    assert.deepEqual(shown, [
      ['Leo', 'Mira', 'Mira'],
      ['Mira', 'Mira', 'Mira'],
      ['Noor', 'Noor', 'Noor'],
      ['Leo', 'Noor', 'Noor'],
    ]);
  });
});
