import type { FastifyInstance } from 'fastify';
import { IdParams, Notification } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf } from '../../http/access.js';
import { notFound } from '../../http/app-error.js';
import { iso, isoOrNull } from '../../http/pagination.js';

const tags = ['notifications'];

/** In-app notifications of the signed-in user. */
export async function notificationsRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get('/api/notifications', {
    config: { access: 'authenticated' },
    schema: { tags, summary: '我的站内消息', response: { 200: Type.Object({ items: Type.Array(Notification), unread: Type.Integer() }) } },
  }, async (req) => {
    const actor = actorOf(req);
    const [rows, unread] = await Promise.all([
      deps.db.selectFrom('notifications').selectAll().where('user_id', '=', actor.userId).orderBy('created_at', 'desc').limit(50).execute(),
      deps.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({ id: r.id, title: r.title, body: r.body, link: r.link, readAt: isoOrNull(r.read_at), createdAt: iso(r.created_at) })),
      unread: Number(unread.n),
    };
  });
  app.post<{ Params: IdParams }>('/api/notifications/:id/read', {
    config: { access: 'authenticated' },
    schema: { tags, summary: '标记已读', params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const res = await deps.db.updateTable('notifications').set({ read_at: deps.clock.now().getTime() })
      .where('id', '=', req.params.id).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      const exists = await deps.db.selectFrom('notifications').select('id').where('id', '=', req.params.id).where('user_id', '=', actor.userId).executeTakeFirst();
      if (!exists) throw notFound('消息不存在');
    }
    return reply.status(204).send();
  });
}
