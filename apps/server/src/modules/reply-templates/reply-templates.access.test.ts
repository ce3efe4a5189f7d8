import { accessMatrix, mentions } from '../../test/access-matrix.js';
import type { TestApp } from '../../test/app.js';
import type { World } from '../../test/world.js';

const USERS = ['agent', 'supervisor', 'manager', 'admin'] as const;
const EDITORS = ['supervisor', 'manager', 'admin'] as const;
const projectOf = (w: World, where: 'in' | 'out') => (where === 'in' ? w.projectA : w.projectB);

/** A template of the project in or out of scope, made fresh before every call. */
const current = { in: '', out: '' };
let made = 0;
async function insertTemplate(t: TestApp, projectId: string): Promise<string> {
  const id = t.deps.ids.next();
  const now = t.deps.clock.now().getTime();
  await t.deps.db.insertInto('reply_templates').values({
    id, title: `模板 ${++made}`, body: '您好，{客户姓名}，工单 {工单号} 已受理。', ticket_type: null, project_id: projectId, active: 1, version: 1,
    created_at: now, created_by: null, updated_at: now, updated_by: null,
  }).execute();
  return id;
}
const prepare = async (t: TestApp, where: 'in' | 'out') => {
  current[where] = await insertTemplate(t, projectOf(t.world, where));
};
const url = (_w: World, where: 'in' | 'out') => `/api/reply-templates/${current[where]}`;

accessMatrix('reply templates', [
  {
    method: 'GET', path: '/api/reply-templates', url: () => '/api/reply-templates?pageSize=200', allowed: USERS,
    leaks: (r, w) => mentions(r, w.projectB),
    prepare: async (t) => {
      await insertTemplate(t, t.world.projectA);
      await insertTemplate(t, t.world.projectB);
    },
  },
  { method: 'GET', path: '/api/reply-templates/:id', url, allowed: USERS, prepare },
  {
    method: 'POST', path: '/api/reply-templates', url: () => '/api/reply-templates', allowed: EDITORS,
    body: (w, where, n) => ({ title: `新模板 ${n}`, body: '您好，{客户姓名}，我们已收到您的反映。', ticketType: null, projectId: projectOf(w, where) }),
  },
  { method: 'PATCH', path: '/api/reply-templates/:id', url, allowed: EDITORS, prepare, version: async () => 1, body: (_w, _where, n) => ({ title: `改名 ${n}` }) },
]);
