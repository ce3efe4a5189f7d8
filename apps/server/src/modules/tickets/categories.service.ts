import type { Kysely } from 'kysely';
import type { TicketCategory, TicketCategoryCreate, TicketCategoryUpdate, TicketType } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { DB, TicketCategoriesTable } from '../../db/schema.js';
import { fromFlag, toFlag } from '../../db/dialect.js';
import { badRequest, notFound } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { cachedReference, changeReference, referenceCache } from '../../platform/reference-cache.js';
import { updateVersioned } from '../../db/versioned.js';

/** The starting category tree (投诉 › 工程质量 › 渗漏 …); admins edit it afterwards. */
export const DEFAULT_CATEGORIES: Record<TicketType, [string, string[]][]> = {
  complaint: [
    ['工程质量', ['渗漏', '墙面开裂', '空鼓', '门窗', '水电', '地面']],
    ['物业服务', ['保洁', '安保', '收费', '服务态度']],
    ['销售承诺', ['交付标准', '配套设施', '面积差异']],
    ['交付', ['延期交付', '交付流程']],
    ['施工扰民', ['噪音', '粉尘']],
    ['其他', []],
  ],
  repair: [
    ['户内维修', ['漏水', '电路', '门窗五金', '卫浴洁具', '墙面地面']],
    ['公共部位', ['电梯', '照明', '消防设施', '道路园林']],
    ['其他', []],
  ],
  inquiry: [['产权办证', []], ['交付', []], ['物业费', []], ['法律法规', []], ['其他', []]],
  suggestion: [['产品设计', []], ['园林配套', []], ['服务', []], ['其他', []]],
  praise: [['员工', []], ['服务', []], ['其他', []]],
  other: [['其他', []]],
};

/** Creates the default tree on a database that has no categories yet. */
export async function ensureDefaultCategories(db: Kysely<DB>, deps: Pick<Deps, 'ids'>, now: number): Promise<void> {
  if (await db.selectFrom('ticket_categories').select('id').limit(1).executeTakeFirst()) return;
  const rows: TicketCategoriesTable[] = [];
  for (const [type, tops] of Object.entries(DEFAULT_CATEGORIES)) {
    tops.forEach(([name, children], i) => {
      const id = deps.ids.next();
      rows.push({ id, type, parent_id: null, name, sort: i, active: 1, version: 1, created_at: now, updated_at: now });
      children.forEach((c, j) => rows.push({ id: deps.ids.next(), type, parent_id: id, name: c, sort: j, active: 1, version: 1, created_at: now, updated_at: now }));
    });
  }
  await db.insertInto('ticket_categories').values(rows).execute();
  referenceCache(db).invalidate('ticket_categories');
}

interface CategoryTree {
  list: TicketCategory[];
  paths: Map<string, string>;
}

/** The whole tree with paths, read once per change (platform/reference-cache.ts). */
function categoryTree(db: Kysely<DB>): Promise<CategoryTree> {
  return cachedReference(db, 'ticket_categories', async () => {
    const rows = await db.selectFrom('ticket_categories').selectAll().orderBy('sort').orderBy('name').execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const pathOf = (r: TicketCategoriesTable): string => (r.parent_id && byId.get(r.parent_id) ? `${pathOf(byId.get(r.parent_id)!)} › ${r.name}` : r.name);
    const list = rows.map((r) => ({ id: r.id, type: r.type as TicketType, parentId: r.parent_id, name: r.name, path: pathOf(r), sort: r.sort, active: fromFlag(r.active), version: r.version }));
    return { list, paths: new Map(list.map((c) => [c.id, c.path])) };
  });
}

/** Every category with its path (投诉 › 工程质量 › 渗漏 is stored as 工程质量 › 渗漏 under type complaint). */
export async function listCategories(db: Kysely<DB>, type?: string): Promise<TicketCategory[]> {
  const { list } = await categoryTree(db);
  return type ? list.filter((c) => c.type === type) : list;
}

/** The path of every category by id, for ticket lists and details (shared: do not modify). */
export async function categoryPaths(db: Kysely<DB>): Promise<ReadonlyMap<string, string>> {
  return (await categoryTree(db)).paths;
}

export async function createCategory(deps: Deps, ctx: AuditContext, body: TicketCategoryCreate): Promise<TicketCategory> {
  if (body.parentId) {
    const parent = await deps.db.selectFrom('ticket_categories').selectAll().where('id', '=', body.parentId).executeTakeFirst();
    if (!parent || parent.type !== body.type) throw badRequest('上级分类不存在或类型不同', [{ field: 'parentId', message: '上级分类无效' }]);
  }
  const now = deps.clock.now().getTime();
  const row: TicketCategoriesTable = { id: deps.ids.next(), type: body.type, parent_id: body.parentId ?? null, name: body.name.trim(), sort: body.sort ?? 99, active: 1, version: 1, created_at: now, updated_at: now };
  await changeReference(deps.db, ['ticket_categories'], async (trx) => {
    await trx.insertInto('ticket_categories').values(row).execute();
    await appendAudit(trx, deps, ctx, { action: 'ticket_category.created', entityType: 'ticket_category', entityId: row.id, after: row });
  });
  return (await listCategories(deps.db, body.type)).find((c) => c.id === row.id)!;
}

export async function updateCategory(deps: Deps, ctx: AuditContext, id: string, version: number, body: TicketCategoryUpdate): Promise<TicketCategory> {
  const before = await deps.db.selectFrom('ticket_categories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('分类不存在');
  const patch = {
    ...(body.name !== undefined ? { name: body.name.trim() } : {}),
    ...(body.sort !== undefined ? { sort: body.sort } : {}),
    ...(body.active !== undefined ? { active: toFlag(body.active) } : {}),
  };
  await changeReference(deps.db, ['ticket_categories'], async (trx) => {
    await updateVersioned(trx, 'ticket_categories', { id, version }, patch, deps.clock.now().getTime());
    await appendAudit(trx, deps, ctx, { action: 'ticket_category.updated', entityType: 'ticket_category', entityId: id, before, after: patch });
  });
  return (await listCategories(deps.db, before.type)).find((c) => c.id === id)!;
}
