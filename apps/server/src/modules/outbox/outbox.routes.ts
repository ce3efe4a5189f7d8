import type { FastifyInstance } from 'fastify';
import { CursorPage, CursorQuery, IdParams, OutboxMessage } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from '../../platform/outbox.js';
import { listOutbox, retryOutbox, type OutboxListQuery as ListQuery } from './outbox.service.js';

const tags = ['outbox'];

// Local until the contract moves to @qiaoliang/shared (the admin viewer will want it there).
const OutboxListQuery = Type.Intersect([
  CursorQuery,
  Type.Object({
    status: Type.Optional(Type.Union(OUTBOX_STATUSES.map((s) => Type.Literal(s)))),
    channel: Type.Optional(Type.Union(OUTBOX_CHANNELS.map((c) => Type.Literal(c)))),
  }),
]);

/** The outbox viewer for group-wide admins: what went out, what failed, and re-sending a failed message. */
export async function outboxRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: ListQuery }>('/api/outbox', {
    config: { access: ['admin'] },
    schema: { tags, summary: '消息发送记录', querystring: OutboxListQuery, response: { 200: CursorPage(OutboxMessage) } },
  }, async (req) => listOutbox(deps, actorOf(req), req.query));

  app.post<{ Params: IdParams }>('/api/outbox/:id/retry', {
    config: { access: ['admin'] },
    schema: { tags, summary: '重新发送失败的消息', params: IdParams, response: { 200: OutboxMessage } },
  }, async (req) => retryOutbox(deps, actorOf(req), auditCtx(req), req.params.id));
}
