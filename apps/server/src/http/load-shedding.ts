import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem-handler.js';

/** Requests that stay open for a long time by design and are not work in progress. */
const LONG_LIVED = new Set(['/api/events/stream']);
/** How often the event loop's delay is sampled, and how long a bad sample keeps the gate shut. */
const SAMPLE_MS = 50;
const HOLD_MS = 1_000;

/**
 * Over capacity the server answers 503 with Retry-After at once instead of letting requests
 * queue until clients time out (a flood of calls must not take the service down). Two signs:
 * - more than `maxInFlight` API requests in progress (from arrival until the response is sent
 *   or the connection closes);
 * - the event loop running more than `maxEventLoopDelayMs` late: a CPU-bound server (SQLite
 *   runs on this thread) queues requests before it even reads them, so counting the ones in
 *   progress never sees the queue; for a second after such a delay new requests are turned away.
 * Turned-away requests did no session, body or database work. Health stays answerable.
 */
export function registerLoadShedding(app: FastifyInstance, opts: { maxInFlight: number; maxEventLoopDelayMs: number; retryAfterSeconds?: number }): { inFlight: () => number } {
  let inFlight = 0;
  let overloadedUntil = 0;
  let sampler: NodeJS.Timeout | null = null;
  // Sampling starts once the app is ready: compiling the routes' schemas at start is itself a
  // long synchronous stretch and must not shut the gate on the first requests.
  app.addHook('onReady', (done) => {
    let expected = performance.now() + SAMPLE_MS;
    sampler = setInterval(() => {
      const now = performance.now();
      if (now - expected > opts.maxEventLoopDelayMs) overloadedUntil = now + HOLD_MS;
      expected = now + SAMPLE_MS;
    }, SAMPLE_MS);
    sampler.unref();
    done();
  });
  app.addHook('onClose', (_app, done) => {
    if (sampler) clearInterval(sampler);
    done();
  });

  app.addHook('onRequest', (req, reply, done) => {
    // The matched route, not the URL text: `/%61pi/…` is an /api request too.
    const path = req.routeOptions.url;
    if (path === undefined || !path.startsWith('/api/') || path === '/api/health' || LONG_LIVED.has(path)) return done();
    if (inFlight >= opts.maxInFlight || performance.now() < overloadedUntil) {
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
