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

interface DraftQuestion {
  kind: string;
  prompt: string;
  choicesText: string;
}

/**
 * The draft's questions after its survey language changed from `from` to `to`: each one still
 * exactly as its template words it in `from` (same place, kind, prompt and choices) is worded
 * as the template does in `to`; anything the manager changed or wrote stays as typed.
 */
export function retranslated<Q extends DraftQuestion>(
  questions: Q[],
  template: Array<TemplateQuestion & { slug: string; kind: string }>,
  from: Locale,
  to: Locale,
): Q[] {
  return questions.map((question, index) => {
    const source = template.find((q) => q.position === index);
    if (!source || source.kind !== question.kind) return question;
    const before = templateQuestionIn(from, source.slug, source);
    if (before.prompt !== question.prompt || before.choices.join('\n') !== question.choicesText) return question;
    const after = templateQuestionIn(to, source.slug, source);
    return { ...question, prompt: after.prompt, choicesText: after.choices.join('\n') };
  });
}
