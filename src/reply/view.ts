// What the reply says: the draft built from the report (strengths and focus areas on the
// figures the manager is shown, then the focus points), the summary figures that may go with
// it, and the email each team member reads. Pure functions; the routes load the rows.
import { intlLocale, localeOr, t, type Locale } from '../i18n/translate.ts';
import { favourablePercent, formatMean } from '../domain/request-life.ts';
import { formatDateIn } from '../i18n/format.ts';
import type { EmailData } from '../email/definitions.ts';
import { renderEmail } from '../email/render.ts';
import type { QuestionFigures } from '../reports/aggregate.ts';
import { strengthsAndFocus } from '../reports/view.ts';
import type { ReplyDraft } from './queries.ts';

export interface FocusPointLine {
  text: string;
  follow_up_on: string;
  done_at: Date | null;
}

/**
 * The reply as first offered: what the team valued and where they see room, as statements
 * without their figures (those go only if the manager ticks the box), then the focus points
 * still open, or, with none written down, the focus areas. Written in `locale`, the language
 * the team will read it in (the round's survey language).
 */
export function draftFromReport(figures: QuestionFigures[], focusPoints: FocusPointLine[], locale: Locale): ReplyDraft {
  const { strengths, focus } = strengthsAndFocus(figures, locale);
  const say = (key: string, values?: Record<string, string>) => t(locale, `reply.draft.${key}`, values);
  const heard = [say('thanks')];
  if (strengths.length) heard.push([say('value'), ...strengths.map((s) => `- ${s.prompt}`)].join('\n'));
  if (focus.length) heard.push([say('better'), ...focus.map((f) => `- ${f.prompt}`)].join('\n'));
  const open = focusPoints.filter((point) => point.done_at === null);
  const willDo = open.length
    ? [
        say('workOn'),
        ...open.map(
          (point) => `- ${say('point', { text: point.text, date: formatDateIn(locale, point.follow_up_on) })}`,
        ),
      ]
    : [say('overMonths'), ...focus.map((f) => `- ${f.prompt}`)];
  return { heard: heard.join('\n\n'), willDo: willDo.join('\n'), includeFigures: false };
}

export interface FigureLine {
  prompt: string;
  mean: string;
  favourable: number;
}

/**
 * The summary figures as the report shows them to the manager: per agree statement with
 * figures, its mean and % favourable. Statements fewer than k answered have none
 * (suppressed in aggregate.ts) and are left out; nothing about any single answer, no comments.
 * Means are written in `locale` ("4,2" in German); the email's data takes them in English.
 */
export function replyFigures(figures: QuestionFigures[], locale: Locale): FigureLine[] {
  return figures
    .filter((q) => q.kind === 'agree' && !q.suppressed && q.mean !== null)
    .map((q) => ({
      prompt: q.prompt,
      mean: formatMean(q.mean!, locale),
      favourable: favourablePercent(q.distribution),
    }));
}

/** The one email every team member gets: the same words for everyone, no link, no name but the manager's. */
export function replyEmailData(
  round: { managerName: string; leaderName: string; survey_language: string },
  draft: ReplyDraft,
  figures: FigureLine[],
  threshold: number,
): EmailData<'reply-to-team'> {
  // The team was asked in the round's language, and is answered in it: "4,2" in German.
  const locale = localeOr(round.survey_language);
  const mean = (shown: string) =>
    Number(shown).toLocaleString(intlLocale(locale), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return {
    managerName: round.managerName,
    leaderName: round.leaderName,
    heard: draft.heard,
    willDo: draft.willDo,
    figures: draft.includeFigures ? figures.map((line) => ({ ...line, mean: mean(line.mean) })) : [],
    threshold,
    locale,
  };
}

/** Exactly what each team member will read: the subject and the plain-text body, as sent. */
export function previewOf(data: EmailData<'reply-to-team'>, config: { BASE_URL: string }) {
  const { subject, text } = renderEmail('reply-to-team', data, config);
  return { subject, text };
}
