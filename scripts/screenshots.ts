// `npm run screenshots [folder]`: pictures of the survey, the report (in English and German), the
// one-on-one, the reply to the team and the check-back, each at 360 and 1280 px, for reviewing
// the look of the pages that matter most (docs/screenshots/).
// Boots the app on an embedded PostgreSQL in a temporary folder (loopback only), runs one
// round of the One-on-one leadership template through (five invited, four answer, the
// round closes by its job) and saves full-page PNGs, and the report as printed. Prints each
// page's height too.
// Needs Chromium: /usr/bin/chromium, or CHROMIUM_PATH.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { connectPglite } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { ManualClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/http/logger.ts';
import { createRoundJobs } from '../src/jobs/runner.ts';
import { startTestApp } from '../tests/helpers/app.ts';
import { CHROMIUM_PATH } from '../tests/helpers/browser.ts';
import { builtInQuestions, createAnsweredRound, createOpenRound, createUser } from '../tests/helpers/factories.ts';
import { signedInClient } from '../tests/helpers/sessions.ts';
import { csrfOf } from '../tests/helpers/client.ts';

const OUT = path.resolve(process.argv[2] ?? 'docs/screenshots');
const WIDTHS = [360, 1280];

/** What four team members answer, per agree question (1–5, or 'na'); comments below. */
const RATINGS: Array<Array<number | 'na'>> = [
  [5, 4, 4, 2, 5, 4, 3, 4, 2, 5],
  [4, 4, 5, 3, 4, 5, 4, 3, 3, 4],
  [4, 3, 4, 'na', 2, 4, 2, 4, 2, 4],
  [5, 5, 4, 2, 4, 3, 4, 5, 3, 5],
];
/** Two earlier released rounds of the same manager, so the report shows its trend. */
const EARLIER: Array<{ createdAt: string; ratings: number[][] }> = [
  {
    createdAt: '2025-11-03T09:00:00Z',
    ratings: [
      [3, 4, 3, 2, 3, 3, 2, 4, 2, 4],
      [4, 3, 4, 2, 3, 4, 3, 3, 2, 3],
      [3, 3, 3, 1, 2, 3, 2, 4, 1, 4],
    ],
  },
  {
    createdAt: '2026-05-04T09:00:00Z',
    ratings: [
      [4, 4, 4, 2, 4, 4, 3, 4, 2, 4],
      [4, 4, 4, 3, 3, 4, 3, 3, 3, 4],
      [5, 3, 3, 2, 3, 3, 2, 4, 2, 5],
    ],
  },
];
/** The manager's own answers to the agree questions: a few blind spots and hidden strengths. */
const SELF = [4, 4, 3, 4, 4, 3, 5, 4, 4, 4];
const COMMENTS = [
  ['Keep the weekly one-on-ones; they help a lot.', 'Let me set the agenda more often.'],
  ['The praise in our team meeting meant a lot.', ''],
  ['', 'Follow up on what we agree, even when things get busy.'],
  ['Keep asking how I am before we talk about work.', 'Cancel fewer of our one-on-ones.'],
];

