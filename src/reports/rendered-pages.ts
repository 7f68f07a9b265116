// Report pages as rendered, kept per everything that went into them. A closed round's page
// changes only when its leader acts on it (hides a comment, writes notes, releases it, adds a
// focus point), so most views of it would render the same bytes again; rendering them was the
// largest part of a view's work (docs/BENCHMARKS.md).
//
// The key is a hash of the page's whole input: the template's context (the round's row as
// read for this view, its comments as this viewer may see them, the focus points, the
// figures' cache key, the dates that depend on today) and the signed-in person the header
// names. Nothing is invalidated: a change made anywhere, by any process, changes what the
// view reads from the database and so the key, and the page is rendered anew. The one part
// of a page that differs between two views with the same input, the CSRF token, is rendered
// as a mark and put in per view.
import { createHash, randomUUID } from 'node:crypto';
import { BoundedCache } from '../lib/bounded-cache.ts';

/** Where each form's CSRF token goes. Rendered through `{{…}}`, so it has nothing to escape. */
const CSRF_MARK = `csrf${randomUUID().replaceAll('-', '')}`;

/** Tokens are hex and a dot (src/http/csrf.ts): put in as they are, exactly as the template would escape them. */
const INSERTABLE_TOKEN = /^[\w.-]+$/;

/** A few dozen pages of about 70 KB each: the reports being looked at right now. */
const pages = new BoundedCache<Buffer[]>(64);

export interface PageInput {
  /** Everything the template is rendered with but the CSRF token. */
  context: object;
  /** The header's signed-in person (res.locals.currentUser). */
  currentUser: unknown;
  /** The figures sections' cache key: the page holds them. */
  figuresKey: string;
}

/**
 * The page for this input, rendered by `render(csrfToken)` the first time and kept, with
 * `csrfToken` put in. Resolves null when the token cannot be put in as it is.
 */
export async function renderedPage(
  input: PageInput,
  csrfToken: string,
  render: (csrfToken: string) => Promise<Buffer>,
): Promise<Buffer | null> {
  if (!INSERTABLE_TOKEN.test(csrfToken)) return null;
  const key = createHash('sha256').update(JSON.stringify(input)).digest('base64url');
  const parts = await pages.get(key, async () => splitAt(await render(CSRF_MARK), Buffer.from(CSRF_MARK)));
  const token = Buffer.from(csrfToken);
  return Buffer.concat(parts.flatMap((part, index) => (index === 0 ? [part] : [token, part])));
}

function splitAt(bytes: Buffer, mark: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark, start)) {
    parts.push(bytes.subarray(start, at));
    start = at + mark.length;
  }
  parts.push(bytes.subarray(start));
  return parts;
}
