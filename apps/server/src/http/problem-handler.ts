import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DATE_PATTERN, DATE_RANGE, ERROR_TITLES, INSTANT_PATTERN, type ErrorCode, type FieldError, type Problem } from '@qiaoliang/shared';
import { AppError } from './app-error.js';

const PROBLEM_TYPE = 'https://qiaoliang.dev/problems/';

/** Sends an RFC 9457 problem+json body. */
export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: ErrorCode,
  detail?: string,
  errors?: FieldError[],
): FastifyReply {
  const body: Problem = {
    type: PROBLEM_TYPE + code,
    title: ERROR_TITLES[code],
    status,
    code,
    ...(detail ? { detail } : {}),
    instance: req.url.split('?')[0],
    requestId: req.id,
    ...(errors?.length ? { errors } : {}),
  };
  return reply.status(status).type('application/problem+json; charset=utf-8').send(body);
}

/**
 * Answers what the HTTP parser refuses before there is a request (Fastify's clientErrorHandler):
 * a URL or headers over the 16 KB limit (431), a request that took too long (408), anything
 * malformed (400), as problem+json like every other error instead of Fastify's own JSON.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, detail]: [number, string, ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'request.headers_too_large', '请求地址或请求头超过 16 KB']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'request.timeout', '请求未在规定时间内发送完毕']
        : [400, 'Bad Request', 'request.invalid', '无法解析的 HTTP 请求'];
  const body: Problem = { type: PROBLEM_TYPE + code, title: ERROR_TITLES[code], status, code, detail };
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
    `Cache-Control: no-store\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Chinese text for the JSON-schema keywords Ajv reports. */
function fieldMessage(e: { keyword: string; params: Record<string, unknown>; message?: string }): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required': return '必填';
    case 'additionalProperties': return `不允许的字段 ${String(p.additionalProperty)}`;
    case 'type': return `类型应为 ${String(p.type)}`;
    case 'minLength': return `长度至少 ${String(p.limit)} 个字符`;
    case 'maxLength': return `长度不能超过 ${String(p.limit)} 个字符`;
    case 'minimum': return `不能小于 ${String(p.limit)}`;
    case 'maximum': return `不能大于 ${String(p.limit)}`;
    case 'exclusiveMinimum': return `必须大于 ${String(p.limit)}`;
    case 'pattern':
      if (p.pattern === DATE_PATTERN) return `日期应为 ${DATE_RANGE.min} 至 ${DATE_RANGE.max} 之间的 YYYY-MM-DD`;
      if (p.pattern === INSTANT_PATTERN) return `时间应在 ${DATE_RANGE.min} 至 ${DATE_RANGE.max} 之间`;
      return '格式不正确';
    case 'format': return `格式应为 ${String(p.format)}`;
    case 'enum': case 'const': case 'anyOf': return '取值不在允许范围内';
    case 'minItems': return `至少 ${String(p.limit)} 项`;
    case 'maxItems': return `最多 ${String(p.limit)} 项`;
    case 'uniqueItems': return '不能有重复项';
    default: return e.message ?? '无效';
  }
}

/**
 * Maps every error the app can raise to problem+json; 5xx bodies reveal nothing. With
 * `spaIndex`, unknown non-API GETs of pages get the admin UI's index.html (client routes).
 */
export function registerProblemHandler(app: FastifyInstance, opts: { spaIndex?: boolean; portalDist?: string | null } = {}): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return sendProblem(reply, req, err.status, err.code, err.detail, err.errors);
    }
    const fe = err as FastifyError & { validation?: Array<{ keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }>; validationContext?: string };
    if (fe.validation) {
      // A route that declares If-Match (IfMatchHeader) answers its absence as every update does: 428.
      if (fe.validationContext === 'headers' && fe.validation.every((v) => v.keyword === 'required' && v.params.missingProperty === 'if-match')) {
        return sendProblem(reply, req, 428, 'request.precondition_required', '修改时须在 If-Match 请求头中提供记录的版本号');
      }
      const seen = new Set<string>();
      const errors: FieldError[] = [];
      for (const v of fe.validation) {
        let field = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        if (v.keyword === 'required') field = [field, String(v.params.missingProperty)].filter(Boolean).join('.');
        if (v.keyword === 'additionalProperties') field = [field, String(v.params.additionalProperty)].filter(Boolean).join('.');
        const key = `${field}:${v.keyword}`;
        if (seen.has(key) || v.keyword === 'anyOf' && seen.size) continue;
        seen.add(key);
        errors.push({ field: field || fe.validationContext || 'body', message: fieldMessage(v) });
      }
      return sendProblem(reply, req, 400, 'request.invalid', '请检查标出的字段', errors);
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, req, 400, 'request.malformed_json', '请求内容不是有效的 JSON');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, req, 415, 'request.unsupported_media_type', '请使用 application/json');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
        return sendProblem(reply, req, 413, 'request.too_large', '请求内容超过大小限制');
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return sendProblem(reply, req, 415, 'request.unsupported_media_type', '请以 multipart/form-data 上传文件');
    }
    if (fe.statusCode === 429) {
      return sendProblem(reply, req, 429, 'request.rate_limited', '请求过于频繁，请稍后再试');
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(reply, req, fe.statusCode, 'request.invalid', '请求无法处理');
    }
    if (isDatabaseUnavailable(err)) {
      req.log.error({ err }, 'database unavailable');
      reply.header('Retry-After', '5');
      return sendProblem(reply, req, 503, 'server.unavailable', '数据库暂时不可用，请稍后再试');
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, 500, 'server.internal', `请联系管理员并提供请求编号 ${req.id}`);
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // Anything that looks like an API path however written (`//api/…`, `/API/…`, `/x/../api/…`)
    // is a 404 problem, never the UI shell: a client must not mistake it for an answer.
    const page = req.method === 'GET' && !/\/api(\/|%2f|$)/i.test(path) && !/\.[a-z0-9]+$/i.test(path);
    // The owner portal's client routes (/portal/…) get the portal's own index.html.
    if (opts.portalDist && page && /^\/portal(\/|$)/.test(path)) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html', opts.portalDist);
    }
    if (opts.spaIndex && page) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, req, 404, 'request.not_found', `${req.method} ${path} 不存在`);
  });
}

/** Connection-level failures of either database: the client should retry later. */
function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001', 'SQLITE_BUSY'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i.test((err as Error)?.message ?? '');
}
