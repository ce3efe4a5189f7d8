import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Templates with their project's and last editor's names, for the presenter. */
export function templatesQuery(db: Kysely<DB>) {
  return db
    .selectFrom('reply_templates as t')
    .leftJoin('projects as p', 'p.id', 't.project_id')
    .leftJoin('users as u', 'u.id', 't.updated_by')
    .selectAll('t')
    .select(['p.name as project_name', 'u.display_name as updated_by_name']);
}

export type TemplateRow = NonNullable<Awaited<ReturnType<ReturnType<typeof templatesQuery>['executeTakeFirst']>>>;

/** Another template with this title in the same project (or group-wide), active or not. */
export async function titleTaken(db: Kysely<DB>, title: string, projectId: string | null, exceptId: string | null): Promise<boolean> {
  let q = db.selectFrom('reply_templates').select('id').where('title', '=', title);
  q = projectId === null ? q.where('project_id', 'is', null) : q.where('project_id', '=', projectId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
