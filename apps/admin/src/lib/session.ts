import { useQuery } from '@tanstack/react-query';
import type { Me, StaffRole } from '@qiaoliang/shared';
import { isApiError, request } from './api';
import { qk } from './query-keys';

/** Fetches the signed-in user, or null when nobody is signed in. */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await request<Me>('/api/auth/me', { skipAuthRedirect: true, signal });
  } catch (err) {
    if (isApiError(err, 401)) return null;
    throw err;
  }
}

/** The signed-in user (null when signed out, undefined while loading). */
export function useMe() {
  return useQuery({
    queryKey: qk.me,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 5 * 60_000,
  });
}

/** True when the user holds one of the roles. */
export function hasRole(me: Me | null | undefined, ...roles: StaffRole[]): boolean {
  return !!me && roles.some((r) => me.roles.includes(r));
}

/** True when the signed-in user is an administrator (the only role that edits master data). */
export function useIsAdmin(): boolean {
  const { data } = useMe();
  return hasRole(data, 'admin');
}
