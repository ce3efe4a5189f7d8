import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { systemActor } from '../../platform/auth.js';
import { kpiSetReference } from './kpis.service.js';
import type { JobRunner } from '../../platform/jobs.js';
import { registerRollupJobs } from './rollups.jobs.js';
import { reconcileRollups } from './rollups.reconcile.js';
import { backfillRollups, computeDay, refreshRollups, rollupRun } from './rollups.service.js';

let t: TestApp;
const GROUP = systemActor('test', '测试');

beforeAll(async () => {
  t = await createTestApp({ SESSION_IDLE_MINUTES: '1440', SESSION_ABSOLUTE_HOURS: '720' });
});
afterAll(async () => t.close());

async function complaint(cookie: string, severity: 'routine' | 'major' = 'routine') {
  const res = await t.as(cookie, { method: 'POST', url: '/api/tickets', payload: { type: 'complaint', severity, channel: 'hotline', projectId: t.world.projectA, customerId: t.world.customerA, description: '汇总测试投诉' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}

async function version(cookie: string, id: string): Promise<number> {
  return (await t.as(cookie, { method: 'GET', url: `/api/tickets/${id}` })).json().version;
}

const periods = [{ from: '2026-11-01', to: '2026-11-30' }, { from: '2026-11-20', to: '2026-12-31' }, { from: '2026-01-01', to: '2026-12-31' }];

async function expectEqualToReference(_cookie: string, ctx: string) {
  const cookie = await t.login('root');
  for (const p of periods) {
    for (const projectId of [undefined, t.world.projectA, t.world.projectB]) {
      const q = `from=${p.from}&to=${p.to}${projectId ? `&projectId=${projectId}` : ''}`;
      const got = (await t.as(cookie, { method: 'GET', url: `/api/kpis?${q}` })).json();
      const ref = await kpiSetReference(t.deps, GROUP, { ...p, projectId });
      expect({ k1: got.k1, k2: got.k2 }, `${ctx} ${q}`).toEqual({ k1: ref.k1, k2: ref.k2 });
    }
  }
}

describe('K1/K2 rollups', () => {
  it('equal the raw computation on the standard world: backfilled, after writes (marked, folded in) and as deadlines pass', async () => {
    t.clock.set('2026-11-20T02:00:00Z');
    const sup = await t.login('supervisor_a');
    const a = await complaint(sup);
    const b = await complaint(sup, 'major');
    await backfillRollups(t.deps);
    expect(await rollupRun(t.deps.db, 'backfill')).toMatchObject({ state: 'done' });
    expect(Number((await t.deps.db.selectFrom('kpi_rollups').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
    const root = await t.login('root');
    await expectEqualToReference(root, 'after the backfill');

    // Writes mark their days; the reads recompute them until the job folds them in.
    t.clock.set('2026-11-20T05:00:00Z');
    const r = await t.as(sup, { method: 'POST', url: `/api/tickets/${a.id}/resolve`, headers: { 'if-match': `"${await version(sup, a.id)}"` }, payload: { summary: '已处理' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(Number((await t.deps.db.selectFrom('kpi_dirty').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
    await expectEqualToReference(root, 'with marks pending');
    await refreshRollups(t.deps);
    expect(Number((await t.deps.db.selectFrom('kpi_dirty').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    await expectEqualToReference(root, 'after folding in');

    // Waiting on the customer, then time passes: b's deadline passes unmet (late), a waiting complaint's deadline moves.
    const w = await t.as(sup, { method: 'POST', url: `/api/tickets/${b.id}/wait`, headers: { 'if-match': `"${await version(sup, b.id)}"` }, payload: { reason: '业主不在家' } });
    expect(w.statusCode, w.body).toBe(200);
    await refreshRollups(t.deps);
    for (const at of ['2026-11-22T02:00:00Z', '2026-11-25T02:00:00Z', '2026-12-10T02:00:00Z']) {
      t.clock.set(at);
      await expectEqualToReference(root, `at ${at}, before the job`);
      await refreshRollups(t.deps);
      await expectEqualToReference(root, `at ${at}, after the job`);
    }
    const reconciled = await reconcileRollups(t.deps);
    expect(reconciled?.drift).toEqual([]);
  }, 120_000);

  it('a failed write rolls its rollup marks back with it', async () => {
    const sup = await t.login('supervisor_a');
    const c = await complaint(sup);
    await refreshRollups(t.deps);
    const marks = async () => Number((await t.deps.db.selectFrom('kpi_dirty').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await expect(t.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('tickets').set({ status: 'cancelled' }).where('id', '=', c.id).execute();
      expect(await trx.selectFrom('kpi_dirty').select('seq').execute()).not.toHaveLength(0);
      throw new Error('the write fails after the change');
    })).rejects.toThrow('the write fails');
    expect(await marks()).toBe(0);
    // A rejected command through the API (stale version) changes nothing, marks included.
    const stale = await t.as(sup, { method: 'POST', url: `/api/tickets/${c.id}/cancel`, headers: { 'if-match': '"999"' }, payload: { reason: '客户撤回' } });
    expect(stale.statusCode).toBeGreaterThanOrEqual(400);
    expect(await marks()).toBe(0);
  });

  it('the backfill resumes after an interruption and ends with the same rows as a full run', async () => {
    t.clock.set('2026-12-15T02:00:00Z');
    await t.deps.db.deleteFrom('kpi_rollup_runs').execute();
    await t.deps.db.deleteFrom('kpi_rollups').execute();
    const first = await backfillRollups(t.deps, { maxDays: 3 });
    expect(first).toEqual({ days: 3, done: false });
    const run = await rollupRun(t.deps.db, 'backfill');
    expect(run).toMatchObject({ state: 'running', done: 3 });
    expect(run!.total).toBeGreaterThan(3);
    // Not served from half-filled rollups: the reads use the raw computation meanwhile.
    const root = await t.login('root');
    await expectEqualToReference(root, 'while the backfill runs');
    const rest = await backfillRollups(t.deps);
    expect(rest.done).toBe(true);
    expect(rest.days).toBe(run!.total - 3);
    const rows = await t.deps.db.selectFrom('kpi_rollups').selectAll().orderBy('day').orderBy('project_id').orderBy('department_id').execute();
    const days = [...new Set(rows.map((r) => r.day))];
    const fresh = (await Promise.all(days.map((d) => computeDay(t.deps, d)))).flat();
    const strip = <R extends { computed_at: number }>(r: R): R => ({ ...r, computed_at: 0 });
    expect(rows.map(strip)).toEqual(fresh.map(strip).sort((x, y) => x.day.localeCompare(y.day) || x.project_id.localeCompare(y.project_id) || x.department_id.localeCompare(y.department_id)));
    await expectEqualToReference(root, 'after the resumed backfill');
  });

  it('the nightly reconciliation finds and records drift (a corrupted rollup row)', async () => {
    await refreshRollups(t.deps);
    const row = await t.deps.db.selectFrom('kpi_rollups').selectAll().where('department_id', '=', '').where('project_id', '=', t.world.projectA).executeTakeFirstOrThrow();
    await t.deps.db.updateTable('kpi_rollups').set({ k1_on_time: sql`k1_on_time + 5` }).where('day', '=', row.day).where('project_id', '=', row.project_id).where('department_id', '=', '').execute();
    const r = await reconcileRollups(t.deps);
    expect(r?.drift).toEqual([expect.objectContaining({ projectId: t.world.projectA, month: row.day.slice(0, 7), kpi: 'k1' })]);
    // The nightly job records it (table and log) and admins see it; nobody else.
    const handlers = new Map<string, { run: (payload: unknown, ctx: { log: typeof t.deps.log }) => Promise<void> }>();
    registerRollupJobs({ register: (name: string, h: never) => handlers.set(name, h) } as unknown as JobRunner, t.deps);
    await handlers.get('kpi.reconcile')!.run({}, { log: t.deps.log });
    const admin = await t.login('root');
    const status = await t.as(admin, { method: 'GET', url: '/api/kpis/rollups' });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({ backfill: { state: 'done' }, reconcile: { drift: 1 }, drift: [{ projectId: t.world.projectA, month: row.day.slice(0, 7), kpi: 'k1' }] });
    const sup = await t.login('supervisor_a');
    expect((await t.as(sup, { method: 'GET', url: '/api/kpis/rollups' })).statusCode).toBe(403);
  });
});
