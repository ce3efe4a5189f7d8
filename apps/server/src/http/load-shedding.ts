import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem-handler.js';

/** Requests that stay open for a long time by design and are not work in progress. */
const LONG_LIVED = new Set(['/api/events/stream']);

/**
 * Over capacity the server answers 503 with Retry-After at once instead of queueing every
 * request until clients time out (a flood of calls must not take the service down). A request
 * counts from its arrival until its response is sent or its connection closes; above `maxInFlight` new API requests are
 * turned away before any session, body or database work. Health stays answerable so that a
 * load balancer can see the state.
 */
export function registerLoadShedding(app: FastifyInstance, opts: { maxInFlight: number; retryAfterSeconds?: number }): { inFlight: () => number } {
  let inFlight = 0;
  app.addHook('onRequest', (req, reply, done) => {
    const path = req.url.split('?', 1)[0]!;
    if (!path.startsWith('/api/') || path === '/api/health' || LONG_LIVED.has(path)) return done();
    if (inFlight >= opts.maxInFlight) {
      reply.header('Retry-After', String(opts.retryAfterSeconds ?? 2));
      // Nothing was read or written: the client may safely send the same request again.
      void sendProblem(reply, req, 503, 'server.overloaded', '当前请求过多，请稍后再试');
      return;
    }
    inFlight++;
    // 'close' comes once per response, sent or cut by the client, so the count cannot drift.
    reply.raw.once('close', () => inFlight--);
    done();
  });
  return { inFlight: () => inFlight };
}
