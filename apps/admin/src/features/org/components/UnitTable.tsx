import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Table, type TableColumnsType } from 'antd';
import type { Building, Unit } from '@qiaoliang/shared';
import { useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { orDash } from '../../../lib/format';
import { buildingLabel, entranceLabel } from '../../../lib/org-names';
import { T } from '../../../lib/texts';
import { useEditor } from '../../../lib/use-editor';
import { useUnits } from '../api/units';
import { UnitFormModal } from './UnitFormModal';

/** The units of one building: search, pagination, create and edit (admins). */
export function UnitTable({ projectId, building, canEdit }: { projectId: string; building: Building; canEdit: boolean }) {
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, isFetching, error, refetch } = useUnits({ buildingId: building.id, q: q || undefined, page, pageSize });
  const editor = useEditor<Unit>();

  const columns: TableColumnsType<Unit> = [
    { title: T.units.label, dataIndex: 'label' },
    { title: T.units.entrance, dataIndex: 'entrance', width: 100, render: entranceLabel },
    { title: T.units.floor, dataIndex: 'floor', width: 80, align: 'right' },
    { title: T.units.roomNumber, dataIndex: 'roomNumber', width: 100 },
    { title: T.units.area, dataIndex: 'area', width: 130, align: 'right', render: (v: number | null) => (v === null ? '—' : v.toFixed(2)) },
    { title: T.units.layout, dataIndex: 'layout', render: orDash },
  ];
  if (canEdit) {
    columns.push({
      title: T.common.actions,
      key: 'actions',
      width: 80,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => editor.edit(r)} aria-label={`${T.common.edit} ${r.label}`}>
          {T.common.edit}
        </Button>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title={<span style={{ fontSize: 18 }}>{T.units.title(buildingLabel(building.name))}</span>}
        extra={canEdit ? <Button icon={<PlusOutlined />} onClick={editor.create}>{T.units.create}</Button> : null}
      />
      <Flex style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder={T.units.searchPlaceholder}
          aria-label={T.units.searchPlaceholder}
          allowClear
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          style={{ width: 260 }}
        />
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<Unit>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items}
        loading={isFetching}
        locale={{ emptyText: <EmptyState description={T.units.empty} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: T.common.total,
          onChange: (p, ps) => {
            setPage(ps === pageSize ? p : 1);
            setPageSize(ps);
          },
        }}
      />
      <UnitFormModal
        projectId={projectId}
        buildingId={building.id}
        buildingName={buildingLabel(building.name)}
        open={editor.open}
        record={editor.record}
        onClose={editor.close}
      />
    </>
  );
}
