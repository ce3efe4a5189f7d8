import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
let sup: string;
let agent: string;
let agentB: string;
let root: string;

beforeAll(async () => {
  t = await createTestApp();
  [sup, agent, agentB, root] = await Promise.all([t.login('supervisor_a'), t.login('agent_a'), t.login('agent_b'), t.login('root')]);
});
afterAll(async () => t.close());

type Template = { id: string; title: string; body: string; ticketType: string | null; projectId: string | null; active: boolean; version: number };
const create = (cookie: string, payload: Record<string, unknown>) => t.as(cookie, { method: 'POST', url: '/api/reply-templates', payload: { ticketType: null, projectId: t.world.projectA, ...payload } });
const list = async (cookie: string, query = '') => {
  const res = await t.as(cookie, { method: 'GET', url: `/api/reply-templates?pageSize=200${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Template[]; total: number };
};
const count = async () => Number((await t.deps.db.selectFrom('reply_templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('reply templates (回复模板)', () => {
  it('a supervisor writes a template for the project; agents of the project are offered it, agents of other projects are not', async () => {
    const res = await create(sup, { title: '投诉受理', body: '{客户姓名}您好，您反映的问题（工单 {工单号}）已受理，我们将在{答复时限}前答复您。', ticketType: 'complaint' });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json() as Template;
    expect(made).toMatchObject({ title: '投诉受理', ticketType: 'complaint', projectId: t.world.projectA, active: true, version: 1 });

    expect((await list(agent, `&projectId=${t.world.projectA}&ticketType=complaint`)).items.map((x) => x.id)).toContain(made.id);
    // Offered on complaints only.
    expect((await list(agent, `&projectId=${t.world.projectA}&ticketType=repair`)).items.map((x) => x.id)).not.toContain(made.id);
    expect((await list(agentB)).items.map((x) => x.id)).not.toContain(made.id);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', made.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['reply_template.created']);
  });

  it('refuses a text with a variable that does not exist, naming it, and saves nothing', async () => {
    const before = await count();
    const res = await create(sup, { title: '错别字', body: '{客户名字}您好，工单 {工单号} 已受理。' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toContain('{客户名字}');
    expect(res.json().errors[0].field).toBe('body');
    expect(await count()).toBe(before);
  });

  it('group-wide templates are written by group-scope users only, and every agent is offered them', async () => {
    const denied = await create(sup, { title: '通用问候', body: '您好，这里是客服中心。', projectId: null });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toContain('集团通用模板');
    const made = await create(root, { title: '通用问候', body: '您好，这里是客服中心，{坐席}为您服务。', projectId: null });
    expect(made.statusCode, made.body).toBe(201);
    const id = (made.json() as Template).id;
    expect((await list(agent)).items.map((x) => x.id)).toContain(id);
    expect((await list(agentB)).items.map((x) => x.id)).toContain(id);
  });

  it('refuses a second template of the same title in the same reach', async () => {
    expect((await create(sup, { title: '维修预约', body: '师傅将与您联系预约上门时间。' })).statusCode).toBe(201);
    const again = await create(sup, { title: '维修预约', body: '另一段话。' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('reply_template.duplicate_title');
  });

  it('archives with If-Match: no longer offered, still listed on the settings page, a stale version is refused', async () => {
    const made = (await create(sup, { title: '旧说法', body: '请耐心等待。' })).json() as Template;
    const archived = await t.as(sup, { method: 'PATCH', url: `/api/reply-templates/${made.id}`, headers: { 'if-match': '"1"' }, payload: { active: false } });
    expect(archived.statusCode, archived.body).toBe(200);
    expect((archived.json() as Template).active).toBe(false);
    expect((await list(agent)).items.map((x) => x.id)).not.toContain(made.id);
    expect((await list(sup, '&includeInactive=true')).items.find((x) => x.id === made.id)?.active).toBe(false);

    const stale = await t.as(sup, { method: 'PATCH', url: `/api/reply-templates/${made.id}`, headers: { 'if-match': '"1"' }, payload: { title: '改名' } });
    expect(stale.statusCode).toBe(412);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', made.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['reply_template.created', 'reply_template.archived']);
  });

  it('finds templates by a word of the title or text', async () => {
    await create(sup, { title: '停水通知', body: '因管网检修，{项目}将于明日停水。' });
    const found = await list(agent, `&q=${encodeURIComponent('检修')}`);
    expect(found.items.map((x) => x.title)).toEqual(['停水通知']);
  });
});
