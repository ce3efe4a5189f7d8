import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { OWNER_RELATIONS, UNIT_RELATION_LABELS, type ArchiveField, type Customer, type CustomerUnitLink } from '@qiaoliang/shared';
import { useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { T } from '../../../lib/texts';

/** A purchase fact, or 未填写 in red when the archive lacks it. */
function Fact({ value, field, missing }: { value: string | null; field: ArchiveField; missing: readonly ArchiveField[] }) {
  if (value) return <>{value}</>;
  if (missing.includes(field)) return <Typography.Text type="danger">{T.unitLinks.notFilled}</Typography.Text>;
  return <Typography.Text type="secondary">—</Typography.Text>;
}

/**
 * 房屋: the customer's unit relations with their purchase facts (contract, handover,
 * warranty). Ended relations stay on file and can be shown.
 */
export function UnitsCard({
  customer,
  canWrite,
  onAdd,
  onEdit,
  onEnd,
  onTransfer,
}: {
  customer: Customer;
  canWrite: boolean;
  onAdd: () => void;
  onEdit: (link: CustomerUnitLink) => void;
  onEnd: (link: CustomerUnitLink) => void;
  /** 过户: only an owner or prospective owner's current relation can be sold. */
  onTransfer?: (link: CustomerUnitLink) => void;
}) {
  const [showEnded, setShowEnded] = useState(false);
  const ended = customer.units.filter((u) => !u.current);
  const rows = showEnded ? customer.units : customer.units.filter((u) => u.current);
  const missing = customer.archive.missing;

  const columns: TableColumnsType<CustomerUnitLink> = [
    {
      title: T.unitLinks.unit,
      key: 'unit',
      render: (_, l) => (
        <Flex vertical>
          <Typography.Text strong delete={!l.current && !!l.toDate}>
            {l.unitLabel}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {l.projectName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: T.unitLinks.relation,
      key: 'relation',
      render: (_, l) => (
        <Flex vertical gap={2} align="start">
          <span>
            {UNIT_RELATION_LABELS[l.relation]}
            {l.share !== null ? <Typography.Text type="secondary"> · {l.share}%</Typography.Text> : null}
          </span>
          {l.current ? null : <Tag style={{ marginInlineEnd: 0 }}>{l.toDate ? T.unitLinks.ended : T.unitLinks.notStarted}</Tag>}
        </Flex>
      ),
    },
    {
      title: T.unitLinks.period,
      key: 'period',
      render: (_, l) => (
        <Typography.Text style={{ whiteSpace: 'nowrap' }}>
          {l.fromDate} ~ {l.toDate ?? T.unitLinks.present}
        </Typography.Text>
      ),
    },
    {
      title: T.unitLinks.contract,
      key: 'contract',
      render: (_, l) => (
        <Flex vertical>
          <Fact value={l.contractNo} field="contract_no" missing={l.current ? missing : []} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {T.unitLinks.contractDateShort}
            <Fact value={l.contractDate} field="contract_date" missing={l.current ? missing : []} />
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: T.unitLinks.handover,
      key: 'handover',
      render: (_, l) => {
        const gaps = l.current ? missing : [];
        return (
          <Flex vertical style={{ whiteSpace: 'nowrap' }}>
            <span>
              <Typography.Text type="secondary">{T.unitLinks.handoverContracted} </Typography.Text>
              <Fact value={l.contractedHandoverDate} field="contracted_handover_date" missing={gaps} />
            </span>
            <span>
              <Typography.Text type="secondary">{T.unitLinks.handoverActual} </Typography.Text>
              <Fact value={l.actualHandoverDate} field="actual_handover_date" missing={gaps} />
            </span>
            <span>
              <Typography.Text type="secondary">{T.unitLinks.warranty} </Typography.Text>
              <Fact value={l.warrantyStartDate} field="warranty_start_date" missing={gaps} />
            </span>
          </Flex>
        );
      },
    },
  ];
  if (canWrite) {
    columns.push({
      title: T.common.actions,
      key: 'actions',
      width: 160,
      render: (_, l) => (
        <Flex gap={0}>
          <Button type="link" size="small" onClick={() => onEdit(l)} aria-label={`${T.common.edit} ${l.unitLabel}`}>
            {T.common.edit}
          </Button>
          {l.toDate ? null : (
            <Button type="link" size="small" danger onClick={() => onEnd(l)} aria-label={`${T.unitLinks.end} ${l.unitLabel}`}>
              {T.unitLinks.end}
            </Button>
          )}
          {onTransfer && l.current && !l.toDate && OWNER_RELATIONS.includes(l.relation) ? (
            <Button type="link" size="small" onClick={() => onTransfer(l)} aria-label={`${T.transfer.button} ${l.unitLabel}`}>
              {T.transfer.button}
            </Button>
          ) : null}
        </Flex>
      ),
    });
  }

  return (
    <Card
      size="small"
      title={T.customers.units}
      extra={
        <Flex gap={12} align="center">
          {ended.length ? (
            <Checkbox checked={showEnded} onChange={(e) => setShowEnded(e.target.checked)}>
              {T.unitLinks.showEnded(ended.length)}
            </Checkbox>
          ) : null}
          {canWrite ? (
            <Button size="small" icon={<PlusOutlined />} onClick={onAdd}>
              {T.unitLinks.add}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Table<CustomerUnitLink>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyState description={T.unitLinks.empty} /> }}
      />
    </Card>
  );
}
