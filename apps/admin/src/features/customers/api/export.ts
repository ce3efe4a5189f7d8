import { useMutation } from '@tanstack/react-query';
import { ApiError, buildUrl } from '../../../lib/api';
import { T } from '../../../lib/texts';
import type { CustomerFilters } from './customers';

/** Makes the browser save a blob under a file name. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export interface ExportInput extends CustomerFilters {
  revealPhones?: boolean;
  reason?: string;
}

/**
 * GET /api/customers/export: the .xlsx of the customers the filters find (masked unless
 * full phones are asked for with a reason). Errors come back as problem+json.
 */
export async function exportCustomers(input: ExportInput): Promise<void> {
  let res: Response;
  try {
    res = await fetch(buildUrl('/api/customers/export', { ...input }), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'network', title: T.errors.network });
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw new ApiError(res.status, body && typeof body === 'object' ? body : {}, body);
  }
  saveBlob(await res.blob(), T.customerExport.file);
}

/** The export as a mutation (pending state, error handling). */
export function useExportCustomers() {
  return useMutation({ mutationFn: exportCustomers });
}
