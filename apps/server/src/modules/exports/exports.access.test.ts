import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExportJobsTable } from '../../db/schema.js';
import { storageKeyOf, storedFilePath } from '../../platform/files.js';
import { accessMatrix, mentions } from '../../test/access-matrix.js';
import type { TestApp } from '../../test/app.js';
import type { Where } from '../../test/access-matrix.js';

const USERS = ['agent', 'supervisor', 'manager', 'executive', 'admin'] as const;
const APPROVERS = ['manager', 'admin'] as const;
const IDS = { in: '01900000-0000-7000-8000-0000000000e1', out: '01900000-0000-7000-8000-0000000000e2' };

/**
 * Puts the export of each case in place before every call: 'in' is the caller's own export (or,
 * for decisions, a bulk reveal by an agent of project A), 'out' someone else's in project B.
 */
function exportRow(kind: 'own' | 'approval') {
  return async (t: TestApp, where: Where, username: string | null) => {
    const w = t.world;
    const requester = where === 'out' ? 'target_b' : kind === 'own' && username ? username : 'target_a';
    const id = IDS[where];
    const now = t.deps.clock.now().getTime();
    const storageKey = storageKeyOf(id);
    const path = storedFilePath(t.deps.config.dataDir, storageKey);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'PK-test');
    const row: ExportJobsTable = {
      id, kind: 'customers', params: '{}', title: '客户档案', requested_by: w.users[requester]!, requested_by_name: requester, request_ip: null, request_id: null,
      scope_project_ids: JSON.stringify([where === 'in' ? w.projectA : w.projectB]), reveal_phones: 1, reason: '交付前通知业主',
      status: kind === 'own' ? 'done' : 'awaiting_approval', rows_total: 1000, rows_done: kind === 'own' ? 1000 : 0, decided_by: null, decided_by_name: null, decided_at: null,
      decision_note: null, storage_key: kind === 'own' ? storageKey : null, file_name: '客户档案.xlsx', file_size: 7, error: null, created_at: now, started_at: null,
      finished_at: null, expires_at: kind === 'own' ? now + 3_600_000 : null, version: 1,
    };
    await t.deps.db.deleteFrom('export_jobs').where('id', '=', id).execute();
    await t.deps.db.insertInto('export_jobs').values(row).execute();
  };
}

accessMatrix('export jobs', [
  {
    method: 'GET', path: '/api/exports', url: () => '/api/exports', allowed: USERS, prepare: exportRow('own'),
    leaks: (r) => mentions(r, IDS.out),
  },
  {
    method: 'GET', path: '/api/exports?view=approvals', url: () => '/api/exports?view=approvals', allowed: USERS,
    prepare: async (t, _where, u) => {
      await exportRow('approval')(t, 'in', u);
      await exportRow('approval')(t, 'out', u);
    },
    leaks: (r) => mentions(r, IDS.out),
  },
  { method: 'GET', path: '/api/exports/:id', url: (_w, where) => `/api/exports/${IDS[where]}`, allowed: USERS, prepare: exportRow('own') },
  { method: 'GET', path: '/api/exports/:id/file', url: (_w, where) => `/api/exports/${IDS[where]}/file`, allowed: USERS, prepare: exportRow('own') },
  { method: 'POST', path: '/api/exports/:id/approve', url: (_w, where) => `/api/exports/${IDS[where]}/approve`, allowed: APPROVERS, prepare: exportRow('approval'), body: () => ({}) },
  { method: 'POST', path: '/api/exports/:id/reject', url: (_w, where) => `/api/exports/${IDS[where]}/reject`, allowed: APPROVERS, prepare: exportRow('approval'), body: () => ({ note: '范围过大' }) },
]);
