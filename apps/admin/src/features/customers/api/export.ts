import { EXPORT_REASON_MIN_LENGTH } from '@qiaoliang/shared';
import { useRequestExport } from '../../../lib/export-jobs';
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

export { EXPORT_REASON_MIN_LENGTH };

/**
 * POST /api/customers/exports: asks for the .xlsx of the customers the filters find (masked
 * unless full phones are asked for with a fresh reason); the file is built in the background and
 * downloaded from the 导出任务 drawer.
 */
export function useExportCustomers() {
  return useRequestExport<ExportInput>('/api/customers/exports');
}
