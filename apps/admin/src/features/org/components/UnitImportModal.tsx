import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Flex, Modal, Table, Typography, Upload } from 'antd';
import type { ImportRowError, UnitImportReport } from '@qiaoliang/shared';
import { useState } from 'react';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { downloadUnitTemplate, useImportUnits } from '../api/unit-import';
import { ImportProgress } from '../../../components/ImportProgress';
import type { UploadStage } from '../../../lib/upload';

function ImportReport({ report }: { report: UnitImportReport }) {
  const dry = report.dryRun;
  return (
    <>
      <Descriptions
        size="small"
        bordered
        column={2}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'total', label: T.unitImport.totalRows, children: report.totalRows },
          { key: 'valid', label: T.unitImport.validRows, children: report.validRows },
          { key: 'buildings', label: dry ? T.unitImport.willCreateBuildings : T.unitImport.createdBuildings, children: report.createdBuildings },
          { key: 'units', label: dry ? T.unitImport.willCreateUnits : T.unitImport.createdUnits, children: report.createdUnits },
        ]}
      />
      {report.errors.length ? (
        <>
          <Alert type="error" showIcon title={T.unitImport.errorsTitle(report.errors.length)} style={{ marginBottom: 12 }} />
          <Table<ImportRowError>
            size="small"
            rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
            dataSource={report.errors}
            pagination={report.errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            columns={[
              { title: T.unitImport.row, dataIndex: 'row', width: 80 },
              { title: T.unitImport.column, dataIndex: 'column', width: 110 },
              { title: T.unitImport.message, dataIndex: 'message' },
            ]}
          />
        </>
      ) : (
        <Alert type="success" showIcon title={T.unitImport.ok} />
      )}
    </>
  );
}

/**
 * 导入房屋: pick an .xlsx/.csv file, check it (dry run) and read the row errors, then import.
 * Import stays disabled until a dry run of the same file passed.
 */
export function UnitImportModal({ projectId, open, onClose }: { projectId: string; open: boolean; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<UnitImportReport | null>(null);
  const [stage, setStage] = useState<UploadStage | null>(null);
  const run = useImportUnits(projectId, setStage);
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  const reset = () => {
    setFile(null);
    setReport(null);
    run.reset();
  };
  const close = () => {
    reset();
    onClose();
  };

  const submit = (dryRun: boolean) => {
    if (!file) return;
    run.mutate(
      { file, dryRun },
      {
        onSuccess: (r) => {
          if (!dryRun && !r.errors.length) {
            void message.success(T.unitImport.done(r.createdUnits, r.createdBuildings));
            close();
          } else {
            setReport(r);
          }
        },
        onError: (e) => onError(e),
      },
    );
  };

  const passed = !!report && report.dryRun && report.errors.length === 0;

  return (
    <Modal
      open={open}
      title={T.unitImport.title}
      width={720}
      onCancel={close}
      destroyOnHidden
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={close}>{T.common.cancel}</Button>
          <Button onClick={() => submit(true)} disabled={!file || run.isPending} loading={run.isPending && run.variables?.dryRun}>
            {T.unitImport.dryRun}
          </Button>
          <Button type="primary" onClick={() => submit(false)} disabled={!passed || run.isPending} loading={run.isPending && !run.variables?.dryRun}>
            {T.unitImport.import}
          </Button>
        </Flex>
      }
    >
      <Typography.Paragraph>{T.unitImport.intro}</Typography.Paragraph>
      {run.isPending ? <ImportProgress stage={stage} /> : null}
      <Flex gap={12} align="start" wrap style={{ marginBottom: 16 }}>
        <Button icon={<DownloadOutlined />} onClick={() => downloadUnitTemplate(T.unitImport.templateFile)}>
          {T.unitImport.template}
        </Button>
        <Upload
          accept=".xlsx,.csv"
          maxCount={1}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            return false;
          }}
          onRemove={() => reset()}
        >
          <Button icon={<UploadOutlined />}>{T.unitImport.chooseFile}</Button>
        </Upload>
      </Flex>
      {!report ? <Typography.Text type="secondary">{file ? T.unitImport.dryRunHint : T.unitImport.fileRequired}</Typography.Text> : null}
      {report ? (
        <>
          <Typography.Title level={5}>{T.unitImport.reportTitle}</Typography.Title>
          <ImportReport report={report} />
        </>
      ) : null}
    </Modal>
  );
}
