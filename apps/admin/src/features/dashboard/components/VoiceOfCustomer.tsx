import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { T } from '../../../lib/texts';
import { downloadXlsx } from '../../../lib/xlsx';
import type { TopIssue } from '@qiaoliang/shared';

/**
 * 客户声音 (D9): the complaint categories customers raise most, with the latest tickets of
 * each as examples, for design, construction and property management to adjust; exportable.
 */
export function VoiceOfCustomer({ issues, complaints, period }: { issues: TopIssue[]; complaints: number; period: { from: string; to: string } }) {
  const share = (n: number) => (complaints ? `${((n / complaints) * 100).toFixed(1)}%` : '—');
  const columns: TableColumnsType<TopIssue & { rank: number }> = [
    { title: '#', dataIndex: 'rank', width: 48, align: 'center' },
    { title: T.dashboard.category, dataIndex: 'category', width: 280, render: (c: string) => <Typography.Text strong style={{ fontSize: 16 }}>{c.replace(/^投诉 › /, '')}</Typography.Text> },
    { title: T.dashboard.count, dataIndex: 'count', width: 90, align: 'right', render: (n: number) => <span style={{ fontSize: 18, fontWeight: 600 }}>{n}</span> },
    { title: T.dashboard.share, key: 'share', width: 90, align: 'right', render: (_, r) => share(r.count) },
    {
      title: T.dashboard.examples,
      dataIndex: 'examples',
      render: (ex: TopIssue['examples']) => (
        <Flex vertical gap={2}>
          {ex.map((e) => (
            <span key={e.id}>
              <Link to={`/tickets/${e.id}`}>{e.number}</Link> {e.title}
            </span>
          ))}
        </Flex>
      ),
    },
  ];
  const onExport = () =>
    downloadXlsx(
      T.dashboard.voiceFile(period.from, period.to),
      T.dashboard.voiceSheet,
      [
        { title: '#', width: 5 },
        { title: T.dashboard.category, width: 30 },
        { title: T.dashboard.count, width: 10 },
        { title: T.dashboard.share, width: 10 },
        { title: T.dashboard.examples, width: 80 },
      ],
      issues.map((i, n) => [n + 1, i.category.replace(/^投诉 › /, ''), i.count, share(i.count), i.examples.map((e) => `${e.number} ${e.title}`).join('\n')]),
    );
  return (
    <Card
      title={<span style={{ fontSize: 18 }}>{T.dashboard.voice}</span>}
      extra={
        <Button icon={<DownloadOutlined />} onClick={onExport} disabled={!issues.length}>
          {T.dashboard.exportVoice}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>{T.dashboard.voiceHint}</Typography.Paragraph>
      <Table
        rowKey="categoryId"
        size="middle"
        columns={columns}
        dataSource={issues.map((i, n) => ({ ...i, rank: n + 1 }))}
        pagination={false}
        locale={{ emptyText: <EmptyState description={T.dashboard.empty} /> }}
      />
    </Card>
  );
}
