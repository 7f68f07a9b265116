// The manager's state changes, each one use case that owns its transaction and the emails it
// queues: start a request, save or submit the draft, reopen a declined one, delete a draft.
// Each answers what happened; when the request has moved on meanwhile (another tab, the
// leader) it says so, and changes nothing.
import { paths } from '../http/paths.ts';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { formatDateTimeIn } from '../i18n/format.ts';
import { emailLocaleOf } from '../i18n/recipients.ts';
import type { Locale } from '../i18n/translate.ts';
import { queueEmail } from '../email/outbox.ts';
import { defaultClosesAt } from './edit-form.ts';
import { leaderZone, zoneOf } from '../auth/users.ts';
import { createDraft, deleteDraft, markSubmitted, reopenDeclined, storeDraft, type StoredDraft } from './queries.ts';

export interface ManagerActionDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'BASE_URL' | 'TIME_ZONE'>;
  clock: Clock;
}

/** The signed-in manager: every action is scoped to their own requests. */
export interface Manager {
  id: string;
  email: string;
  /** Their chosen zone: a new draft's default closing day is on their clock until a leader is named. */
  timeZone?: string | null;
  name: string | null;
}

/** Changed, or the request had moved on and nothing was changed. */
export type Outcome = 'done' | 'moved-on';

/** A new draft, from a template's questions or blank, closing on the default date. */
export async function startRequest(
  deps: ManagerActionDeps,
  manager: Manager,
  templateId: string | null,
  /** The team's language to start with: the manager's own. */
  surveyLanguage: string,
): Promise<string> {
  const now = deps.clock.now();
  return deps.db.transaction().execute((trx) =>
    createDraft(trx, {
      managerId: manager.id,
      templateId,
      closesAt: defaultClosesAt(now, zoneOf(manager, deps.config.TIME_ZONE)),
      now,
      surveyLanguage,
    }),
  );
}

/**
 * Stores everything typed and, when `submit`, sends the request to the leader with their
 * email, all in one transaction: a request that stopped being editable meanwhile keeps what
 * it had, and nobody is emailed.
 */
export async function saveDraft(
  deps: ManagerActionDeps,
  manager: Manager,
  requestId: string,
  draft: StoredDraft,
  /** `locale`: the manager's, the language of the leader's email when they have none of their own. */
  opts: { submit: boolean; locale?: Locale },
): Promise<Outcome> {
  const { db, clock } = deps;
  return db.transaction().execute(async (trx) => {
    if (!(await storeDraft(trx, requestId, manager.id, draft))) return 'moved-on';
    if (!opts.submit) return 'done';
    if (!(await markSubmitted(trx, requestId, manager.id, clock.now()))) return 'moved-on';
    const locale = await emailLocaleOf(trx, draft.leaderEmail, opts.locale);
    await queueEmail(
      trx,
      {
        to: draft.leaderEmail,
        name: 'request-received',
        data: {
          managerName: manager.name ?? manager.email,
          note: draft.note,
          // On the leader's clock, as the round closes by it.
          closesOn: formatDateTimeIn(
            locale,
            draft.closesAt,
            await leaderZone(trx, draft.leaderEmail, deps.config.TIME_ZONE),
          ),
          people: draft.invitees.length,
          link: paths.collect.show(requestId),
          locale,
        },
      },
      deps,
    );
    return 'done';
  });
}

/** A declined request goes back to being a draft; a draft already is one. */
export async function reopenRequest(
  deps: Pick<ManagerActionDeps, 'db'>,
  manager: Manager,
  request: { id: string; status: string },
): Promise<Outcome> {
  if (request.status === 'draft') return 'done';
  return (await reopenDeclined(deps.db, request.id, manager.id)) ? 'done' : 'moved-on';
}

export async function deleteRequest(
  deps: Pick<ManagerActionDeps, 'db'>,
  manager: Manager,
  requestId: string,
): Promise<Outcome> {
  return (await deleteDraft(deps.db, requestId, manager.id)) ? 'done' : 'moved-on';
}
