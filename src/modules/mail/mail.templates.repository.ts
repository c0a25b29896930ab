import type { Db } from '../../db/database.ts';

// mail_templates: an admin's texts per kind, for the whole desk, a department or a help topic.

export function templatesOfKind(db: Db, kind: string) {
  return db
    .selectFrom('mail_templates')
    .select(['department_id', 'help_topic_id', 'subject', 'body'])
    .where('kind', '=', kind)
    .execute();
}

/** Another template (not `exceptId`) for the same kind and scope. */
export function findTemplateTwin(
  db: Db,
  t: { kind: string; departmentId: number | null; helpTopicId: number | null; exceptId: number },
) {
  return db
    .selectFrom('mail_templates')
    .select('id')
    .where('kind', '=', t.kind)
    .where((eb) =>
      t.departmentId === null ? eb('department_id', 'is', null) : eb('department_id', '=', t.departmentId),
    )
    .where((eb) =>
      t.helpTopicId === null ? eb('help_topic_id', 'is', null) : eb('help_topic_id', '=', t.helpTopicId),
    )
    .where('id', '!=', t.exceptId)
    .executeTakeFirst();
}
