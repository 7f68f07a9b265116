// What the pages show of a check-back: per focus point its latest check-back, open (until
// when, and for the leader how many answered) or closed (mean, % favourable, answers, or
// "not enough answers"). Pure functions; the numbers come from SQL (reports/aggregate.ts).
import { favourablePercent, formatMean, leaningOf, type Leaning } from '../domain/request-life.ts';
import { formatDateIn } from '../i18n/format.ts';
import { t, type Locale } from '../i18n/translate.ts';
import type { QuestionFigures } from '../reports/aggregate.ts';
import type { Viewer } from '../reports/access.ts';
import type { CheckBackRow } from './queries.ts';

export type PointCheckBack =
  | {
      open: true;
      /** The check-back's own request, whose /collect page the leader follows it on. */
      id: string;
      closesOn: string;
      /** The leader's only, as for a round while open. */
      participation: { answered: number; invited: number } | null;
    }
  | {
      open: false;
      closedOn: string;
      participation: { answered: number; invited: number };
      /** Fewer than the check-back's threshold answered this statement: no figures. */
      suppressed: boolean;
      mean: string | null;
      leaning: Leaning | null;
      favourable: number | null;
      answered: number;
      threshold: number;
    };

const participationOf = (row: CheckBackRow) => ({
  answered: Number(row.answered ?? 0),
  invited: row.invited_count ?? 0,
});

/** Whose page it is: their language and clock, for the dates and figures. */
export interface DatesFor {
  locale: Locale;
  zone: string;
}

const dateFor = (value: Date, { locale, zone }: DatesFor) => formatDateIn(locale, value, zone);

/** An open check-back as a focus point shows it. */
export function openResult(row: CheckBackRow, viewer: Viewer, reader: DatesFor): PointCheckBack {
  return {
    open: true,
    id: row.id,
    closesOn: dateFor(row.closes_at, reader),
    participation: viewer === 'leader' ? participationOf(row) : null,
  };
}

/** A closed check-back's figures for one focus point's question. */
export function closedResult(
  row: CheckBackRow,
  question: QuestionFigures | undefined,
  threshold: number,
  reader: DatesFor,
): PointCheckBack {
  const suppressed = !question || question.suppressed || question.mean === null;
  return {
    open: false,
    closedOn: dateFor(row.closed_at ?? row.closes_at, reader),
    participation: participationOf(row),
    suppressed,
    mean: suppressed ? null : formatMean(question.mean!, reader.locale),
    leaning: suppressed ? null : leaningOf(question.mean!),
    favourable: suppressed ? null : favourablePercent(question.distribution),
    answered: suppressed ? 0 : question.answered,
    threshold,
  };
}

/** "Send to 5 team members, closes on 10 February 2027": what the launch button does. */
export const launchSummary = (size: number, closesOn: string, locale: Locale) =>
  t(locale, 'checkBackPage.launch', { count: size, date: closesOn });
