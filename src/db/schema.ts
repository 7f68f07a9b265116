// The typed shape of the database, one interface per table. Row types for queries come from
// these through Kysely's Selectable / Insertable / Updateable, never re-declared by hand.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable {
  id: Generated<string>;
  /** Stored lower-cased and trimmed, so one person has one account. */
  email: string;
  display_name: string | null;
  /** An IANA zone the person chose; null: the deployment's TIME_ZONE. */
  time_zone: string | null;
  created_at: Generated<Date>;
  /** A catalogue in locales/ ("de"), chosen on the account page; null: from Accept-Language (migration 0017). */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  /** The browser's language at their last sign-in: their emails' language until they choose one (migration 0018). */
  browser_language: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * A signed-in person's session, made at sign-in. Visitors have none: their forms' CSRF
 * tokens live in a signed cookie (src/http/csrf.ts), so a page view writes nothing.
 */
export interface SessionsTable {
  /** HMAC of the cookie's random id: a copy of the table cannot be used to sign in. */
  id_hash: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
}

/** Single-use sign-in links; only the hash of the token is kept. */
export interface SignInTokensTable {
  token_hash: string;
  email: string;
  /** Where to go after signing in: a path on this site, checked when stored. */
  next_path: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Rate limit counters, shared by every app process. */
export interface RateLimitsTable {
  key: string;
  hits: number;
  reset_at: Date;
}

/** One email waiting to be sent, or a record of one sent or given up on (src/email/). */
export interface EmailOutboxTable {
  id: Generated<string>;
  /** `<uuid@host>`, chosen when queued and reused on every retry. */
  message_id: string;
  /** With subject, html and text: '' once sent, for an email that leaves no trail (`leavesNoTrail`). */
  to_address: string;
  /** The email definition it was rendered from (src/email/definitions.ts). */
  name: string;
  subject: string;
  html: string;
  text: string;
  status: Generated<EmailStatus>;
  attempts: Generated<number>;
  next_attempt_at: Date;
  /** While 'sending': when the claiming worker's lease ends and another may take over. */
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  /** A calendar invitation (RFC 5545 text, its METHOD inside) sent with the email, or null. */
  calendar: ColumnType<string | null, string | null | undefined, string | null>;
}

export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed';

// ---- The feedback round (migrations/2026-11-21-0004-rounds.ts) ----

export type QuestionKind = 'agree' | 'choice' | 'text';
/** A feedback round, or a check-back: a short round to the same team about a round's focus points. */
export type RequestKind = 'round' | 'check-back';
export type RequestStatus = 'draft' | 'submitted' | 'declined' | 'open' | 'closed' | 'released';

export interface TemplatesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  description: string;
  position: number;
}

export interface TemplateQuestionsTable {
  id: Generated<string>;
  template_id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  /** Options of a single-choice question, in order; empty otherwise. */
  choices: ColumnType<string[], string | undefined, string>;
}

export interface FeedbackRequestsTable {
  id: Generated<string>;
  manager_id: string;
  /** The leader is whoever signs in with this address. */
  leader_email: string;
  status: RequestStatus;
  template_id: string | null;
  closes_at: Date;
  /** From the manager to the leader. */
  manager_note: Generated<string>;
  /** From the leader to the team, shown on the survey. */
  team_note: Generated<string>;
  decline_reason: string | null;
  /** Recorded at launch and never changed afterwards. */
  anonymity_threshold: number | null;
  invited_count: number | null;
  extended: Generated<boolean>;
  previous_request_id: string | null;
  created_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
  launched_at: Date | null;
  closed_at: Date | null;
  invitees_purged_at: Date | null;
  /** How many answered, set when the round closes; while it is open its sealed rows are counted. */
  response_count: number | null;
  /** The leader's notes for the one-on-one; the manager sees them once released. */
  leader_notes: Generated<string>;
  released_at: Date | null;
  /** YYYY-MM-DD: when the manager is emailed a link that starts the follow-up round. */
  next_round_on: ColumnType<string | null, string | null | undefined, string | null>;
  next_round_emailed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  kind: ColumnType<RequestKind, RequestKind | undefined, RequestKind>;
  /** A check-back's round: the one whose focus points it asks about (migration 0015). */
  check_back_of: ColumnType<string | null, string | null | undefined, string | null>;
  /** The team's language: invitations, reminders and the survey page (migration 0017). */
  survey_language: ColumnType<string, string | undefined, string>;
}

