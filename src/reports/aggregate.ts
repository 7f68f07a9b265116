// The figures of a round, computed in the database: per question the number of answers,
// "not applicable" count, mean and distribution, and the comments. Nothing here loads
// single answers into JavaScript except comments, which the report shows word for word.
//
// Anonymity threshold: the caller decides whether a report exists at all (round closed and
// at least k responses); here every question answered by fewer than k is suppressed, so its
// figures never leave this module.
import { AGREE_SCALE } from '../domain/request-life.ts';
import { sql, type Expression, type Kysely } from 'kysely';
import type { Database, QuestionKind } from '../db/schema.ts';

export interface QuestionFigures {
  id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  choices: string[];
  /** Answers with a value (not "not applicable"). */
  answered: number;
  notApplicable: number;
  /** Fewer than k answered: no figures are given. */
  suppressed: boolean;
  /** Agree scale only: 1–5. */
  mean: number | null;
  /** Count per scale point (1–5) or per choice, in order; empty when suppressed. */
  distribution: number[];
}

export interface RoundComments {
  questionId: string;
  position: number;
  prompt: string;
  /** Suppressed when fewer than k people wrote a comment on this question. */
  suppressed: boolean;
  comments: Array<{ id: string; text: string; hidden: boolean }>;
}

interface CountRow {
  question_id: string;
  value: number | null;
  not_applicable: boolean;
  n: number;
}

/**
 * One grouped scan over the round's answers. The `question_id in (…)` filter lets the
 * covering index (question_id, value, not_applicable) answer without reading answer rows
 * and without joining responses, which filtering by the round through responses would need.
 */
async function countsByValue(db: Kysely<Database>, questionIds: string[]): Promise<CountRow[]> {
  if (questionIds.length === 0) return [];
  return db
    .selectFrom('answers')
    .select(['question_id', 'value', 'not_applicable', (eb) => eb.fn.countAll<number>().as('n')])
    .where('question_id', 'in', questionIds)
    .where('text', 'is', null)
    .groupBy(['question_id', 'value', 'not_applicable'])
    .execute();
}

export async function questionFigures(
  db: Kysely<Database>,
  requestId: string,
  threshold: number,
): Promise<QuestionFigures[]> {
  const questions = await db
    .selectFrom('request_questions')
    .select(['id', 'position', 'kind', 'prompt', 'choices'])
    .where('request_id', '=', requestId)
    .where('kind', '!=', 'text')
    .orderBy('position')
    .execute();
  const counts = await countsByValue(
    db,
    questions.map((q) => q.id),
  );

  return questions.map((question) => {
    const rows = counts.filter((row) => row.question_id === question.id);
    const notApplicable = rows.filter((r) => r.not_applicable).reduce((sum, r) => sum + Number(r.n), 0);
    const points = question.kind === 'agree' ? [...AGREE_SCALE] : question.choices.map((_, index) => index);
    const distribution = points.map((point) =>
      Number(rows.find((r) => !r.not_applicable && r.value === point)?.n ?? 0),
    );
    const answered = distribution.reduce((sum, n) => sum + n, 0);
    const suppressed = answered < threshold;
    // The mean is a weighted sum over at most five grouped rows: the database did the counting.
    const mean =
      question.kind === 'agree' && answered > 0
        ? distribution.reduce((sum, n, index) => sum + n * (index + 1), 0) / answered
        : null;
    return {
      id: question.id,
      position: question.position,
      kind: question.kind,
      prompt: question.prompt,
      choices: question.choices,
      answered: suppressed ? 0 : answered,
      notApplicable: suppressed ? 0 : notApplicable,
      suppressed,
      mean: suppressed ? null : mean,
      distribution: suppressed ? [] : distribution,
    };
  });
}

/**
 * A round's free-text questions, each with its comments (a question without any: one row of
 * nulls), in the order the report shows them: by question, and within each question sorted by
 * a hash of the answer's random id and its question, which is stable for a report (the same
 * order on every view) yet unrelated to who wrote what or when, so one person's comments on
 * different questions cannot be lined up. Read with the round on every report view
 * (queries.ts).
 */
export function commentRows(db: Kysely<Database>, requestId: Expression<string> | string) {
  return db
    .selectFrom('request_questions as q')
    .leftJoin('answers as a', (join) => join.onRef('a.question_id', '=', 'q.id').on('a.text', 'is not', null))
    .select(['q.id as question_id', 'q.position', 'q.prompt', 'a.id', 'a.text', 'a.hidden'])
    .where('q.request_id', '=', requestId)
    .where('q.kind', '=', 'text')
    .orderBy('q.position')
    .orderBy('q.id')
    .orderBy(sql`md5(a.id::text || a.question_id::text)`);
}

export interface CommentRow {
  question_id: string;
  position: number;
  prompt: string;
  id: string | null;
  text: string | null;
  hidden: boolean | null;
}

/** Comments per free-text question, in the rows' order; none of a question that fewer than k answered. */
export function groupComments(rows: readonly CommentRow[], threshold: number): RoundComments[] {
  const questions: RoundComments[] = [];
  let current: RoundComments | undefined;
  for (const row of rows) {
    if (row.question_id !== current?.questionId) {
      current = {
        questionId: row.question_id,
        position: row.position,
        prompt: row.prompt,
        suppressed: false,
        comments: [],
      };
      questions.push(current);
    }
    if (row.id !== null) current.comments.push({ id: row.id, text: row.text!, hidden: row.hidden! });
  }
  for (const question of questions) {
    question.suppressed = question.comments.length < threshold;
    if (question.suppressed) question.comments = [];
  }
  return questions;
}