async function shoot(browser: Browser, url: string, name: string, cookie?: { name: string; value: string }) {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    if (cookie) await context.addCookies([{ ...cookie, url }]);
    const page = await context.newPage();
    await page.goto(url);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const file = path.join(OUT, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${name} at ${width} px: ${height} px high → ${path.relative(process.cwd(), file)}`);
    await context.close();
  }
}

const folder = await mkdtemp(path.join(tmpdir(), 'upward-screenshots-'));
const database = await connectPglite(folder);
const clock = new ManualClock('2026-11-02T09:00:00Z');
let browser: Browser | undefined;
let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
try {
  if (!CHROMIUM_PATH) throw new Error('No Chromium found: install Debian\'s "chromium" or set CHROMIUM_PATH.');
  const db = database.db;
  await migrateToLatest(db);
  app = await startTestApp({ db, clock });
  const manager = await createUser(db, { email: 'mia@example.com', name: 'Mia Manager' });
  const leader = await createUser(db, { email: 'lee@example.com', name: 'Lee Leader' });
  const questions = await builtInQuestions(db, 'one-on-one-leadership');
  for (const { createdAt, ratings } of EARLIER) {
    const answers = ratings.map((r) => {
      let agree = 0;
      return questions.map((q) => (q.kind === 'agree' ? r[agree++] : undefined));
    });
    await createAnsweredRound(db, {
      managerId: manager.id,
      leaderEmail: leader.email,
      questions,
      createdAt,
      answers,
      status: 'released',
    });
  }
  const round = await createOpenRound(db, {
    managerId: manager.id,
    leaderEmail: leader.email,
    questions,
    closesAt: new Date('2026-11-20T23:59:59Z'),
    invitees: ['ann', 'bo', 'cy', 'di', 'ed'].map((n) => `${n}@example.com`),
  });
  await db
    .updateTable('feedback_requests')
    .set({ team_note: 'Mia asked me to collect this. Be candid: I only see the combined answers.' })
    .where('id', '=', round.request.id)
    .execute();

  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  await mkdir(OUT, { recursive: true });
  await shoot(browser, `${app.url}/s/${round.tokens[4]}`, 'survey');

  // The manager assesses themself through their page, as its form posts it.
  const self = await signedInClient(app, db, manager);
  const selfPath = `/requests/${round.request.id}/self-assessment`;
  let own = 0;
  const selfFields = Object.fromEntries(
    round.questions.filter((q) => q.kind === 'agree').map((q) => [`q-${q.id}`, String(SELF[own++])]),
  );
  if ((await self.client.submit(selfPath, selfFields)).status !== 303) throw new Error('self-assessment failed');
  const managerSession = { name: 'upward_session', value: self.client.cookies.get('upward_session')! };
  await shoot(browser, `${app.url}${selfPath}`, 'self-assessment', managerSession);

  // Four answer through their links, as the form posts them.
  for (const [person, ratings] of RATINGS.entries()) {
    const form = new URLSearchParams();
    let agree = 0;
    let text = 0;
    for (const q of round.questions) {
      const value = q.kind === 'agree' ? String(ratings[agree++]) : COMMENTS[person]![text++]!;
      if (value) form.set(`q-${q.id}`, value);
    }
    const res = await fetch(`${app.url}/s/${round.tokens[person]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url },
      body: form,
      redirect: 'manual',
    });
    if (res.status >= 400) throw new Error(`answering failed: ${res.status}`);
  }

  // The round closes by its job, after its closing day.
  clock.set('2026-11-21T09:00:00Z');
  const jobs = createRoundJobs({ db, clock, config: app.config, logger: createLogger('silent') });
  await jobs.runOnce();

  const { client } = await signedInClient(app, db, leader);
  const session = { name: 'upward_session', value: client.cookies.get('upward_session')! };
  await shoot(browser, `${app.url}/reports/${round.request.id}`, 'report', session);
  // The same report for a leader who reads German (issue 21): the longest words of the four languages.
  await db.updateTable('users').set({ language: 'de' }).where('id', '=', leader.id).execute();
  await shoot(browser, `${app.url}/reports/${round.request.id}`, 'report-de', session);
  await db.updateTable('users').set({ language: null }).where('id', '=', leader.id).execute();

  // The report as printed, at the width of an A4 page (794 px at 96 dpi).
  const paper = await browser.newContext({ viewport: { width: 794, height: 1123 } });
  await paper.addCookies([{ ...session, url: app.url }]);
  const printed = await paper.newPage();
  await printed.emulateMedia({ media: 'print' });
  await printed.goto(`${app.url}/reports/${round.request.id}`);
  await printed.screenshot({ path: path.join(OUT, 'report-print.png'), fullPage: true });
  console.log(`report as printed → ${path.relative(process.cwd(), path.join(OUT, 'report-print.png'))}`);
  await paper.close();

  // The leader's one-on-one with the meeting planned (issue 19), on screen and as printed.
  const oneOnOne = `/reports/${round.request.id}/one-on-one`;
  await client.post(`${oneOnOne}/meeting`, {
    _csrf: await csrfOf(client, oneOnOne),
    day: '2026-11-26',
    time: '10:30',
    minutes: '45',
    time_zone: 'Europe/Berlin',
    place: 'https://meet.example.com/mia-lee',
  });
  await shoot(browser, `${app.url}${oneOnOne}`, 'one-on-one', session);
  const sheet = await browser.newContext({ viewport: { width: 794, height: 1123 } });
  await sheet.addCookies([{ ...session, url: app.url }]);
  const agenda = await sheet.newPage();
  await agenda.emulateMedia({ media: 'print' });
  await agenda.goto(`${app.url}${oneOnOne}`);
  await agenda.screenshot({ path: path.join(OUT, 'one-on-one-print.png'), fullPage: true });
  console.log(`one-on-one as printed → ${path.relative(process.cwd(), path.join(OUT, 'one-on-one-print.png'))}`);
  await sheet.close();

  // The loop with the team (issue 20): the report released, a focus point, the manager's reply
  // page; on the follow-up date the leader's check-back page, and the check-back's survey.
  clock.set('2026-11-27T09:00:00Z');
  const lee = (await signedInClient(app, db, leader)).client;
  if ((await lee.submit(`/reports/${round.request.id}/release`, {})).status !== 303) throw new Error('release failed');
  const mia = (await signedInClient(app, db, manager)).client;
  const point = { text: 'Agree goals with each person, one by one', follow_up_on: '2026-12-18' };
  await mia.submit(`/reports/${round.request.id}`, point, `/reports/${round.request.id}/focus-points`);
  const miaSession = { name: 'upward_session', value: mia.cookies.get('upward_session')! };
  await shoot(browser, `${app.url}/reports/${round.request.id}/reply`, 'reply', miaSession);
  clock.set('2026-12-18T09:00:00Z');
  const leeLater = (await signedInClient(app, db, leader)).client;
  const leeSession = { name: 'upward_session', value: leeLater.cookies.get('upward_session')! };
  await shoot(browser, `${app.url}/reports/${round.request.id}/check-back`, 'check-back', leeSession);
  const launched = await leeLater.submit(
    `/reports/${round.request.id}/check-back`,
    { closes_on: '2026-12-28' },
    `/reports/${round.request.id}/check-back/launch`,
  );
  if (launched.status !== 303) throw new Error(`check-back launch failed: ${launched.status}`);
  const invitation = await db
    .selectFrom('email_outbox')
    .select('text')
    .where('name', '=', 'check-back-invitation')
    .executeTakeFirstOrThrow();
  await shoot(browser, `${app.url}${/\/s\/[\w-]+/.exec(invitation.text)![0]}`, 'check-back-survey');
} finally {
  await browser?.close();
  await app?.close();
  await database.close();
  await rm(folder, { recursive: true, force: true });
}
