import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Select, Statistic, Typography, Upload } from 'antd';
import type { ImportRowError } from '@qiaoliang/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ImportErrorTable } from '../../../components/imports/ImportErrorTable';
import { PageHeader } from '../../../components/PageHeader';
import { useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { uploadWithProgress } from '../../../lib/upload';
import { useApiErrorHandler } from '../../../lib/use-api-error';

interface Report {
  dryRun: boolean;
  totalRows: number;
  validRows: number;
  imported: number;
  errors: ImportRowError[];
}

/**
 * 导入历史工单 (docs/ticket-import.md): supervisors, managers and admins upload the previous
 * system's tickets of a project, check them first (nothing written), then import. Errors stay
 * on the page as a table and can be downloaded.
 */
export function TicketImportPage() {
  const projects = useProjectOptions();
  const onError = useApiErrorHandler();
  const [projectId, setProjectId] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const run = useMutation({
    mutationFn: ({ dryRun }: { dryRun: boolean }) => {
      const formData = new FormData();
      formData.append('file', file!, file!.name);
      return uploadWithProgress<Report>(`/api/projects/${projectId}/tickets/import`, { query: { dryRun }, formData, okStatuses: [422] });
    },
    onSuccess: setReport,
    onError: (e) => onError(e),
  });
  const ready = Boolean(projectId && file);
  return (
    <>
      <PageHeader title={T.console.importTitle}>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {T.console.importIntro}
        </Typography.Paragraph>
      </PageHeader>
      <Card size="small" style={{ maxWidth: 960, marginBottom: 16 }}>
        <Form layout="vertical">
          <Form.Item label={T.console.importProject} required>
            <Select
              aria-label={T.console.importProject}
              value={projectId}
              onChange={(v: string) => {
                setProjectId(v);
                setReport(null);
              }}
              showSearch={{ optionFilterProp: 'label' }}
              loading={projects.isLoading}
              options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
              style={{ maxWidth: 320 }}
            />
          </Form.Item>
          <Form.Item label={T.console.importFile} required extra={T.console.importFileHint}>
            <Upload
              accept=".xlsx,.csv"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                setReport(null);
                return false;
              }}
              onRemove={() => setFile(null)}
            >
              <Button icon={<UploadOutlined />}>{T.console.importChoose}</Button>
            </Upload>
          </Form.Item>
          <Flex gap={8}>
            <Button disabled={!ready} loading={run.isPending && run.variables?.dryRun} onClick={() => run.mutate({ dryRun: true })}>
              {T.console.importCheck}
            </Button>
            <Button type="primary" disabled={!ready} loading={run.isPending && !run.variables?.dryRun} onClick={() => run.mutate({ dryRun: false })}>
              {T.console.importRun}
            </Button>
          </Flex>
        </Form>
      </Card>
      {report ? (
        <Card size="small" style={{ maxWidth: 960 }}>
          <Flex justify="space-around" wrap gap={16} style={{ marginBottom: 12 }}>
            <Statistic title={T.console.importTotal} value={report.totalRows} />
            <Statistic title={T.console.importValid} value={report.validRows} />
            <Statistic title={T.console.importImported} value={report.imported} />
          </Flex>
          {report.errors.length ? (
            <>
              <Alert type="error" showIcon title={T.console.importFailed(report.errors.length)} style={{ marginBottom: 12 }} />
              <ImportErrorTable errors={report.errors} fileName={`${T.console.importErrors}-${file?.name ?? ''}`} />
            </>
          ) : (
            <Alert type="success" showIcon title={report.dryRun ? T.console.importCheckedOk(report.validRows) : T.console.importDone(report.imported)} />
          )}
        </Card>
      ) : null}
    </>
  );
}
