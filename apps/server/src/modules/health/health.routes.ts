import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import Type from 'typebox';
import type { Deps } from '../../deps.js';

/** GET /api/health: is the process up and the database reachable. */
export async function healthRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: '健康检查',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok'), dialect: Type.String() }),
          503: Type.Object({ status: Type.Literal('degraded'), database: Type.Literal('unreachable'), dialect: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await sql`select 1`.execute(deps.db);
        return { status: 'ok' as const, database: 'ok' as const, dialect: deps.dialect };
      } catch {
        return reply.status(503).send({ status: 'degraded' as const, database: 'unreachable' as const, dialect: deps.dialect });
      }
    },
  );
}
