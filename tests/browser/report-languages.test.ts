// The report of a released round on a phone (360 px wide) in every shipped language: German's
// long compound words and French's and Spanish's longer sentences wrap inside their boxes, so
// the page never scrolls sideways and no text runs out of its card, button or badge.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeInBrowser, expectHeading, contextSignedInAs } from '../helpers/browser.ts';
import { useAppOnPglite } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { addSelfAnswer, createAnsweredRound, createFocusPoint } from '../helpers/factories.ts';

const TITLES: Record<string, string> = {
  en: 'Feedback for Mira Manager',
  de: 'Rückmeldung zu Mira Manager',
  fr: 'Retours sur Mira Manager',
  es: 'Opiniones sobre Mira Manager',
};

describeInBrowser('the released report on a phone in every language', (browser) => {
  let reportUrl: string;
  const { app, db, people, leader } = useAppOnPglite({
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    signIn: ['leader'],
  });

  before(async () => {
    const at = { managerId: people().manager.id, leaderEmail: people().leader.email };
    // An earlier round for the trend; this one released, with a self-assessment and a focus point.
    await createAnsweredRound(db(), {
      ...at,
      createdAt: '2026-03-01T09:00:00Z',
      status: 'released',
      answers: [[3], [3], [3]],
    });
    const round = await createAnsweredRound(db(), { ...at, status: 'released' });
    await addSelfAnswer(db(), round.id, round.questionIds[0]!, 5);
    await createFocusPoint(db(), round.id, { text: 'Protect focus time', followUpOn: '2027-01-15' });
    reportUrl = `${app().url}/reports/${round.id}`;
  });

  for (const language of Object.keys(TITLES)) {
    it(`fits 360 px in ${language}: no sideways scrolling, no text out of its box`, async () => {
      await db().updateTable('users').set({ language }).where('id', '=', people().leader.id).execute();
      const context = await contextSignedInAs(browser(), leader(), { viewport: { width: 360, height: 800 } });
      const page = await context.newPage();
      await page.goto(reportUrl);
      await expectHeading(page, TITLES[language]!);

      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      assert.ok(widths.scroll <= widths.inner, `${language}: the page is ${widths.scroll} px wide in ${widths.inner}`);

      // Every visible element whose content is wider than its own box (screen-reader-only
      // text, which is clipped on purpose, and the charts' drawings left out).
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll('main *')]
          .filter((el) => !el.closest('.visually-hidden, svg') && el.getClientRects().length > 0)
          .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 60)}`),
      );
      assert.deepEqual(overflowing, [], `${language}: text runs out of its box`);
      await context.close();
    });
  }
});
