import type { FastifyInstance } from 'fastify';
import { DateOnly, STAFF_ROLES, Year } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { forbidden } from '../../http/app-error.js';
import { clearLocalDay, listCalendar, setLocalDay } from './calendar.service.js';

const tags = ['calendar'];
const DateParams = Type.Object({ date: DateOnly });

/** The working calendar: official holidays and 调休, plus local closures set by admins. */
export async function calendarRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: { year: number } }>('/api/calendar', {
    config: { access: STAFF_ROLES },
    schema: {
      tags, summary: '工作日历（节假日与调休）', querystring: Type.Object({ year: Year }),
      response: { 200: Type.Object({
        year: Type.Integer(), nextYear: Type.Integer(), nextYearMissing: Type.Boolean(),
        days: Type.Array(Type.Object({ date: Type.String(), working: Type.Boolean(), name: Type.String(), source: Type.String() })),
      }) },
    },
  }, async (req) => listCalendar(deps, req.query.year));

  app.put<{ Params: { date: string }; Body: { working: boolean; name: string } }>('/api/calendar/days/:date', {
    config: { access: ['admin'] },
    schema: { tags, summary: '设置本地放假或上班日', params: DateParams, body: Type.Object({ working: Type.Boolean(), name: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }), response: { 204: Type.Null() } },
  }, async (req, reply) => {
    if (actorOf(req).scopeKind !== 'group') throw forbidden('工作日历是集团级设置');
    await setLocalDay(deps, auditCtx(req), req.params.date, req.body.working, req.body.name);
    return reply.status(204).send();
  });

  app.delete<{ Params: { date: string } }>('/api/calendar/days/:date', {
    config: { access: ['admin'] },
    schema: { tags, summary: '删除本地设置，恢复官方日历', params: DateParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    if (actorOf(req).scopeKind !== 'group') throw forbidden('工作日历是集团级设置');
    await clearLocalDay(deps, auditCtx(req), req.params.date);
    return reply.status(204).send();
  });
}
