import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Collapse, Flex, Modal, Select, Statistic, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { CustomerImportReport, ImportRowError } from '@qiaoliang/shared';
import { useEffect, useMemo, useState } from 'react';
import { isApiError } from '../../../lib/api';
import { useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { readHeaders } from '../api/headers';
import type { UploadStage } from '../../../lib/upload';
import { ImportProgress } from '../../../components/ImportProgress';
import { ImportErrorTable } from '../../../components/imports/ImportErrorTable';
import { autoMapping, downloadCustomerTemplate, IMPORT_FIELDS, normalizeHeader, useImportCustomers, type ImportField } from '../api/import';

function RowTable({ rows }: { rows: ImportRowError[] }) {
  return (
    <Table<ImportRowError>
      size="small"
      rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
      dataSource={rows}
      pagination={rows.length > 8 ? { pageSize: 8, showSizeChanger: false, size: 'small' } : false}
      columns={[
        { title: T.customerImport.row, dataIndex: 'row', width: 70 },
        { title: T.customerImport.column, dataIndex: 'column', width: 120 },
        { title: T.customerImport.message, dataIndex: 'message' },
      ]}
    />
  );
}

function ImportReport({ report }: { report: CustomerImportReport }) {
  const dry = !report.imported;
  const errorRows = new Set(report.errors.map((e) => e.row)).size;
  const tabs = [];
  if (report.errors.length) {
    tabs.push({ key: 'errors', label: `${T.customerImport.errors}（${report.errors.length}）`, children: <ImportErrorTable errors={report.errors} fileName={T.console.importErrors} /> });
  }
  if (report.warnings.length) {
    tabs.push({ key: 'warnings', label: `${T.customerImport.warnings}（${report.warnings.length}）`, children: <RowTable rows={report.warnings} /> });
  }
  return (
    <>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex justify="space-around" wrap gap={16}>
          <Statistic title={T.customerImport.totalRows} value={report.totalRows} />
          <Statistic title={T.customerImport.validRows} value={report.validRows} />
          <Statistic title={dry ? T.customerImport.willCreate : T.customerImport.created} value={report.created} />
          <Statistic title={dry ? T.customerImport.willMatch : T.customerImport.matched} value={report.matched} />
          <Statistic title={dry ? T.customerImport.willLink : T.customerImport.linked} value={report.linkedUnits} />
        </Flex>
      </Card>
      {report.errors.length ? (
        <Alert type="error" showIcon title={T.customerImport.errorsTitle(report.errors.length, errorRows)} style={{ marginBottom: 12 }} />
      ) : (
        <Alert type="success" showIcon title={T.customerImport.ok} style={{ marginBottom: 12 }} />
      )}
      {report.warnings.length && !report.errors.length ? (
        <Alert type="warning" showIcon title={T.customerImport.warningsTitle(report.warnings.length)} style={{ marginBottom: 12 }} />
      ) : null}
      {tabs.length ? <Tabs size="small" items={tabs} /> : null}
    </>
  );
}

/** 列对应: the detected headers against the fields; a choice overrides the automatic match. */
function MappingTable({
  headers,
  mapping,
  onChange,
}: {
  headers: string[];
  mapping: Partial<Record<ImportField, string>>;
  onChange: (m: Partial<Record<ImportField, string>>) => void;
}) {
  const auto = useMemo(() => autoMapping(headers), [headers]);
  const used = new Set(IMPORT_FIELDS.map((f) => mapping[f.key] ?? auto[f.key]).filter(Boolean));
  const unused = headers.filter((h) => !used.has(h));
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {T.customerImport.mappingHint}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ y: 260 }}
        dataSource={IMPORT_FIELDS.map((f) => ({ ...f }))}
        columns={[
          {
            title: T.customerImport.mappingField,
            dataIndex: 'label',
            width: 160,
            render: (label: string, f) => (
              <>
                {label}
                {f.required ? <Tag color="red" style={{ marginInlineStart: 6 }}>{T.customerImport.required}</Tag> : null}
              </>
            ),
          },
          {
            title: T.customerImport.mappingHeader,
            key: 'header',
            render: (_, f) => (
              <Select
                size="small"
                allowClear
                aria-label={`${T.customerImport.mappingHeader} ${f.label}`}
                value={mapping[f.key]}
                placeholder={auto[f.key] ? `${T.customerImport.mappingAuto}：${auto[f.key]}` : T.customerImport.mappingNone}
                status={f.required && !mapping[f.key] && !auto[f.key] ? 'error' : undefined}
                onChange={(h?: string) => {
                  const next = { ...mapping };
                  if (h && h !== auto[f.key]) next[f.key] = h;
                  else delete next[f.key];
                  onChange(next);
                }}
                options={headers.map((h) => ({ value: h, label: h }))}
                style={{ width: '100%' }}
              />
            ),
          },
        ]}
      />
      {unused.length ? (
        <Flex gap={4} wrap align="center" style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{T.customerImport.mappingUnused}</Typography.Text>
          {unused.map((h) => (
            <Tag key={h}>{h}</Tag>
          ))}
        </Flex>
      ) : null}
    </>
  );
}

/**
 * 导入客户: project, file, optional column mapping, a dry run with the counts and the row
 * errors and warnings, then 导入 (all rows valid) or 仅导入正确的行.
 */
