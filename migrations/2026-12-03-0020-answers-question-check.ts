// The close writes a round's answers ten thousand at a time (src/rounds/rewrite-answers.ts),
// and a foreign key checks each row on its own: a lookup and a lock of its question per answer,
// about half of what writing 1.2 million answers costs (docs/BENCHMARKS.md, issue 17). The
// foreign key from `answers` to `request_questions` becomes two statement-level triggers that
// keep the same rules once per statement:
// - an insert or update of answers fails if a question it names does not exist; the questions
//   it names are locked as a foreign key locks them (FOR KEY SHARE), so none goes before the
//   statement's transaction ends;
// - deleting questions (a round's deletion cascades to them) deletes their answers.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table answers drop constraint answers_question_id_fkey`.execute(db);
  await sql`create function answers_questions_exist() returns trigger language plpgsql as $$
    declare
      named int;
      locked int;
    begin
      select count(distinct question_id) into named from written;
      select count(*) into locked from (
        select 1 from request_questions where id in (select question_id from written) for key share
      ) as question;
      if locked < named then
        raise foreign_key_violation using message = 'an answer names a question that does not exist';
      end if;
      return null;
    end $$`.execute(db);
  for (const event of ['insert', 'update'])
    await sql`create trigger ${sql.id(`answers_questions_exist_on_${event}`)}
      after ${sql.raw(event)} on answers referencing new table as written
      for each statement execute function answers_questions_exist()`.execute(db);
  await sql`create function answers_go_with_questions() returns trigger language plpgsql as $$
    begin
      delete from answers where question_id in (select id from removed);
      return null;
    end $$`.execute(db);
  await sql`create trigger answers_go_with_questions
    after delete on request_questions referencing old table as removed
    for each statement execute function answers_go_with_questions()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger answers_go_with_questions on request_questions`.execute(db);
  await sql`drop function answers_go_with_questions()`.execute(db);
  await sql`drop trigger answers_questions_exist_on_insert on answers`.execute(db);
  await sql`drop trigger answers_questions_exist_on_update on answers`.execute(db);
  await sql`drop function answers_questions_exist()`.execute(db);
  await sql`alter table answers add constraint answers_question_id_fkey
    foreign key (question_id) references request_questions (id) on delete cascade`.execute(db);
}
