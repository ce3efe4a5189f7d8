import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CtiEvent, CtiEventResult } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/app-error.js';
import type { AuditContext } from '../../platform/audit.js';
import { CTI_ACTOR_NAME, handleCtiEvent } from './calls.service.js';
import { checkCtiSignature, CTI_SIGNATURE_HEADER_LC, CTI_TOLERANCE_SECONDS } from './cti.signature.js';

/** CTI events are a few hundred bytes; anything near this is not one. */
const CTI_BODY_LIMIT = 64 * 1024;

const REFUSAL: Record<string, string> = {
  missing: '缺少签名请求头 X-Qiaoliang-Signature',
  malformed: '签名请求头格式应为 t=<Unix 秒>,v1=<十六进制 HMAC-SHA256>',
  expired: `签名时间戳与服务器时间相差超过 ${CTI_TOLERANCE_SECONDS / 60} 分钟（重放或时钟不准），请检查电话系统的时钟`,
  mismatch: '签名不正确，请检查共享密钥与签名方法',
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a signed webhook's body (CTI routes only). */
    rawBody?: Buffer;
  }
}

/**
 * POST /api/cti/events: the telephony system's webhook (docs/hotline.md). In its own plugin
 * scope so that only this route keeps the raw body: the signature covers the exact bytes,
 * and re-serialized JSON would not match. Order: signature (401) → JSON (400) → schema (400)
 * → handler; nothing is recorded before the signature is verified.
 */
export async function ctiRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: CTI_BODY_LIMIT }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, body);
  });

  app.post<{ Body: CtiEvent }>('/api/cti/events', {
    config: { access: 'signed' },
    bodyLimit: CTI_BODY_LIMIT,
    schema: {
      tags: ['hotline'],
      summary: '电话系统（CTI）通话事件回调：振铃、接听、挂断',
      description: '以 HMAC-SHA256 共享密钥签名（请求头 X-Qiaoliang-Signature: t=<Unix 秒>,v1=<hex>，签名内容为 "t.原始请求体"）。同一通话的同一事件重复发送返回 409，不做任何更改。详见 docs/hotline.md。',
      security: [],
      body: CtiEvent,
      response: { 200: CtiEventResult },
    },
    preValidation: async (req) => {
      const raw = req.rawBody ?? Buffer.alloc(0);
      const check = checkCtiSignature(deps.config.ctiSecret, req.headers[CTI_SIGNATURE_HEADER_LC], raw, Math.floor(deps.clock.now().getTime() / 1000));
      if (!check.ok) {
        req.log.warn({ reason: check.reason }, 'CTI event refused: signature');
        throw new AppError(401, 'cti.invalid_signature', REFUSAL[check.reason], undefined, { 'WWW-Authenticate': 'QiaoliangSignature' });
      }
      try {
        req.body = JSON.parse(raw.toString('utf8')) as CtiEvent;
      } catch {
        throw new AppError(400, 'request.malformed_json', '请求内容不是有效的 JSON');
      }
    },
  }, async (req) => handleCtiEvent(deps, app.events, ctiAuditCtx(req), req.body));
}

/** Writes caused by the telephony system are attributed to it, with the webhook's address. */
function ctiAuditCtx(req: FastifyRequest): AuditContext {
  return { actorId: null, actorName: CTI_ACTOR_NAME, ip: req.ip ?? null, requestId: req.id };
}
