// Helpers for the manager's request pages: read a form's fields out of a page as a browser
// would post them, and press the edit page's buttons. A signed-in manager with a draft comes
// from managerWithDraft in tests/helpers/factories.ts.
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
