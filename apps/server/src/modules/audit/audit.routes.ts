import type { FastifyInstance } from 'fastify';
import { AuditEntry, AuditListQuery, CursorPage } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { listAudit } from './audit.service.js';
import { verifyAuditChain } from '../../platform/audit.js';

const tags = ['audit'];

/** The audit log, for admins: filter, read, and verify the hash chain. */
export async function auditRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: AuditListQuery }>('/api/audit', { config: { access: ['admin'] }, schema: { tags, summary: '审计日志', querystring: AuditListQuery, response: { 200: CursorPage(AuditEntry) } } },
    async (req) => listAudit(deps, req.query));
  app.get('/api/audit/verify', {
    config: { access: ['admin'] },
    schema: {
      tags, summary: '校验审计哈希链',
      response: { 200: Type.Object({ ok: Type.Boolean(), checked: Type.Integer(), brokenAtSeq: Type.Union([Type.Integer(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async () => verifyAuditChain(deps.db));
}