export interface RequestQuestionsTable {
  id: Generated<string>;
  request_id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  choices: ColumnType<string[], string | undefined, string>;
  /** A check-back's question about this focus point of the round checked back on. */
  focus_point_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface InvitationsTable {
  id: Generated<string>;
  request_id: string;
  /** Cleared after the retention period following the close. */
  email: string | null;
}

export interface RemindersTable {
  id: Generated<string>;
  request_id: string;
  due_at: Date;
  /** Only that the point was sent: never to whom, nor to how many. */
  sent_at: Date | null;
}

/**
 * A survey link of an open round (migrations/2026-12-02-0012-link-keys.ts). `key` is the hash
 * of the link's token, which only the server secret derives from an invitation: nothing
 * stored pairs the two. Deleted, spent or not, when the round closes.
 */
export interface SurveyLinksTable {
  key: string;
  request_id: string;
  spent: Generated<boolean>;
}

/**
 * One submission to an open round, its answers sealed with the round's key (src/survey/sealing.ts):
 * every row of a round has the same size. Opened, rewritten as answers and deleted at close.
 */
export interface SealedResponsesTable {
  id: Generated<string>;
  request_id: string;
  sealed: Buffer;
}

/**
 * Answers of rounds still open when migration 0013 ran, in plaintext until the next start
 * seals them (src/survey/seal-unsealed.ts). Empty otherwise.
 */
export interface UnsealedResponsesTable {
  id: Generated<string>;
  request_id: string;
  /** NewAnswer[] as jsonb. */
  answers: ColumnType<unknown, string, string>;
}

/**
 * A closed round's answers, written at close one per question answered, with random ids and
 * in random order, and nothing that tells which were given together (src/rounds/close-round.ts).
 */
export interface AnswersTable {
  id: Generated<string>;
  question_id: string;
  /** 1–5 on an agree scale, or the chosen option's index; null when not applicable or text. */
  value: number | null;
  not_applicable: Generated<boolean>;
  text: string | null;
  /** A comment the leader hid because it would identify its author; never shown to the manager. */
  hidden: Generated<boolean>;
}

/** Agreed in the one-on-one after release; both are nudged on the follow-up date. */
export interface FocusPointsTable {
  id: Generated<string>;
  request_id: string;
  text: string;
  /** YYYY-MM-DD */
  follow_up_on: string;
  created_by: string | null;
  created_at: Date;
  done_at: Date | null;
  nudged_at: Date | null;
}

/**
 * The manager's own answers about themself (issue 19): signed, one per question, never stored
 * with the team's answers nor counted in their figures, participation or threshold.
 */
export interface SelfAnswersTable {
  question_id: string;
  request_id: string;
  /** 1–5 on an agree scale, or the chosen option's index; null when not applicable or text. */
  value: number | null;
  not_applicable: Generated<boolean>;
  text: string | null;
  updated_at: Date;
}

/** The leader's one-on-one with the manager about a closed round: agenda, meeting, check-in. */
export interface OneOnOnesTable {
  request_id: string;
  agenda: Generated<string>;
  starts_at: Date | null;
  /** IANA zone name of the meeting's start and end in the calendar invitation. */
  time_zone: string | null;
  minutes: number | null;
  place: Generated<string>;
  /** The calendar invitation's SEQUENCE: 0 when first sent, one more for every change. */
  sequence: Generated<number>;
  cancelled_at: Date | null;
  /** When "How's that going?" is due: a couple of days after the meeting. */
  check_in_due_at: Date | null;
  checked_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The manager's reply to the team after the release (issue 20): sent once to every invitee. */
export interface TeamRepliesTable {
  request_id: string;
  heard: Generated<string>;
  will_do: Generated<string>;
  include_figures: Generated<boolean>;
  sent_at: Date | null;
  /** How many team members it went to (their addresses are deleted later). */
  sent_count: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Date;
  updated_at: Date;
}

/**
 * A closed round's results, computed once in the transaction that closes it (or at the first
 * view of a round closed before this table existed). Never changed afterwards.
 */
export interface RoundResultsTable {
  request_id: string;
  /** The anonymity threshold the figures were suppressed with: the round's own. */
  threshold: number;
  response_count: number;
  /** src/reports/aggregate.ts QuestionFigures[], as jsonb. */
  figures: ColumnType<unknown, string, string>;
  /** Set by the database (now()): when the figures were computed. */
  computed_at: Generated<Date>;
}

export interface Database {
  users: UsersTable;
  email_outbox: EmailOutboxTable;
  sessions: SessionsTable;
  sign_in_tokens: SignInTokensTable;
  rate_limits: RateLimitsTable;
  templates: TemplatesTable;
  template_questions: TemplateQuestionsTable;
  feedback_requests: FeedbackRequestsTable;
  request_questions: RequestQuestionsTable;
  invitations: InvitationsTable;
  reminders: RemindersTable;
  survey_links: SurveyLinksTable;
  sealed_responses: SealedResponsesTable;
  unsealed_responses: UnsealedResponsesTable;
  answers: AnswersTable;
  focus_points: FocusPointsTable;
  round_results: RoundResultsTable;
  self_answers: SelfAnswersTable;
  one_on_ones: OneOnOnesTable;
  team_replies: TeamRepliesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type OutboxEmail = Selectable<EmailOutboxTable>;
