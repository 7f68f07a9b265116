// The two built-in templates, written by us. Templates are data: a request copies their
// questions, so later edits here never change a round already asked for.
import { sql, type Kysely } from 'kysely';

type Question = { kind: 'agree' | 'choice' | 'text'; prompt: string; required: boolean; choices?: string[] };

const TEMPLATES: Array<{ slug: string; name: string; description: string; questions: Question[] }> = [
  {
    slug: 'one-on-one-leadership',
    name: 'One-on-one leadership',
    description:
      'Ten statements on how your manager meets, listens to and supports each person, and two open questions. About five minutes.',
    questions: [
      {
        kind: 'agree',
        required: true,
        prompt: 'My manager checks in with me about how things are going before problems come up.',
      },
      { kind: 'agree', required: true, prompt: 'When we talk, my manager is present and not distracted.' },
      { kind: 'agree', required: true, prompt: 'We hold regular one-on-ones, and they rarely get cancelled.' },
      { kind: 'agree', required: true, prompt: 'I set the agenda of our one-on-ones.' },
      { kind: 'agree', required: true, prompt: 'My manager follows up on what I raise.' },
      { kind: 'agree', required: true, prompt: 'My manager notices and praises my progress.' },
      { kind: 'agree', required: true, prompt: 'When something is not right, my manager tells me kindly and clearly.' },
      { kind: 'agree', required: true, prompt: 'My manager helps me set and reach goals that matter to me.' },
      { kind: 'agree', required: true, prompt: 'My manager asks for my feedback and acts on it.' },
      { kind: 'agree', required: true, prompt: 'I would recommend my manager to a friend looking for a good manager.' },
      { kind: 'text', required: false, prompt: 'What should your manager keep doing?' },
      { kind: 'text', required: false, prompt: 'What should your manager change or start doing?' },
    ],
  },
  {
    slug: 'pulse',
    name: 'Pulse',
    description: 'Four quick questions for a regular check-in. About a minute.',
    questions: [
      { kind: 'agree', required: true, prompt: 'I get the support I need from my manager.' },
      { kind: 'agree', required: true, prompt: 'I know what is expected of me.' },
      {
        kind: 'choice',
        required: true,
        prompt: 'How often would you like a one-on-one with your manager?',
        choices: ['Every week', 'Every two weeks', 'Every month', 'Less often'],
      },
      { kind: 'text', required: false, prompt: 'Anything else your manager should hear?' },
    ],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [position, template] of TEMPLATES.entries()) {
    const { id } = await db
      .insertInto('templates')
      .values({ slug: template.slug, name: template.name, description: template.description, position })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('template_questions')
      .values(
        template.questions.map((q, index) => ({
          template_id: id,
          position: index,
          kind: q.kind,
          prompt: q.prompt,
          required: q.required,
          choices: sql`${JSON.stringify(q.choices ?? [])}::jsonb`,
        })),
      )
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db
    .deleteFrom('templates')
    .where(
      'slug',
      'in',
      TEMPLATES.map((t) => t.slug),
    )
    .execute();
}
