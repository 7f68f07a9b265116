// The built-in templates' questions in each shipped language. The templates table holds them
// in English (migration 0005); the catalogues hold every language's words, English included,
// under template.<slug>.questions.<position> (and "<position>-choice-<n>" for a choice's
// options), so a new language brings its templates in its one file. A manager's own
// questions are never translated: only a template's, as they are copied into a request.
import { SOURCE_LOCALE } from '../i18n/catalogues.ts';
import { hasMessage, t, type Locale } from '../i18n/translate.ts';

export interface TemplateQuestion {
  position: number;
  prompt: string;
  choices: string[];
}

/** The question as the template words it in `locale`; as stored when the catalogue has no words for it. */
export function templateQuestionIn<Q extends TemplateQuestion>(locale: Locale, slug: string, question: Q): Q {
  const key = `template.${slug}.questions.${question.position}`;
  if (locale === SOURCE_LOCALE || !hasMessage(key)) return question;
  return {
    ...question,
    prompt: t(locale, key),
    choices: question.choices.map((choice, n) =>
      hasMessage(`${key}-choice-${n}`) ? t(locale, `${key}-choice-${n}`) : choice,
    ),
  };
}
