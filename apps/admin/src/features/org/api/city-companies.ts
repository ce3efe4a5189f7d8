import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CityCompany, CityCompanyCreate, CityCompanyUpdate } from '@qiaoliang/shared';
import { api } from '../../../lib/api';
import { qk } from '../../../lib/query-keys';

/** POST /api/city-companies. (The list is a shared lookup: useCityCompanies.) */
export function useCreateCityCompany() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CityCompanyCreate) => api.post<CityCompany>('/api/city-companies', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.cityCompanies }),
  });
}

/** PATCH /api/city-companies/:id with the edited version. */
export function useUpdateCityCompany() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: CityCompanyUpdate }) =>
      api.patch<CityCompany>(`/api/city-companies/${id}`, version, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: qk.cityCompanies });
      // Projects show their city company's name.
      void queryClient.invalidateQueries({ queryKey: qk.projects });
    },
  });
}
