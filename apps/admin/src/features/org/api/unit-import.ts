import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UnitImportReport } from '@qiaoliang/shared';
import { uploadWithProgress, type UploadStage } from '../../../lib/upload';
import { qk } from '../../../lib/query-keys';

/**
 * POST /api/projects/:id/units/import?dryRun=…, multipart field `file`.
 * 422 answers the same report listing the rejected rows (nothing imported).
 */
export function useImportUnits(projectId: string, onStage?: (s: UploadStage) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const formData = new FormData();
      formData.append('file', file, file.name);
      return uploadWithProgress<UnitImportReport>(`/api/projects/${projectId}/units/import`, {
        query: { dryRun },
        formData,
        okStatuses: [422],
        ...(onStage ? { onStage } : {}),
      });
    },
    onSuccess: (report) => {
      if (report.dryRun) return;
      void queryClient.invalidateQueries({ queryKey: qk.units });
      void queryClient.invalidateQueries({ queryKey: qk.buildings(projectId) });
      void queryClient.invalidateQueries({ queryKey: qk.projects });
    },
  });
}

/** The import template: the header row only, with a BOM so that Excel reads it as UTF-8. */
export const UNIT_IMPORT_COLUMNS = ['楼栋', '单元', '楼层', '房号', '建筑面积', '户型'] as const;

/** Makes the browser save the CSV template. */
export function downloadUnitTemplate(fileName: string): void {
  const csv = `\uFEFF${UNIT_IMPORT_COLUMNS.join(',')}\r\n`;
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
