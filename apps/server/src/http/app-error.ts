import { ERROR_TITLES, type ErrorCode, type FieldError } from '@qiaoliang/shared';

/** A failure the client can act on; mapped once to RFC 9457 problem+json. */
export class AppError extends Error {
  readonly title: string;
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? ERROR_TITLES[code]);
    this.title = ERROR_TITLES[code];
    this.name = 'AppError';
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new AppError(400, 'request.invalid', detail, errors);
export const unauthenticated = (detail?: string) => new AppError(401, 'auth.unauthenticated', detail);
export const forbidden = (detail = '您的角色或数据范围不允许此操作') => new AppError(403, 'access.forbidden', detail);
export const notFound = (detail = '记录不存在或不在您的数据范围内') => new AppError(404, 'resource.not_found', detail);
export const conflict = (code: ErrorCode, detail: string, errors?: FieldError[]) => new AppError(409, code, detail, errors);

/**
 * Runs a lookup of a record the request refers to; when it is missing or out of scope (404),
 * the request itself is at fault: `onMissing` says how. Anything else (a database that is
 * down) stays what it is, so a 503 is never reported to the client as a bad reference.
 */
export async function referenced<T>(lookup: Promise<T>, onMissing: () => AppError): Promise<T> {
  try {
    return await lookup;
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw onMissing();
    throw err;
  }
}
