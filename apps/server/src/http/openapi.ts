import { ProblemSchema } from '@qiaoliang/shared';
import type { FastifySchema, RouteOptions } from 'fastify';
import type { Access } from './access.js';

/*
 * The API contract's error side (security finding 9): every operation of the OpenAPI document
 * lists the problem+json answers it can give, with one shared Problem schema, and documents the
 * multipart body of an upload. Docs only: what is added here never validates or serializes a
 * request (`swagger.transform` hands @fastify/swagger a copy of the route's schema).
 *
 * Which statuses an operation can answer follows from what the route declares: its access rule,
 * method, parameters, the If-Match header, a rate limit, an upload; a route adds what only its
 * handler knows with `config.problems` (410 for a closed survey, 422 for a refused import).
 * reliability/status-conformance.test.ts sends bad requests to every operation and checks the
 * answers against this.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error statuses the handler gives beyond those its declarations imply (see http/openapi.ts). */
    problems?: readonly number[];
  }
}

/** Chinese descriptions of the error statuses, as the OpenAPI document shows them. */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: '请求参数有误：字段错误列在 errors 中；请求内容不是有效的 JSON；含空字符',
  401: '未登录、登录已过期，或用户名或密码错误（登录）；电话系统签名无效',
  403: '角色或数据范围不允许；缺少 X-Requested-With 或来源不是本站（CSRF）；须先修改密码',
  404: '记录不存在或不在您的数据范围内',
  409: '与当前数据冲突（状态不允许、重复、已处理）',
  410: '已结束',
  412: 'If-Match 中的版本已过期：记录已被他人修改，请刷新后重试',
  413: '请求内容超过大小限制',
  414: '请求地址过长',
  415: '不支持的内容类型（JSON 接口须 application/json；上传须 multipart/form-data）',
  422: '内容无法处理',
  428: '缺少 If-Match 请求头（所修改记录的版本号）',
  429: '请求过于频繁：稍后再试（见 Retry-After）',
  503: '服务繁忙或数据库暂不可用：稍后再试（见 Retry-After）',
};

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

interface RouteSchema {
  params?: unknown;
  body?: unknown;
  headers?: { properties?: Record<string, unknown> };
  consumes?: string[];
  response?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The error statuses an operation can answer, from what its route declares. */
export function problemStatuses(route: Pick<RouteOptions, 'method' | 'url' | 'config'> & { schema?: RouteSchema }): number[] {
  const method = String(route.method).toUpperCase();
  const config = (route.config ?? {}) as { access?: Access; rateLimit?: unknown; problems?: readonly number[] };
  const access = config.access ?? 'authenticated';
  const schema = route.schema ?? {};
  const out = new Set<number>([400, 503]);
  const write = !SAFE.has(method);
  if (access !== 'public' && access !== 'signed') [401, 403, 404].forEach((s) => out.add(s));
  if (access === 'signed') out.add(401);
  if (write) {
    [409, 413, 415].forEach((s) => out.add(s));
    if (access !== 'signed') out.add(403);
  }
  if (/[:*]/.test(route.url)) [404, 414].forEach((s) => out.add(s));
  if (schema.headers?.properties && 'if-match' in schema.headers.properties) [412, 428].forEach((s) => out.add(s));
  if (config.rateLimit) out.add(429);
  for (const s of config.problems ?? []) out.add(s);
  return [...out].sort((a, b) => a - b);
}

/** The multipart body of an upload route (one file in the field `file`). */
const MULTIPART_BODY = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: '上传的文件（字段名 file）' } },
};

/** `swagger.transform`: the route's documented schema with its error answers and upload body. */
export function documentRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  const s = { ...((schema ?? {}) as RouteSchema) };
  if (s.hide) return { schema, url };
  if (!s.body && s.consumes?.includes('multipart/form-data')) s.body = MULTIPART_BODY;
  // Handed to documentProblems below through an extension key @fastify/swagger copies as is.
  s['x-problems'] = problemStatuses({ method: route.method, url: route.url, config: route.config, schema: s });
  return { schema: s, url };
}

/**
 * `swagger.transformObject`: one Problem component, and on every operation a problem+json
 * response referring to it for each status the route can answer (unless the route documents
 * that status itself, like an import's 422 report).
 */
/** The generated OpenAPI document, walked as plain JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON of @fastify/swagger
type OpenApiJson = Record<string, any>;

export function documentProblems(documentObject: { openapiObject?: unknown } | { swaggerObject?: unknown }): OpenApiJson {
  const doc = structuredClone((documentObject as { openapiObject: OpenApiJson }).openapiObject);
  doc.components ??= {};
  doc.components.schemas = { ...(doc.components.schemas ?? {}), Problem: JSON.parse(JSON.stringify(ProblemSchema)) as object };
  for (const ops of Object.values(doc.paths ?? {}) as OpenApiJson[]) {
    for (const op of Object.values(ops)) {
      if (!op || typeof op !== 'object' || !Array.isArray(op['x-problems'])) continue;
      for (const status of op['x-problems'] as number[]) {
        op.responses[String(status)] ??= {
          description: PROBLEM_DESCRIPTIONS[status] ?? 'problem+json',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: '多少秒后再试', schema: { type: 'integer' } } } } : {}),
        };
      }
      delete op['x-problems'];
    }
  }
  return doc;
}
