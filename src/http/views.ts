// Handlebars views: one layout (views/layouts/main.hbs), shared partials, a folder per feature.
import Handlebars from 'handlebars';
import { create } from 'express-handlebars';
import type { Express } from 'express';
import { fileURLToPath } from 'node:url';
import type { Assets } from './assets.ts';
import type { HelperOptions } from 'handlebars';
import { dayOf } from '../lib/dates.ts';
import { formatDateIn, formatDateTimeIn } from '../i18n/format.ts';
import { initialsOf, zoneOf } from '../auth/users.ts';
import { pathByName } from './paths.ts';
import { strongHelper, translateHelper } from '../i18n/helper.ts';
import { localeOr } from '../i18n/translate.ts';

export const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export function configureViews(
  app: Express,
  assets: Assets,
  opts: { cacheTemplates: boolean; timeZone: string },
): void {
  // Dates are read on the viewer's clock: the signed-in person's zone, else the deployment's.
  const viewerZone = (options: HelperOptions) => zoneOf(options.data?.root?.currentUser, opts.timeZone);
  const pageLocale = (options: HelperOptions) => localeOr(options.data?.root?.locale);
  const engine = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: `${VIEWS_DIR}/layouts`,
    partialsDir: `${VIEWS_DIR}/partials`,
    helpers: {
      asset: (file: string) => assets.url(file),
      eq: (a: unknown, b: unknown) => a === b,
      /** {{date value}} → "21 November 2026" in the page's language (an instant: its day on the viewer's clock) */
      date: (value: Date | string | null | undefined, options: HelperOptions) =>
        value ? formatDateIn(pageLocale(options), value, viewerZone(options)) : '',
      /** {{dateTime value}} → "20 December 2026, 18:00 CET" in the page's language, on the viewer's clock */
      dateTime: (value: Date | null | undefined, options: HelperOptions) =>
        value ? formatDateTimeIn(pageLocale(options), value, viewerZone(options)) : '',
      /** {{isoDate value}} → "2026-11-21", for date inputs (an instant: its day on the viewer's clock) */
      isoDate: (value: Date | string | null | undefined, options: HelperOptions) =>
        value ? (typeof value === 'string' ? value.slice(0, 10) : dayOf(value, viewerZone(options))) : '',
      /** {{initials currentUser}} → "LL", for the header on a phone */
      initials: initialsOf,
      /** {{plural count "answer" "answers"}} */
      plural: (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`,
      add: (a: number, b: number) => a + b,
      /** {{t "survey.title" managerName=managerName}}, in the page's language (`locale` in its locals). */
      t: translateHelper({ localeOf: pageLocale, html: () => true }),
      /** {{t "account.signsInAs" email=(strong currentUser.email)}} */
      strong: strongHelper,
      /** {{t "x" askAgain=(link (path "signIn") (t "signIn.askAgain"))}}: a link inside a translated sentence. */
      link: (href: string, text: unknown) =>
        new Handlebars.SafeString(
          `<a href="${Handlebars.escapeExpression(href)}">${Handlebars.escapeExpression(text as string)}</a>`,
        ),
      /** {{path "collect.launch" request.id}} → "/collect/…/launch" (src/http/paths.ts) */
      path: (name: string, ...args: unknown[]) => pathByName(name)(...args.slice(0, -1).map(String)),
    },
  });
  app.engine('.hbs', engine.engine);
  app.set('view engine', '.hbs');
  app.set('views', VIEWS_DIR);
  // Compiled templates are kept in memory everywhere but in development, where edits
  // should show on the next reload.
  app.set('view cache', opts.cacheTemplates);
}
