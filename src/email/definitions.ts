// Every email Upward sends, one definition each: its subject and its two templates in
// views/emails/ (HTML and plain text), both wrapped in views/emails/layouts/base.*.hbs.
// A new email is one entry here plus its two templates; queueEmail then checks its data.

import { t, type Locale } from '../i18n/translate.ts';

/** The email's language: the recipient's (src/i18n/recipients.ts), or the round's survey language for its team. Every queue site in src/ gives one; tests may leave it out for English. */
interface InLanguage {
  locale?: Locale;
}

export interface EmailDefinition<Data> {
  subject: (data: Data) => string;
  /** File names under views/emails/. */
  html: string;
  text: string;
  /**
   * Once sent, its outbox row keeps no address, subject or body (markEmailSent blanks them in
   * the update that records the sending). For the team's survey emails: their addresses say
   * who was invited, or who had not answered yet, and their bodies hold single-use links. One
   * that failed keeps them until it is sent, or pruned, so the operator can still retry it.
   */
  leavesNoTrail?: true;
}

/** Spells out the data type once; the templates receive exactly this object. */
const define = <Data>(definition: EmailDefinition<Data>) => definition;

export const emailDefinitions = {
  /**
   * `link` is a path inside Upward (`/sign-in/link/…`) or an absolute address under
   * BASE_URL; the templates make it absolute with the `url` helper.
   */
  'sign-in-link': define<{ link: string; minutes: number } & InLanguage>({
    subject: (data) => t(data.locale ?? 'en', 'signIn.emailSubject'),
    html: 'sign-in-link.html.hbs',
    text: 'sign-in-link.text.hbs',
  }),
  /**
   * To the leader: a manager asks them to collect their team's feedback. `link` is the
   * request's page for the leader (`/collect/<id>`); `people` is how many are invited.
   */
  'request-received': define<
    { managerName: string; note: string; closesOn: string; people: number; link: string } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.requestReceived.subject', { managerName: data.managerName }),
    html: 'request-received.html.hbs',
    text: 'request-received.text.hbs',
  }),
  /**
   * A team member's personal survey link (`/s/<token>`), sent at launch. It names who asks and
   * who collects, never who else is invited nor how many answered.
   */
  invitation: define<
    {
      managerName: string;
      leaderName: string;
      closesOn: string;
      teamNote: string;
      link: string;
      threshold: number;
      /** How long the address this was sent to is kept (addressesKeptWords). */
      addressesKept: string;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.invitation.subject', { managerName: data.managerName }),
    html: 'invitation.html.hbs',
    text: 'invitation.text.hbs',
    leavesNoTrail: true,
  }),
  /** The same personal link again, to invitees whose link is still unused. */
  reminder: define<
    { managerName: string; leaderName: string; closesOn: string; link: string; threshold: number } & InLanguage
  >({
    subject: (data) =>
      t(data.locale ?? 'en', 'email.reminder.subject', { managerName: data.managerName, closesOn: data.closesOn }),
    html: 'reminder.html.hbs',
    text: 'reminder.text.hbs',
    leavesNoTrail: true,
  }),
  /**
   * A team member's personal link to a check-back (issue 20): a short anonymous round about the
   * focus points their manager took on after the last round. Like the invitation, it names who
   * asks and who collects, never who else is invited nor how many answered.
   */
  'check-back-invitation': define<
    {
      managerName: string;
      leaderName: string;
      /** The focus points it asks about, as agreed. */
      points: string[];
      closesOn: string;
      link: string;
      threshold: number;
      /** How long the address this was sent to is kept (addressesKeptWords). */
      addressesKept: string;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.checkBackInvitation.subject', { managerName: data.managerName }),
    html: 'check-back-invitation.html.hbs',
    text: 'check-back-invitation.text.hbs',
    leavesNoTrail: true,
  }),
  /** The check-back's link again, to invitees whose link is still unused (send-reminders.ts picks it by kind). */
  'check-back-reminder': define<
    {
      managerName: string;
      leaderName: string;
      closesOn: string;
      link: string;
      threshold: number;
    } & InLanguage
  >({
    subject: (data) =>
      t(data.locale ?? 'en', 'email.checkBackReminder.subject', {
        managerName: data.managerName,
        closesOn: data.closesOn,
      }),
    html: 'check-back-reminder.html.hbs',
    text: 'check-back-reminder.text.hbs',
    leavesNoTrail: true,
  }),
  /** To the manager: the leader launched the round. No participation figures, ever. */
  'request-launched': define<
    {
      managerName: string;
      leaderName: string;
      closesOn: string;
      invitedCount: number;
      link: string;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.requestLaunched.subject', { leaderName: data.leaderName }),
    html: 'request-launched.html.hbs',
    text: 'request-launched.text.hbs',
  }),
  /**
   * To the manager, at launch beside request-launched: answer the same questions about
   * themself until the round closes (`link`: `/requests/<id>/self-assessment`).
   */
  'self-assessment-invitation': define<
    { managerName: string; leaderName: string; closesOn: string; link: string } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.selfAssessmentInvitation.subject'),
    html: 'self-assessment-invitation.html.hbs',
    text: 'self-assessment-invitation.text.hbs',
  }),
  /** To the manager: the leader declined the request, with their reason. */
  'request-declined': define<{ managerName: string; leaderName: string; reason: string; link: string } & InLanguage>({
    subject: (data) => t(data.locale ?? 'en', 'email.requestDeclined.subject', { leaderName: data.leaderName }),
    html: 'request-declined.html.hbs',
    text: 'request-declined.text.hbs',
  }),
  /**
   * To the leader: a round closed, with how many of those invited answered. For a check-back
   * (`checkBack`) the words say so, and `link` is the round's report, where its results show.
   */
  'round-closed': define<
    {
      managerName: string;
      leaderName: string;
      answered: number;
      invited: number;
      link: string;
      checkBack?: boolean;
    } & InLanguage
  >({
    subject: (data) =>
      t(data.locale ?? 'en', data.checkBack ? 'email.roundClosed.checkBackTitle' : 'email.roundClosed.title', {
        managerName: data.managerName,
      }),
    html: 'round-closed.html.hbs',
    text: 'round-closed.text.hbs',
  }),
  /** To the manager: the leader released the report of their round (link `/reports/<id>`). */
  'report-released': define<{ managerName: string; leaderName: string; link: string } & InLanguage>({
    subject: (data) => t(data.locale ?? 'en', 'email.reportReleased.subject', { leaderName: data.leaderName }),
    html: 'report-released.html.hbs',
    text: 'report-released.text.hbs',
  }),
  /** To the leader and to the manager, each once, on the follow-up date of focus points. */
  'follow-up-nudge': define<
    {
      recipientName: string;
      otherName: string;
      managerName: string;
      points: string[];
      followUpOn: string;
      link: string;
      /** The check-back page (`/reports/<id>/check-back`), once the report is released; else null. */
      checkBackLink: string | null;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.followUpNudge.subject'),
    html: 'follow-up-nudge.html.hbs',
    text: 'follow-up-nudge.text.hbs',
  }),
  /**
   * To the manager, once, on the next round's date set at or after the release. `link` is the
   * page whose one button starts the follow-up round (`/reports/<id>/next-round`).
   */
  'next-round-due': define<
    {
      managerName: string;
      leaderName: string;
      closedOn: string;
      nextRoundOn: string;
      link: string;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.nextRoundDue.subject'),
    html: 'next-round-due.html.hbs',
    text: 'next-round-due.text.hbs',
  }),
  /**
   * To the leader and to the manager: the one-on-one is planned (or moved), with the calendar
   * invitation beside it (one-on-one/calendar.ts). `when` names the time zone.
   */
  'one-on-one-invitation': define<
    {
      recipientName: string;
      otherName: string;
      managerName: string;
      /** Moved from an earlier time or place: the subject and the text say so. */
      moved: boolean;
      when: string;
      minutes: number;
      zone: string;
      place: string;
      link: string;
    } & InLanguage
  >({
    subject: (data) =>
      t(data.locale ?? 'en', `email.oneOnOneInvitation.${data.moved ? 'subjectMoved' : 'subject'}`, {
        managerName: data.managerName,
      }),
    html: 'one-on-one-invitation.html.hbs',
    text: 'one-on-one-invitation.text.hbs',
  }),
  /** To both: the one-on-one is called off, with the calendar's cancellation beside it. */
  'one-on-one-cancelled': define<
    {
      recipientName: string;
      otherName: string;
      managerName: string;
      when: string;
      link: string;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.oneOnOneCancelled.subject', { managerName: data.managerName }),
    html: 'one-on-one-cancelled.html.hbs',
    text: 'one-on-one-cancelled.text.hbs',
  }),
  /**
   * To the leader and to the manager, each once, CHECK_IN_DAYS after the one-on-one: the
   * focus points they agreed (none: a nudge to write them down).
   */
  'how-is-it-going': define<
    {
      recipientName: string;
      otherName: string;
      managerName: string;
      points: string[];
      link: string;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.howIsItGoing.subject'),
    html: 'how-is-it-going.html.hbs',
    text: 'how-is-it-going.text.hbs',
  }),
  /**
   * To every team member who was invited (issue 20), once, after the release: the manager's
   * "What I heard" and "What I'll do", and, if they chose, the summary figures (per agree
   * statement the mean and % favourable, only those with at least `threshold` answers). The
   * same words for everyone: nothing about who answered, no link (team members have no account).
   */
  'reply-to-team': define<
    {
      managerName: string;
      leaderName: string;
      heard: string;
      willDo: string;
      figures: Array<{ prompt: string; mean: string; favourable: number }>;
      threshold: number;
    } & InLanguage
  >({
    subject: (data) => t(data.locale ?? 'en', 'email.reply.subject', { managerName: data.managerName }),
    html: 'reply-to-team.html.hbs',
    text: 'reply-to-team.text.hbs',
    // Its addresses say who was invited: like the invitations, forgotten once sent.
    leavesNoTrail: true,
  }),
};

export type EmailName = keyof typeof emailDefinitions;

const byName: Readonly<Record<string, EmailDefinition<never>>> = emailDefinitions;

/** Whether the outbox forgets an email of this name once sent (see `leavesNoTrail`). */
export const leavesNoTrail = (name: string): boolean => byName[name]?.leavesNoTrail === true;

export type EmailData<Name extends EmailName> =
  (typeof emailDefinitions)[Name] extends EmailDefinition<infer Data> ? Data : never;

/** An email to queue: its recipient, which definition, and that definition's data. */
export type EmailMessage = { [Name in EmailName]: { to: string; name: Name; data: EmailData<Name> } }[EmailName];
