// Helpers for the manager's request pages: read a form's fields out of a page as a browser
// would post them, and make a signed-in manager with a draft of their own.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { TestApp } from '../helpers/app.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { createUser } from '../helpers/factories.ts';
import type { Page, TestClient } from '../helpers/client.ts';

const unescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');

const attr = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescape(match[1]!) : undefined;
};

/** The named fields of the page's edit form with their current values (no buttons). */
export function formFields(html: string): Record<string, string> {
  const form = /<form method="post" action="\/requests\/[^"]+\/edit"[\s\S]*?<\/form>/.exec(html)?.[0] ?? html;
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name || (type === 'checkbox' && !/\schecked\b/.test(tag))) continue;
    fields[name] = attr(tag, 'value') ?? '';
  }
  for (const [, tag, content] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(tag!, 'name');
    if (name) fields[name] = unescape(content!);
  }
  for (const [, tag, options] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(tag!, 'name');
    const selected = /<option value="([^"]*)" selected/.exec(options!) ?? /<option value="([^"]*)"/.exec(options!);
    if (name && selected) fields[name] = selected[1]!;
  }
  return fields;
}

/** Presses one of the edit page's buttons with `changes` typed in first. */
export async function pressOnEdit(
  client: TestClient,
  id: string,
  action: string,
  changes: Record<string, string | undefined> = {},
  from?: Page,
): Promise<Page> {
  const page = from ?? (await client.get(`/requests/${id}/edit`));
  const fields: Record<string, string | undefined> = { ...formFields(page.html), ...changes, action };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete fields[key];
  return client.post(`/requests/${id}/edit`, fields as Record<string, string>);
}

export const TEAM = 'ann@example.com\nbob@example.com\ncy@example.com';

/** A signed-in manager who has started a request from `template` (a slug, or 'blank'). */
export async function managerWithDraft(app: TestApp, db: Kysely<Database>, template: string = 'pulse') {
  const user = await createUser(db, {
    email: `manager-${Math.random().toString(36).slice(2)}@example.com`,
    name: 'Mia Manager',
  });
  const { client } = await signedInClient(app, db, user);
  const templateId =
    template === 'blank'
      ? 'blank'
      : (await db.selectFrom('templates').select('id').where('slug', '=', template).executeTakeFirstOrThrow()).id;
  const created = await client.submit('/requests/new', { template: templateId }, '/requests');
  const id = /^\/requests\/([0-9a-f-]{36})\/edit$/.exec(created.location ?? '')?.[1];
  if (!id) throw new Error(`creating a request answered ${created.status} ${created.location}`);
  return { client, user, id, created };
}
