import { Button, Card, Col, Radio, Row, Statistic, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { TH } from '../../../lib/texts-handover';
import { useBatch, useBatchUnits, useExportBatch, useReport, type HandoverUnit, type Summary } from '../api/handover';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

function ReportTab({ id }: { id: string }) {
  const [groupBy, setGroupBy] = useState('contractor');
  const { data, error } = useReport(id, groupBy);
  const exp = useExportBatch(id);
  if (error) return <QueryError error={error} />;
  if (!data) return null;
  const cols: TableColumnsType<Summary & { name: string }> = [
    { title: TH.report.group, dataIndex: 'name', width: 200, fixed: 'left' },
    { title: TH.report.defects, dataIndex: 'defects', width: 80, sorter: (a, b) => a.defects - b.defects },
    { title: TH.report.open, dataIndex: 'openDefects', width: 80 },
    { title: TH.report.onTime, width: 100, render: (_, r) => pct(r.onTimeRate), sorter: (a, b) => (a.onTimeRate ?? 0) - (b.onTimeRate ?? 0) },
    { title: TH.report.reinspect, width: 100, render: (_, r) => pct(r.reinspectPassRate) },
    ...['on_time', 'late_done', 'overdue_open', 'no_deadline'].map((k) => ({ title: TH.report[k], width: 90, render: (_: unknown, r: Summary) => r.buckets[k] })),
  ];
  return (
    <>
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={4}><Card size="small"><Statistic title={TH.report.defects} value={data.total.defects} /></Card></Col>
        <Col span={4}><Card size="small"><Statistic title={TH.report.open} value={data.total.openDefects} /></Card></Col>
        <Col span={4}><Card size="small"><Statistic title={TH.report.perUnit} value={data.total.defectsPerUnit ?? 0} /></Card></Col>
        <Col span={4}><Card size="small"><Statistic title={TH.report.firstPass} value={pct(data.total.firstPassRate)} /></Card></Col>
        <Col span={4}><Card size="small"><Statistic title={TH.report.onTime} value={pct(data.total.onTimeRate)} /></Card></Col>
        <Col span={4}><Card size="small"><Statistic title={TH.report.reinspect} value={pct(data.total.reinspectPassRate)} /></Card></Col>
      </Row>
      <Radio.Group value={groupBy} onChange={(e) => setGroupBy(e.target.value as string)} style={{ marginBottom: 8 }}>
        <Radio.Button value="contractor">{TH.report.byContractor}</Radio.Button>
        <Radio.Button value="building">{TH.report.byBuilding}</Radio.Button>
      </Radio.Group>
      <Button style={{ marginLeft: 12 }} loading={exp.isPending} onClick={() => exp.mutate({})}>{TH.batch.export}</Button>
      <Table rowKey="id" size="small" columns={cols} dataSource={data.groups} pagination={false} scroll={{ x: 1000 }} />
      <h4 style={{ marginTop: 16 }}>{TH.report.byItem}</h4>
      <Table rowKey="key" size="small" dataSource={data.byItem.slice(0, 10)} pagination={false}
        columns={[{ title: TH.unit.item, dataIndex: 'key' }, { title: TH.report.defects, dataIndex: 'count', width: 100 }]} />
    </>
  );
}

/** One batch: its units (to inspect) and its report. */
export function HandoverBatchPage() {
  const { id = '' } = useParams();
  const batch = useBatch(id);
  const units = useBatchUnits(id);
  const columns: TableColumnsType<HandoverUnit> = [
    { title: TH.batch.building, dataIndex: 'buildingName', width: 100 },
    { title: TH.batch.room, dataIndex: 'roomNumber', width: 90, render: (r: string, u) => <Link to={`/handover/units/${u.id}`}>{r}</Link> },
    { title: TH.batch.status, dataIndex: 'status', width: 130, render: (s: string) => <Tag color={s === 'accepted' ? 'success' : s === 'refused' ? 'error' : s === 'inspected' ? 'processing' : 'default'}>{TH.unitStatus[s]}</Tag> },
    { title: TH.batch.sign, dataIndex: 'signStatus', width: 80, render: (s: string) => TH.signStatus[s] },
    { title: TH.unit.warrantyStart, dataIndex: 'warrantyStartDate', width: 120 },
    { title: '', width: 80, render: (_, u) => <Link to={`/handover/units/${u.id}`}>{TH.batch.inspect}</Link> },
  ];
  if (batch.error) return <QueryError error={batch.error} />;
  return (
    <>
      <PageHeader title={batch.data?.name ?? ''} />
      <Tabs items={[
        { key: 'units', label: TH.batch.units, children: <Table rowKey="id" size="small" loading={units.isFetching} columns={columns} dataSource={units.data ?? []} pagination={{ pageSize: 50 }} /> },
        { key: 'report', label: TH.batch.report, children: <ReportTab id={id} /> },
      ]} />
    </>
  );
}
