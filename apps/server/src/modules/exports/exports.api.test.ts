import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { ExportJob } from '@qiaoliang/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireExports } from '../../platform/exports.js';
import { storedFilePath } from '../../platform/files.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { exportFile, runJobs } from '../../test/exports.js';

/*
 * Issue 21, finding 3: a clear-phone export was a GET (no CSRF check) whose reason came from the
 * URL. Now an export is a POST with a fresh reason, bulk reveals wait for a manager's approval,
 * the reveal is audited when the file is produced, and only the requester downloads it.
 */

let t: TestApp;
let sup: string;
let mgr: string;
const xlsxText = async (buf: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets[0]!.getSheetValues().flat().map(String).join('|');
};
const audits = (action: string) => t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

beforeAll(async () => {
  // Threshold 1: the two customers of project A make a "bulk" reveal.
  t = await createTestApp({ EXPORT_APPROVAL_ROWS: '1' });
  sup = await t.login('supervisor_a');
  mgr = await t.login('manager_a');
  const agent = await t.login('agent_a');
  const second = await t.as(agent, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, name: '丙业主', phones: [{ phone: '13900000009' }] } });
  expect(second.statusCode, second.body).toBe(201);
});
afterAll(async () => t.close());

describe('exports are POSTs with a fresh reason', () => {
  it('the old GET export routes are gone', async () => {
    for (const url of ['/api/customers/export?revealPhones=true&reason=%E4%B8%8A%E6%8A%A5', '/api/tickets/export', '/api/kpis/export?from=2026-11-01&to=2026-11-30&list=k1']) {
      const res = await t.as(sup, { method: 'GET', url });
      // 404, or 400 where /api/<domain>/:id now takes "export" for a malformed id: never a file.
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
    expect(await t.deps.db.selectFrom('export_jobs').select('id').execute()).toHaveLength(0);
  });

  it('refuses a cross-site request (no CSRF header) and writes nothing', async () => {
    const before = await t.deps.db.selectFrom('export_jobs').select('id').execute();
    const res = await t.app.inject({ method: 'POST', url: '/api/customers/exports', headers: { cookie: sup, origin: 'https://evil.example' }, payload: { revealPhones: true, reason: '攻击者的原因' } });
    expect(res.statusCode).toBe(403);
    expect(await t.deps.db.selectFrom('export_jobs').select('id').execute()).toHaveLength(before.length);
  });

  it('a clear-phone export needs a reason of a few words, in Chinese', async () => {
    for (const payload of [{ revealPhones: true }, { revealPhones: true, reason: '  看看 ' }]) {
      const res = await t.as(sup, { method: 'POST', url: '/api/customers/exports', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'reason', message: '请填写导出原因（至少 4 个字）' }]);
    }
  });

  it('a masked export is built by the job runner with progress, downloadable only by its requester', async () => {
    const res = await t.as(sup, { method: 'POST', url: '/api/customers/exports', payload: { projectId: t.world.projectA } });
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json<ExportJob>();
    expect(queued).toMatchObject({ status: 'queued', revealPhones: false, rowsTotal: 2, rowsDone: 0, mine: true, canDecide: false });
    expect(await audits('customer.exported')).toHaveLength(0);
    expect((await t.as(sup, { method: 'GET', url: `/api/exports/${queued.id}/file` })).statusCode).toBe(409);
    await runJobs(t);
    const done = (await t.as(sup, { method: 'GET', url: `/api/exports/${queued.id}` })).json<ExportJob>();
    expect(done).toMatchObject({ status: 'done', rowsDone: 2, rowsTotal: 2, fileName: '客户档案.xlsx' });
    expect(done.expiresAt).toBe(new Date(t.clock.now().getTime() + 24 * 3_600_000).toISOString());
    const file = await t.as(sup, { method: 'GET', url: `/api/exports/${queued.id}/file` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['cache-control']).toBe('no-store');
    expect(await xlsxText(file.rawPayload)).not.toMatch(/1390000000\d/);
    // Nobody else downloads it, not even an administrator of the same project.
    for (const user of ['manager_a', 'admin_a', 'supervisor_b']) {
      const other = await t.login(user);
      expect((await t.as(other, { method: 'GET', url: `/api/exports/${queued.id}/file` })).statusCode, user).toBe(404);
      expect((await t.as(other, { method: 'GET', url: `/api/exports/${queued.id}` })).statusCode, user).toBe(404);
    }
    const list = (await t.as(sup, { method: 'GET', url: '/api/exports' })).json<{ items: ExportJob[] }>();
    expect(list.items.map((i) => i.id)).toContain(queued.id);
  });

  it('a bulk clear-phone export waits for a manager, and the reveal is audited when the file is made, with the requester and reason', async () => {
    const res = await t.as(sup, { method: 'POST', url: '/api/customers/exports', payload: { revealPhones: true, reason: '交付前电话通知业主' } });
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json<ExportJob>();
    expect(job).toMatchObject({ status: 'awaiting_approval', rowsTotal: 2, reason: '交付前电话通知业主' });
    await runJobs(t);
    expect((await t.as(sup, { method: 'GET', url: `/api/exports/${job.id}` })).json().status).toBe('awaiting_approval');
    expect((await audits('customer.exported')).filter((a) => a.after_json?.includes(job.id))).toHaveLength(0);

    // The requester cannot approve (supervisors are no approvers; managers not their own).
    expect((await t.as(sup, { method: 'POST', url: `/api/exports/${job.id}/approve`, payload: {} })).statusCode).toBe(403);
    // A manager of another project does not see it.
    const mgrB = await t.login('manager_b');
    expect((await t.as(mgrB, { method: 'POST', url: `/api/exports/${job.id}/approve`, payload: {} })).statusCode).toBe(404);
    const pending = (await t.as(mgr, { method: 'GET', url: '/api/exports?view=approvals' })).json<{ items: ExportJob[] }>();
    expect(pending.items.find((i) => i.id === job.id)).toMatchObject({ canDecide: true, mine: false, requestedBy: { displayName: 'supervisor_a' } });

    const approved = await t.as(mgr, { method: 'POST', url: `/api/exports/${job.id}/approve`, payload: { note: '同意' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'queued', decidedBy: 'manager_a', decisionNote: '同意' });
    expect((await t.as(mgr, { method: 'POST', url: `/api/exports/${job.id}/approve`, payload: {} })).statusCode).toBe(409);

    t.clock.advance(60_000);
    await runJobs(t);
    const { file } = await exportFileOf(job.id);
    expect(await xlsxText(file)).toMatch(/1390000000\d/);
    const produced = (await audits('customer.exported')).filter((a) => a.after_json?.includes(job.id));
    expect(produced).toHaveLength(1);
    expect(produced[0]).toMatchObject({ actor_id: t.world.users.supervisor_a, at: t.clock.now().getTime() });
    expect(JSON.parse(produced[0]!.after_json!)).toMatchObject({ phonesRevealed: true, reason: '交付前电话通知业主', approvedBy: 'manager_a', rows: 2 });
    expect(await audits('export.approved')).toHaveLength(1);
  });

  it('a rejected export is never built', async () => {
    const job = (await t.as(sup, { method: 'POST', url: '/api/customers/exports', payload: { revealPhones: true, reason: '批量核对业主电话' } })).json<ExportJob>();
    const rejected = await t.as(mgr, { method: 'POST', url: `/api/exports/${job.id}/reject`, payload: { note: '范围过大，请按楼栋导出' } });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '范围过大，请按楼栋导出' });
    await runJobs(t);
    expect((await t.as(sup, { method: 'GET', url: `/api/exports/${job.id}` })).json().status).toBe('rejected');
    expect((await t.as(sup, { method: 'GET', url: `/api/exports/${job.id}/file` })).statusCode).toBe(409);
  });

  it('a small clear-phone export runs without approval (below the threshold)', async () => {
    const res = await t.as(sup, { method: 'POST', url: '/api/customers/exports', payload: { q: '13900000001', revealPhones: true, reason: '回电核实地址' } });
    expect(res.json()).toMatchObject({ status: 'queued', rowsTotal: 1 });
  });

  it('the file expires: the cleanup job deletes it and the download answers 410', async () => {
    const { job } = await exportFile(t, sup, '/api/customers/exports');
    const row = await t.deps.db.selectFrom('export_jobs').select('storage_key').where('id', '=', job.id).executeTakeFirstOrThrow();
    const path = storedFilePath(t.deps.config.dataDir, row.storage_key!);
    expect(existsSync(path)).toBe(true);
    t.clock.advance(25 * 3_600_000);
    expect(await expireExports(t.deps, t.clock.now().getTime())).toBeGreaterThan(0);
    expect(existsSync(path)).toBe(false);
    sup = await t.login('supervisor_a');
    const res = await t.as(sup, { method: 'GET', url: `/api/exports/${job.id}/file` });
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ code: 'export.expired' });
  });

  it('a requester who lost the role gets no file: the job fails instead', async () => {
    const job = (await t.as(sup, { method: 'POST', url: '/api/customers/exports', payload: {} })).json<ExportJob>();
    await t.deps.db.updateTable('users').set({ active: 0 }).where('id', '=', t.world.users.supervisor_a!).execute();
    try {
      await runJobs(t);
    } finally {
      await t.deps.db.updateTable('users').set({ active: 1 }).where('id', '=', t.world.users.supervisor_a!).execute();
    }
    const row = await t.deps.db.selectFrom('export_jobs').select(['status', 'error', 'storage_key']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', storage_key: null });
  });
});

async function exportFileOf(id: string): Promise<{ file: Buffer }> {
  const res = await t.as(sup, { method: 'GET', url: `/api/exports/${id}/file` });
  expect(res.statusCode, res.body).toBe(200);
  return { file: res.rawPayload };
}
