// Issue 21: every email Upward sends, in every shipped language, read on a 360 px phone: the
// HTML part says its language, nothing scrolls sideways and no word sticks out of its box,
// with long German names and words in it. The samples are typed by the emails' own data, so
// a new email or a new field fails the type check until it has a sample here.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeInBrowser } from '../helpers/browser.ts';
import { renderEmail } from '../../src/email/render.ts';
import type { EmailData, EmailName } from '../../src/email/definitions.ts';
import { LOCALES } from '../../src/i18n/translate.ts';

const MANAGER = 'Bartholomäus Oberbereichsleiter';
const LEADER = 'Maximiliane Geschäftsbereichsverantwortliche';
const LINK = 'https://upward.example.com/requests/6f1c2d5e-8a7b-4c3d-9e0f-1a2b3c4d5e6f';
const DAY = '20 November 2026';
const POINTS = ['Kommunikationsverantwortlichkeiten frühzeitig klären', 'Share the plan early'];

type Samples = { [Name in EmailName]: Omit<EmailData<Name>, 'locale'> };

const SAMPLES: Samples = {
  'sign-in-link': { link: `${LINK}/sign-in`, minutes: 30 },
  'request-received': { managerName: MANAGER, note: 'Bitte ehrlich antworten.', closesOn: DAY, people: 7, link: LINK },
  invitation: {
    managerName: MANAGER,
    leaderName: LEADER,
    closesOn: DAY,
    teamNote: 'Bitte ehrlich antworten.',
    link: LINK,
    threshold: 3,
    addressesKept: 'Deleted 30 days after the round closes.',
  },
  reminder: { managerName: MANAGER, leaderName: LEADER, closesOn: DAY, link: LINK, threshold: 3 },
  'check-back-invitation': {
    managerName: MANAGER,
    leaderName: LEADER,
    points: POINTS,
    closesOn: DAY,
    link: LINK,
    threshold: 3,
    addressesKept: 'Deleted 30 days after the check-back closes.',
  },
  'check-back-reminder': { managerName: MANAGER, leaderName: LEADER, closesOn: DAY, link: LINK, threshold: 3 },
  'request-launched': { managerName: MANAGER, leaderName: LEADER, closesOn: DAY, invitedCount: 7, link: LINK },
  'self-assessment-invitation': { managerName: MANAGER, leaderName: LEADER, closesOn: DAY, link: LINK },
  'request-declined': {
    managerName: MANAGER,
    leaderName: LEADER,
    reason: 'Zu früh nach der Umstrukturierung.',
    link: LINK,
  },
  'round-closed': { managerName: MANAGER, leaderName: LEADER, answered: 5, invited: 7, link: LINK },
  'report-released': { managerName: MANAGER, leaderName: LEADER, link: LINK },
  'follow-up-nudge': {
    recipientName: LEADER,
    otherName: MANAGER,
    managerName: MANAGER,
    points: POINTS,
    followUpOn: DAY,
    link: LINK,
    checkBackLink: `${LINK}/check-back`,
  },
  'next-round-due': { managerName: MANAGER, leaderName: LEADER, closedOn: DAY, nextRoundOn: DAY, link: LINK },
  'one-on-one-invitation': {
    recipientName: LEADER,
    otherName: MANAGER,
    managerName: MANAGER,
    moved: true,
    when: `${DAY}, 14:00`,
    minutes: 30,
    zone: 'Europe/Berlin',
    place: 'Besprechungsraum Zugspitze, Verwaltungsgebäude',
    link: LINK,
  },
  'one-on-one-cancelled': { recipientName: LEADER, otherName: MANAGER, managerName: MANAGER, when: DAY, link: LINK },
  'how-is-it-going': { recipientName: MANAGER, otherName: LEADER, managerName: MANAGER, points: POINTS, link: LINK },
  'reply-to-team': {
    managerName: MANAGER,
    leaderName: LEADER,
    heard: 'Ihr wünscht euch mehr Klarheit über Prioritäten und Verantwortlichkeiten.',
    willDo: 'Ich kläre Kommunikationsverantwortlichkeiten frühzeitig.',
    figures: [{ prompt: 'Meine Führungskraft hört mir zu.', mean: '4,2', favourable: 80 }],
    threshold: 3,
  },
};

describeInBrowser('every email in each language on a 360 px phone', (browser) => {
  for (const locale of LOCALES) {
    it(`fits a phone in ${locale}`, async () => {
      const page = await browser().newPage({ viewport: { width: 360, height: 740 } });
      for (const [name, sample] of Object.entries(SAMPLES)) {
        const email = renderEmail(name as EmailName, { ...sample, locale } as never, {
          BASE_URL: 'https://upward.example.com',
        });
        await page.setContent(email.html);
        assert.equal(await page.getAttribute('html', 'lang'), locale, `${name} says its language`);
        const { scrollWidth, clientWidth, overflowing } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          overflowing: [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5)
            .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? '').trim().slice(0, 60)}`),
        }));
        assert.deepEqual(overflowing, [], `${name} in ${locale}: these stick out`);
        assert.ok(scrollWidth <= clientWidth, `${name} in ${locale} is ${scrollWidth} px wide in ${clientWidth} px`);
      }
      await page.close();
    });
  }
});