export function CustomerImportModal({ open, defaultProjectId, onClose }: { open: boolean; defaultProjectId?: string; onClose: () => void }) {
  const projects = useProjectOptions();
  const [projectId, setProjectId] = useState<string | undefined>(defaultProjectId);
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[] | null>(null);
  const [mapping, setMapping] = useState<Partial<Record<ImportField, string>>>({});
  const [report, setReport] = useState<CustomerImportReport | null>(null);
  const [mappingOpen, setMappingOpen] = useState(false);
  const [stage, setStage] = useState<UploadStage | null>(null);
  const run = useImportCustomers(setStage);
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  useEffect(() => {
    if (open) setProjectId((p) => p ?? defaultProjectId ?? projects.data?.items[0]?.id);
  }, [open, defaultProjectId, projects.data]);

  const reset = () => {
    setFile(null);
    setHeaders(null);
    setMapping({});
    setReport(null);
    setMappingOpen(false);
    run.reset();
  };
  const close = () => {
    reset();
    onClose();
  };

  const choose = (f: File) => {
    setFile(f);
    setReport(null);
    setMapping({});
    setHeaders(null);
    void readHeaders(f).then((h) => {
      setHeaders(h);
      // Without a recognizable 姓名 column nothing imports: open the mapping at once.
      if (h?.length && !autoMapping(h).name) setMappingOpen(true);
    });
  };

  const submit = (dryRun: boolean, validOnly: boolean) => {
    if (!file || !projectId) return;
    // The server compares headers without spaces, in lower case.
    const sent = Object.fromEntries(Object.entries(mapping).map(([k, h]) => [k, normalizeHeader(h)]));
    run.mutate(
      { projectId, file, dryRun, validOnly, mapping: sent },
      {
        onSuccess: (r) => {
          if (r.imported) {
            void message.success(T.customerImport.done(r.created, r.matched, r.linkedUnits));
            close();
          } else {
            setReport(r);
            // The report needs the room; the mapping stays one click away.
            setMappingOpen(false);
          }
        },
        onError: (e) => {
          // 缺少必需的列: the columns are probably named differently, so show the mapping.
          if (isApiError(e) && e.code === 'import.invalid_file' && headers?.length) setMappingOpen(true);
          onError(e);
        },
      },
    );
  };

  const checked = !!report && report.dryRun;
  const clean = checked && report.errors.length === 0;
  const pending = (dry: boolean, validOnly: boolean) => run.isPending && run.variables?.dryRun === dry && run.variables?.validOnly === validOnly;

  return (
    <Modal
      open={open}
      title={T.customerImport.title}
      width={820}
      onCancel={close}
      destroyOnHidden
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={close}>{T.common.cancel}</Button>
          <Button onClick={() => submit(true, false)} disabled={!file || !projectId || run.isPending} loading={pending(true, false)}>
            {T.customerImport.dryRun}
          </Button>
          {checked && !clean ? (
            <Button
              danger
              onClick={() => submit(false, true)}
              disabled={run.isPending || report.validRows === 0}
              loading={pending(false, true)}
            >
              {T.customerImport.importValidOnly}
            </Button>
          ) : null}
          <Button type="primary" onClick={() => submit(false, false)} disabled={!clean || run.isPending} loading={pending(false, false)}>
            {T.customerImport.import}
          </Button>
        </Flex>
      }
    >
      <Typography.Paragraph>{T.customerImport.intro}</Typography.Paragraph>
      {run.isPending ? <ImportProgress stage={stage} /> : null}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {T.customerImport.formats}
      </Typography.Paragraph>
      <Flex gap={12} align="start" wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={T.customerImport.project}
          placeholder={T.customerImport.project}
          value={projectId}
          onChange={(v: string) => {
            setProjectId(v);
            setReport(null);
          }}
          loading={projects.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 200 }}
        />
        <Button icon={<DownloadOutlined />} onClick={() => downloadCustomerTemplate(T.customerImport.templateFile)}>
          {T.customerImport.template}
        </Button>
        <Upload
          accept=".xlsx,.csv"
          maxCount={1}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            choose(f);
            return false;
          }}
          onRemove={() => reset()}
        >
          <Button icon={<UploadOutlined />}>{T.customerImport.chooseFile}</Button>
        </Upload>
      </Flex>
      {file ? (
        <Collapse
          size="small"
          style={{ marginBottom: 16 }}
          activeKey={mappingOpen ? ['mapping'] : []}
          onChange={(keys) => setMappingOpen(keys.includes('mapping'))}
          items={[
            {
              key: 'mapping',
              label: `${T.customerImport.mapping}${Object.keys(mapping).length ? `（${Object.keys(mapping).length}）` : ''}`,
              children: headers?.length ? (
                <MappingTable
                  headers={headers}
                  mapping={mapping}
                  onChange={(m) => {
                    setMapping(m);
                    setReport(null);
                  }}
                />
              ) : (
                <Typography.Text type="secondary">{headers === null ? T.common.loading : T.customerImport.headersUnreadable}</Typography.Text>
              ),
            },
          ]}
        />
      ) : null}
      {report ? (
        <>
          <Typography.Title level={5}>{T.customerImport.reportTitle}</Typography.Title>
          <ImportReport report={report} />
        </>
      ) : (
        <Typography.Text type="secondary">{file && projectId ? T.customerImport.dryRunHint : T.customerImport.fileRequired}</Typography.Text>
      )}
    </Modal>
  );
}
