// The leader's overview in Chromium: several teams, the change since the previous round,
// totals that leave out a team below k, and the earlier requests; axe finds nothing.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useAppOnPglite } from '../helpers/suite.ts';
import { assertNoAxeViolations, describeInBrowser, expectHeading, contextSignedInAs } from '../helpers/browser.ts';
import { addResponse, createAnsweredRound, createOpenRound, createUser } from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describeInBrowser('the leader overview', (browser) => {
  const { app, db: testDb } = useAppOnPglite({ clock: new ManualClock('2026-12-01T09:00:00Z') });

  it('shows every team, the changes and the totals accessibly', async () => {
    const db = testDb();
    const leaderEmail = 'lena@example.com';
    const { client } = await signedInClient(app(), db, { email: leaderEmail, name: 'Lena Leader' });
    const [mona, max, mia, moe] = await Promise.all(
      ['Mona', 'Max', 'Mia', 'Moe'].map((name) =>
        createUser(db, { email: `${name.toLowerCase()}@example.com`, name: `${name} Manager` }),
      ),
    );
    const questions = [
      { kind: 'agree' as const, prompt: 'My manager listens to me.' },
      { kind: 'agree' as const, prompt: 'My manager follows up.' },
      { kind: 'text' as const, prompt: 'What should your manager keep doing?' },
    ];
    await createAnsweredRound(db, {
      managerId: mona!.id,
      leaderEmail,
      questions,
      createdAt: '2026-09-01T09:00:00Z',
      answers: [
        [2, 5],
        [3, 4],
        [2, 5],
      ],
    });
    const latest = await createAnsweredRound(db, {
      managerId: mona!.id,
      leaderEmail,
      questions,
      createdAt: '2026-11-02T09:00:00Z',
      answers: [
        [4, 2],
        [4, 3],
        [5, 4, 'Listens'],
      ],
    });
    await createAnsweredRound(db, {
      managerId: max!.id,
      leaderEmail,
      questions,
      status: 'released',
      answers: [
        [3, 3],
        [4, 4],
        [4, 4],
      ],
    });
    await createAnsweredRound(db, {
      managerId: mia!.id,
      leaderEmail,
      questions,
      answers: [
        [1, 1],
        [1, 1],
      ],
    });
    const open = await createOpenRound(db, { managerId: moe!.id, leaderEmail, questions });
    await addResponse(
      db,
      open.request.id,
      open.questions.map((q) => q.id),
      [4, 4],
    );

    const context = await contextSignedInAs(browser(), client);
    const page = await context.newPage();
    await page.goto(`${app().url}/collect`);
    await expectHeading(page, 'Requests you collect');
    const main = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
    assert.match(main, /My manager listens to me\. ▲ Up \(\+2\.0\)/);
    assert.match(main, /Across 2 teams: 6 of 10 answered\./);
    assert.match(main, /1 team with fewer than 3 answers is left out/);
    assert.match(main, /1 of 5 answered/);
    await assertNoAxeViolations(page);

    await page.getByRole('link', { name: 'Open the report for Mona Manager' }).first().click();
    await expectHeading(page, 'Feedback for Mona Manager');
    assert.equal(new URL(page.url()).pathname, `/reports/${latest.id}`);
    await context.close();
  });
});
