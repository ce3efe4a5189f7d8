import type { ReplyTemplateInput, ReplyTemplateListQuery, ReplyTemplateUpdate } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { ilike } from '../../db/dialect.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { pageOf } from '../../http/pagination.js';
import { staleVersion } from '../../http/versioning.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { getProject } from '../org/org.service.js';
import { presentTemplate } from './reply-templates.presenter.js';
import { templatesQuery, titleTaken, type TemplateRow } from './reply-templates.repo.js';
import { mayWriteReach, templateBodyErrors } from './reply-templates.rules.js';

const NOT_FOUND = '回复模板不存在或不在您的数据范围内';

/** A template the actor can see: group-wide ones, and those of projects in scope. */
async function visibleTemplate(deps: Deps, actor: Actor, id: string): Promise<TemplateRow> {
  const row = await templatesQuery(deps.db).where('t.id', '=', id).executeTakeFirst();
  if (!row || (row.project_id !== null && !projectInScope(actor, row.project_id))) throw notFound(NOT_FOUND);
  return row;
}

const reload = async (deps: Deps, id: string) => presentTemplate(await templatesQuery(deps.db).where('t.id', '=', id).executeTakeFirstOrThrow());

/** What the audit keeps of a template. */
const auditImage = (t: { title: string; body: string; ticket_type: string | null; project_id: string | null; active: number }) => ({
  title: t.title, body: t.body, ticketType: t.ticket_type, projectId: t.project_id, active: t.active === 1,
});

/**
 * Templates in scope, by title. With `projectId`, those offered on a ticket of that project (its
 * own and the group's); with `ticketType`, those for that type and for every type.
 */
export async function listTemplates(deps: Deps, actor: Actor, query: ReplyTemplateListQuery) {
  const { page, pageSize, offset } = pageOf(query);
  let q = templatesQuery(deps.db);
  if (actor.projectIds !== null) {
    const ids = actor.projectIds;
    q = q.where((eb) => eb.or([eb('t.project_id', 'is', null), ...(ids.length ? [eb('t.project_id', 'in', ids)] : [])]));
  }
  if (query.projectId) {
    const projectId = query.projectId;
    q = q.where((eb) => eb.or([eb('t.project_id', 'is', null), eb('t.project_id', '=', projectId)]));
  }
  if (query.ticketType) {
    const type = query.ticketType;
    q = q.where((eb) => eb.or([eb('t.ticket_type', 'is', null), eb('t.ticket_type', '=', type)]));
  }
  if (!query.includeInactive) q = q.where('t.active', '=', 1);
  const text = query.q?.trim();
  if (text) {
    // Titles and texts are short and templates few (tens to hundreds): a plain contains-match.
    q = q.where((eb) => eb.or([ilike('t.title', text), ilike('t.body', text)]));
  }
  const [rows, total] = await Promise.all([
    q.orderBy('t.active', 'desc').orderBy('t.title').orderBy('t.id').limit(pageSize).offset(offset).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(presentTemplate), total: Number(total.n), page, pageSize };
}

export async function getTemplate(deps: Deps, actor: Actor, id: string) {
  return presentTemplate(await visibleTemplate(deps, actor, id));
}

async function checkReach(deps: Deps, actor: Actor, projectId: string | null): Promise<void> {
  if (projectId !== null) await getProject(deps, actor, projectId);
  if (!mayWriteReach(actor.projectIds, projectId)) throw forbidden('集团通用模板只能由集团范围的用户维护，请选择项目');
}

function checkBody(body: string): void {
  const errors = templateBodyErrors(body);
  if (errors.length) throw badRequest(errors[0]!.message, errors);
}

async function checkTitle(deps: Deps, title: string, projectId: string | null, exceptId: string | null): Promise<void> {
  if (await titleTaken(deps.db, title, projectId, exceptId)) {
    throw conflict('reply_template.duplicate_title', `已有名为“${title}”的回复模板`, [{ field: 'title', message: '同一范围内已有同名模板' }]);
  }
}

export async function createTemplate(deps: Deps, actor: Actor, ctx: AuditContext, body: ReplyTemplateInput) {
  const title = body.title.trim();
  const text = body.body.trim();
  await checkReach(deps, actor, body.projectId);
  checkBody(text);
  await checkTitle(deps, title, body.projectId, null);
  const now = deps.clock.now().getTime();
  const row = {
    id: deps.ids.next(), title, body: text, ticket_type: body.ticketType, project_id: body.projectId, active: 1, version: 1,
    created_at: now, created_by: actor.userId, updated_at: now, updated_by: actor.userId,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('reply_templates').values(row).execute();
    await appendAudit(trx, deps, ctx, { action: 'reply_template.created', entityType: 'reply_template', entityId: row.id, after: auditImage(row) });
  });
  return reload(deps, row.id);
}

/** Edits, archives (`active: false`) or restores a template, with If-Match. */
export async function updateTemplate(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: ReplyTemplateUpdate) {
  const before = await visibleTemplate(deps, actor, id);
  // Both the reach it has and the one it gets must be the actor's to write.
  await checkReach(deps, actor, before.project_id);
  const after = {
    title: body.title !== undefined ? body.title.trim() : before.title,
    body: body.body !== undefined ? body.body.trim() : before.body,
    ticket_type: body.ticketType !== undefined ? body.ticketType : before.ticket_type,
    project_id: body.projectId !== undefined ? body.projectId : before.project_id,
    active: body.active !== undefined ? (body.active ? 1 : 0) : before.active,
  };
  if (after.project_id !== before.project_id) await checkReach(deps, actor, after.project_id);
  checkBody(after.body);
  if (after.title !== before.title || after.project_id !== before.project_id) await checkTitle(deps, after.title, after.project_id, id);
  await deps.db.transaction().execute(async (trx) => {
    const res = await trx.updateTable('reply_templates')
      .set({ ...after, version: version + 1, updated_at: deps.clock.now().getTime(), updated_by: actor.userId })
      .where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw staleVersion();
    const action = after.active !== before.active ? (after.active ? 'reply_template.restored' : 'reply_template.archived') : 'reply_template.updated';
    await appendAudit(trx, deps, ctx, { action, entityType: 'reply_template', entityId: id, before: auditImage(before), after: auditImage(after) });
  });
  return reload(deps, id);
}
