import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/**
 * Reads the version a client edits from `If-Match` (`"3"`, `W/"3"` or `3`).
 * Missing: 428, so that no client can overwrite blindly.
 */
export function expectedVersion(req: FastifyRequest): number {
  const raw = req.headers['if-match'];
  if (!raw) throw new AppError(428, 'request.precondition_required', '修改时须在 If-Match 请求头中提供记录的版本号');
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(raw).trim());
  if (!m) throw new AppError(400, 'request.invalid', 'If-Match 应为记录的版本号，例如 "3"');
  return Number(m[1]);
}

/** Sets the ETag of a versioned record. */
export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('ETag', `"${version}"`);
}

/** The stale-version error. */
export const staleVersion = () => new AppError(412, 'request.precondition_failed', '数据已被他人修改，请刷新后重试');
