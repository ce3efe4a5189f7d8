import { DownloadOutlined } from '@ant-design/icons';
import { Button, Flex, Table } from 'antd';
import type { ImportRowError } from '@qiaoliang/shared';
import { downloadXlsx } from '../../lib/xlsx';
import { T } from '../../lib/texts';

/**
 * The errors of an import as a table that stays on screen, with a download of the whole list
 * (Excel) to fix the file row by row — never a toast that disappears (issue #18 defect 10).
 */
export function ImportErrorTable({ errors, fileName }: { errors: ImportRowError[]; fileName: string }) {
  const download = () =>
    downloadXlsx(
      fileName,
      T.console.importErrors,
      [{ title: T.console.importRow, width: 8 }, { title: T.console.importColumn, width: 16 }, { title: T.console.importMessage, width: 60 }],
      errors.map((e) => [e.row, e.column, e.message]),
    );
  return (
    <Flex vertical gap={8}>
      <Flex justify="flex-end">
        <Button size="small" icon={<DownloadOutlined />} onClick={download}>
          {T.console.importDownload(errors.length)}
        </Button>
      </Flex>
      <Table<ImportRowError>
        size="small"
        aria-label={T.console.importErrors}
        rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
        dataSource={errors}
        pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false, size: 'small' } : false}
        columns={[
          { title: T.console.importRow, dataIndex: 'row', width: 70 },
          { title: T.console.importColumn, dataIndex: 'column', width: 120 },
          { title: T.console.importMessage, dataIndex: 'message' },
        ]}
      />
    </Flex>
  );
}
