import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import type { AuditEntry } from '@qiaoliang/shared';
import { api, type CursorPage } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

export interface AuditFilters {
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  brokenAtSeq: number | null;
  reason: string | null;
}

const PAGE = 50;

/** GET /api/audit: newest first, one keyset page at a time (加载更多). */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: qk.audit(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<CursorPage<AuditEntry>>('/api/audit', { ...filters, cursor: pageParam, limit: PAGE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** GET /api/audit/verify: recomputes the hash chain (read-only, so a mutation that runs on demand). */
export function useVerifyAudit() {
  return useMutation({
    mutationFn: () => api.get<AuditVerifyResult>('/api/audit/verify'),
  });
}
