/**
 * Query keys of the single window, spread into `qk` by query-keys.ts (use `qk.…`). Each key
 * starts with its resource, so invalidating the first element refreshes all its variants.
 */
export const ticketKeys = {
  tickets: ['tickets'] as const,
  ticketList: (params: object) => ['tickets', 'list', params] as const,
  ticket: (id: string) => ['tickets', 'detail', id] as const,
  workOrders: ['work-orders'] as const,
  workOrderList: (params: object) => ['work-orders', 'list', params] as const,
  workOrder: (id: string) => ['work-orders', 'detail', id] as const,
  ticketCategories: ['ticket-categories'] as const,
  ticketCategoryList: (type: string | undefined) => ['ticket-categories', type ?? 'all'] as const,
  slaPolicies: ['sla-policies'] as const,
  slaPolicyVersions: (type: string, severity: string) => ['sla-policies', 'versions', type, severity] as const,
  replyTemplates: ['reply-templates'] as const,
  replyTemplateList: (params: object) => ['reply-templates', 'list', params] as const,
  calendar: ['calendar'] as const,
  calendarYear: (year: number) => ['calendar', year] as const,
  k1: ['k1'] as const,
  k1Report: (params: object) => ['k1', 'report', params] as const,
  k1Records: (params: object) => ['k1', 'records', params] as const,
  calls: ['calls'] as const,
  callList: (params: object) => ['calls', 'list', params] as const,
  activeCall: ['calls', 'active'] as const,
  callBacks: ['call-back-tasks'] as const,
  callBackList: (params: object) => ['call-back-tasks', 'list', params] as const,
  handOverCandidates: (projectId: string) => ['tickets', 'hand-over-candidates', projectId] as const,
};
