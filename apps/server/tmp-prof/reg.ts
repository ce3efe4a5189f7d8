import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
const config = loadConfig({ DATA_DIR: '/work/main/bench/.data/sqlite-bench', DATABASE_URL: 'sqlite:/work/main/bench/.data/sqlite-bench/qiaoliang.db', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ADMIN_DIST_DIR: '', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' });
const deps = createDeps(config);
const app = await buildApp(deps);
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'XMLHttpRequest' }, payload: { username: 'agent_p031', password: 'demo1234' } });
const cookie = String(login.headers['set-cookie']).split(';')[0]!;
const pids = (await sql<{ scope_id: string }>`select scope_id from user_scopes us join users u on u.id = us.user_id where u.username = 'agent_p031'`.execute(deps.db)).rows.map((r) => r.scope_id);
const links = await deps.db.selectFrom('customer_units').select(['customer_id', 'unit_id', 'project_id']).where('project_id', 'in', pids).limit(500).execute();
const cats = await deps.db.selectFrom('ticket_categories').select('id').where('type', '=', 'repair').execute();
const body = (i: number) => { const l = links[i % links.length]!; return { type: 'repair', severity: 'routine', channel: 'hotline', projectId: l.project_id, customerId: l.customer_id, unitId: l.unit_id, categoryId: cats[i % cats.length]!.id, description: `卫生间天花板漏水（剖析 ${i}）` }; };
const conc = Number(process.argv[2] ?? 1);
const n = Number(process.argv[3] ?? 400);
let i = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: conc }, async () => {
  while (i < n) {
    const r = await app.inject({ method: 'POST', url: '/api/tickets', headers: { cookie, 'x-requested-with': 'XMLHttpRequest' }, payload: body(i++) });
    if (r.statusCode !== 201) { console.log(r.statusCode, r.body.slice(0, 300)); process.exit(1); }
  }
}));
console.log('commits', (globalThis as any).__commits, 'members', (globalThis as any).__members, 'commit ms', Math.round((globalThis as any).__commitMs));
console.log('register conc', conc, ((performance.now() - t0) / n).toFixed(3), 'ms/request', (n / ((performance.now() - t0) / 1000)).toFixed(0), '/s');
await app.close();
