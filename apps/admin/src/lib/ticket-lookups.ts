import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CallBackTask, Severity, TicketCategory, TicketStatus, TicketSummary, TicketType } from '@qiaoliang/shared';
import { api, type CursorPage } from './api';
import { qk } from './query-keys';

/**
 * Ticket lists several features need (the workbench, the ticket list, the hotline console):
 * the keyset-paged queues, the category tree, the call-back tasks.
 */

/** The queues of GET /api/tickets: mine (I own them), my team's (my projects), by deadline; all, newest first. */
export type TicketView = 'mine' | 'team' | 'due_soon' | 'overdue' | 'waiting' | 'all';

export interface TicketListParams {
  view: TicketView;
  status?: TicketStatus[];
  type?: TicketType;
  severity?: Severity;
  projectId?: string;
  customerId?: string;
  q?: string;
}

/** `/api/tickets?…` with repeated `status` parameters and without empty ones. */
export function ticketListPath(params: TicketListParams & { cursor?: string; limit?: number }): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `/api/tickets?${qs}` : '/api/tickets';
}

/** One queue, page by page ("加载更多"). */
export function useTicketQueue(params: TicketListParams, options: { limit?: number; enabled?: boolean } = {}) {
  const limit = options.limit ?? 50;
  return useInfiniteQuery({
    queryKey: qk.ticketList({ ...params, limit }),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<CursorPage<TicketSummary>>(ticketListPath({ ...params, cursor: pageParam, limit }), undefined, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
  });
}

/** The categories of a type (or of all types), flat with their parentId and path. */
export function useTicketCategories(type?: TicketType) {
  return useQuery({
    queryKey: qk.ticketCategoryList(type),
    queryFn: ({ signal }) => api.get<TicketCategory[]>('/api/ticket-categories', { type }, signal),
    staleTime: 5 * 60_000,
  });
}

export interface CategoryNode {
  value: string;
  label: string;
  active: boolean;
  category: TicketCategory;
  children?: CategoryNode[];
}

/** Builds the tree of a flat category list, siblings by sort then name. */
export function categoryTree(items: TicketCategory[], activeOnly = false): CategoryNode[] {
  const list = activeOnly ? items.filter((c) => c.active) : items;
  const ids = new Set(list.map((c) => c.id));
  const byParent = new Map<string | null, TicketCategory[]>();
  for (const c of list) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  const build = (parent: string | null): CategoryNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name, 'zh-CN'))
      .map((c) => {
        const children = build(c.id);
        return { value: c.id, label: c.name, active: c.active, category: c, ...(children.length ? { children } : {}) };
      });
  return build(null);
}


export interface CallBackParams {
  view?: 'mine' | 'pool' | 'all';
  status?: 'open' | 'done' | 'cancelled';
}

/** GET /api/call-back-tasks: missed calls to call back, by deadline, page by page. */
export function useCallBackTasks(params: CallBackParams, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: qk.callBackList(params),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<CursorPage<CallBackTask>>('/api/call-back-tasks', { ...params, cursor: pageParam, limit: 50 }, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
  });
}
