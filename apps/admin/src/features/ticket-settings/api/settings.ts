import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Severity, SlaPolicy, TicketCategory, TicketCategoryCreate, TicketCategoryUpdate, TicketType } from '@qiaoliang/shared';
import { api, request } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/ticket-categories (group admins). */
export function useCreateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TicketCategoryCreate) => api.post<TicketCategory>('/api/ticket-categories', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.ticketCategories }),
  });
}

/** PATCH /api/ticket-categories/:id with its version (name, sort, 启用/停用). */
export function useUpdateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: TicketCategoryUpdate }) =>
      api.patch<TicketCategory>(`/api/ticket-categories/${id}`, version, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.ticketCategories }),
  });
}

/** GET /api/sla-policies: the current version of every type × severity. */
export function useSlaPolicies() {
  return useQuery({
    queryKey: qk.slaPolicies,
    queryFn: ({ signal }) => api.get<SlaPolicy[]>('/api/sla-policies', undefined, signal),
  });
}

/** GET /api/sla-policies/:type/:severity/versions, newest first. */
export function useSlaPolicyVersions(type: TicketType, severity: Severity, enabled: boolean) {
  return useQuery({
    queryKey: qk.slaPolicyVersions(type, severity),
    queryFn: ({ signal }) => api.get<SlaPolicy[]>(`/api/sla-policies/${type}/${severity}/versions`, undefined, signal),
    enabled,
  });
}

/** PUT /api/sla-policies/:type/:severity with If-Match: the version edited; publishes the next one. */
export function usePublishPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ policy, spec }: { policy: SlaPolicy; spec: SlaPolicy['spec'] }) =>
      request<SlaPolicy>(`/api/sla-policies/${policy.type}/${policy.severity}`, { method: 'PUT', version: policy.versionNo, body: spec }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.slaPolicies }),
  });
}

export interface CalendarDay {
  date: string;
  working: boolean;
  name: string;
  source: 'official' | 'local' | string;
}

export interface CalendarYear {
  year: number;
  nextYear: number;
  nextYearMissing: boolean;
  days: CalendarDay[];
}

/** GET /api/calendar?year=: the days that differ from a Monday–Friday week. */
export function useCalendar(year: number) {
  return useQuery({
    queryKey: qk.calendarYear(year),
    queryFn: ({ signal }) => api.get<CalendarYear>('/api/calendar', { year }, signal),
  });
}

/** PUT /api/calendar/days/:date: a local closure or working day. */
export function useSetLocalDay() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ date, working, name }: { date: string; working: boolean; name: string }) =>
      request<void>(`/api/calendar/days/${date}`, { method: 'PUT', body: { working, name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.calendar }),
  });
}

/** DELETE /api/calendar/days/:date: back to the official calendar. */
export function useClearLocalDay() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (date: string) => request<void>(`/api/calendar/days/${date}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.calendar }),
  });
}
