// Built-in templates: the choices on "Ask for feedback".
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Every template with how many questions it holds, in the order we present them. */
export function listTemplates(db: Db) {
  return db
    .selectFrom('templates')
    .leftJoin('template_questions', 'template_questions.template_id', 'templates.id')
    .select((eb) => [
      'templates.id',
      'templates.slug',
      'templates.name',
      'templates.description',
      eb.fn.count<number>('template_questions.id').as('question_count'),
    ])
    .groupBy(['templates.id', 'templates.slug', 'templates.name', 'templates.description', 'templates.position'])
    .orderBy('templates.position')
    .execute();
}

export async function templateExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('templates').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** A template's questions with its slug, by which the catalogues hold them in each language. */
export function templateQuestions(db: Db, id: string) {
  return db
    .selectFrom('template_questions')
    .innerJoin('templates', 'templates.id', 'template_questions.template_id')
    .select([
      'templates.slug',
      'template_questions.position',
      'template_questions.kind',
      'template_questions.prompt',
      'template_questions.required',
      'template_questions.choices',
    ])
    .where('template_questions.template_id', '=', id)
    .orderBy('template_questions.position')
    .execute();
}
