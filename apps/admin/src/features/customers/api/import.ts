import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CustomerImportReport } from '@qiaoliang/shared';
import { uploadWithProgress, type UploadStage } from '../../../lib/upload';
import { qk } from '../../../lib/query-keys';
import { saveBlob } from './export';

/**
 * The fields of the customer import and the headers the server recognizes for each
 * (apps/server customers.import.ts CUSTOMER_IMPORT_COLUMNS; kept in step by hand).
 */
export const IMPORT_FIELDS = [
  { key: 'name', label: '姓名', required: true, names: ['姓名', '客户姓名', '业主姓名', 'name'] },
  { key: 'phones', label: '手机号', required: false, names: ['手机号', '手机', '电话', '联系电话', 'phone', 'phones'] },
  { key: 'idNumber', label: '身份证号', required: false, names: ['身份证号', '身份证', '证件号码', 'idnumber'] },
  { key: 'kind', label: '客户类型', required: false, names: ['客户类型', '类型', 'kind'] },
  { key: 'building', label: '楼栋', required: false, names: ['楼栋', '楼号', 'building'] },
  { key: 'entrance', label: '单元', required: false, names: ['单元', 'entrance'] },
  { key: 'room', label: '房号', required: false, names: ['房号', '房间号', 'room'] },
  { key: 'relation', label: '关系', required: false, names: ['关系', '房屋关系', 'relation'] },
  { key: 'share', label: '产权份额', required: false, names: ['产权份额', '份额', 'share'] },
  { key: 'contractNo', label: '合同编号', required: false, names: ['合同编号', '合同号', 'contractno'] },
  { key: 'contractDate', label: '签约日期', required: false, names: ['签约日期', 'contractdate'] },
  { key: 'contractedHandoverDate', label: '合同交付日期', required: false, names: ['合同交付日期', '约定交付日期', 'contractedhandoverdate'] },
  { key: 'actualHandoverDate', label: '实际交付日期', required: false, names: ['实际交付日期', '交付日期', 'actualhandoverdate'] },
  { key: 'warrantyStartDate', label: '保修起始日期', required: false, names: ['保修起始日期', '保修开始日期', 'warrantystartdate'] },
  { key: 'email', label: '邮箱', required: false, names: ['邮箱', '电子邮箱', 'email'] },
  { key: 'wechatId', label: '微信号', required: false, names: ['微信号', '微信', 'wechat'] },
  { key: 'address', label: '通讯地址', required: false, names: ['通讯地址', '地址', 'address'] },
  { key: 'vip', label: 'VIP', required: false, names: ['VIP', '是否VIP', 'vip'] },
  { key: 'notes', label: '备注', required: false, names: ['备注', 'notes'] },
  { key: 'archiveCreatedAt', label: '建档时间', required: false, names: ['建档时间', '建档日期', 'archivecreatedat'] },
  { key: 'archiveConfirmedAt', label: '最近确认时间', required: false, names: ['最近确认时间', '最近确认日期', '档案确认时间', 'archiveconfirmedat'] },
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number]['key'];

/** A header as the server compares it: no spaces, lower case. */
export const normalizeHeader = (h: string): string => h.replace(/\s+/g, '').toLowerCase();

/** The header the server would pick for each field without a mapping (null: none). */
export function autoMapping(headers: string[]): Record<ImportField, string | null> {
  const out = {} as Record<ImportField, string | null>;
  for (const f of IMPORT_FIELDS) {
    out[f.key] = headers.find((h) => f.names.some((n) => n.toLowerCase() === normalizeHeader(h))) ?? null;
  }
  return out;
}

export interface ImportInput {
  projectId: string;
  file: File;
  dryRun: boolean;
  validOnly: boolean;
  /** Field → header, only where the user chose a column the server would not find itself. */
  mapping: Partial<Record<ImportField, string>>;
}

/**
 * POST /api/projects/:id/customers/import?dryRun&validOnly&mapping, multipart `file`.
 * 422 answers the same report (rows with errors, nothing imported).
 */
export function useImportCustomers(onStage?: (s: UploadStage) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ projectId, file, dryRun, validOnly, mapping }: ImportInput) => {
      const formData = new FormData();
      formData.append('file', file, file.name);
      const hasMapping = Object.keys(mapping).length > 0;
      return uploadWithProgress<CustomerImportReport>(`/api/projects/${projectId}/customers/import`, {
        query: { dryRun, validOnly: validOnly || undefined, mapping: hasMapping ? JSON.stringify(mapping) : undefined },
        formData,
        okStatuses: [422],
        ...(onStage ? { onStage } : {}),
      });
    },
    onSuccess: (report) => {
      if (!report.imported) return;
      void queryClient.invalidateQueries({ queryKey: qk.customers });
      void queryClient.invalidateQueries({ queryKey: qk.archiveRate });
    },
  });
}

/** The template: the header row only, UTF-8 with a BOM so that Excel reads it. */
export function downloadCustomerTemplate(fileName: string): void {
  const csv = `\uFEFF${IMPORT_FIELDS.map((f) => f.label).join(',')}\r\n`;
  saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), fileName);
}
