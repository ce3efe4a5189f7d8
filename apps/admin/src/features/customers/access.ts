import type { Me, StaffRole } from '@qiaoliang/shared';
import { hasRole, useMe } from '../../lib/session';

/** Who registers and edits customers. */
export const CUSTOMER_WRITE: StaffRole[] = ['agent', 'supervisor', 'manager', 'admin'];
/** Who imports, exports and merges. */
export const CUSTOMER_BULK: StaffRole[] = ['supervisor', 'manager', 'admin'];

/** What the signed-in user may do in the owner archive (the server checks again). */
export function useCustomerAccess(): { me: Me | null | undefined; canWrite: boolean; canBulk: boolean } {
  const { data: me } = useMe();
  return { me, canWrite: hasRole(me, ...CUSTOMER_WRITE), canBulk: hasRole(me, ...CUSTOMER_BULK) };
}
