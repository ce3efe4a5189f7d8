import type { FieldError, Problem } from '@qiaoliang/shared';
import { T } from './texts';

/** An error answer of the API, parsed from its RFC 9457 problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  /** The raw response body (some endpoints answer an error status with a report). */
  readonly body: unknown;

  constructor(status: number, problem: Partial<Problem>, body: unknown = problem) {
    const title = problem.title ?? T.errors.unknown;
    super(problem.detail ?? title);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? 'unknown';
    this.title = title;
    this.detail = problem.detail;
    this.fieldErrors = problem.errors ?? [];
    this.body = body;
  }

  /** The sentence to show the user: the detail when the server gave one, else the title. */
  get text(): string {
    return this.detail ?? this.title;
  }
}

/** True when the error is an API error with the given HTTP status. */
export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  /** Multipart body; the browser sets its Content-Type with the boundary. */
  formData?: FormData;
  /** The record version the client edits, sent as `If-Match: "<version>"`. */
  version?: number;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
  /** Error statuses whose body is still the answer (e.g. an import report with 422). */
  okStatuses?: number[];
  /** Do not treat 401 as an expired session (login, the session probe). */
  skipAuthRedirect?: boolean;
  signal?: AbortSignal;
}

let unauthorizedHandler: (() => void) | null = null;

/** Registers what happens when a request finds the session gone (the app shows the login). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/** Builds `/api/...?a=1` leaving out empty parameters. */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readBody(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined;
  if (type.includes('json')) {
    try {
      return await res.json();
    } catch {
      return undefined;
    }
  }
  const text = await res.text();
  return text || undefined;
}

function toProblem(status: number, body: unknown): Partial<Problem> {
  const problem: Partial<Problem> =
    body && typeof body === 'object' && ('title' in body || 'code' in body) ? (body as Partial<Problem>) : {};
  if (status === 412 && !problem.detail) return { ...problem, title: problem.title ?? T.errors.stale, detail: T.errors.stale };
  return problem;
}

/**
 * Calls the API. Sends the CSRF header and JSON content type on writes, the version in
 * If-Match, the session cookie; turns problem+json answers into ApiError.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (method !== 'GET') {
    headers['X-Requested-With'] = 'XMLHttpRequest';
    if (options.formData) {
      body = options.formData;
    } else {
      headers['Content-Type'] = 'application/json';
      // Fastify rejects an empty JSON body, so commands without input send an empty object.
      body = JSON.stringify(options.body ?? {});
    }
  }
  if (options.version !== undefined) headers['If-Match'] = `"${options.version}"`;
  if (options.headers) Object.assign(headers, options.headers);

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { code: 'network', title: T.errors.network });
  }

  const data = await readBody(res);
  if (res.ok || options.okStatuses?.includes(res.status)) return data as T;

  const error = new ApiError(res.status, toProblem(res.status, data), data);
  if (res.status === 401 && !options.skipAuthRedirect) unauthorizedHandler?.();
  throw error;
}

/** Shorthands for the usual calls. */
export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown, extra: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    request<T>(path, { ...extra, method: 'POST', body }),
  patch: <T>(path: string, version: number, body: unknown) =>
    request<T>(path, { method: 'PATCH', version, body }),
};

/** A page of a page-numbered list. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A page of a keyset-paginated list. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}
