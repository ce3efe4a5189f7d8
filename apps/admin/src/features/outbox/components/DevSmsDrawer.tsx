import { MessageOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { SinkedSmsDto } from '@qiaoliang/shared';
import { Button, Drawer, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { EmptyState } from '../../../components/EmptyState';
import { QueryError } from '../../../components/QueryError';
import { api } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { TP } from '../../../lib/texts-portal';

/** The development SMS sink (GET /api/dev/sms): what would have gone out by SMS, numbers masked. */
export function DevSmsDrawer() {
  const [open, setOpen] = useState(false);
  const q = useQuery({
    queryKey: ['dev-sms'],
    queryFn: ({ signal }) => api.get<{ provider: string; items: SinkedSmsDto[] }>('/api/dev/sms', undefined, signal),
    enabled: open,
    refetchInterval: open ? 5000 : false,
  });
  return (
    <>
      <Button icon={<MessageOutlined />} onClick={() => setOpen(true)}>{TP.devSms.open}</Button>
      <Drawer title={TP.devSms.title} open={open} onClose={() => setOpen(false)} size={520}>
        <Typography.Paragraph type="secondary">{q.data && q.data.provider !== 'dev' ? TP.devSms.realProvider : TP.devSms.intro}</Typography.Paragraph>
        {q.error ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : null}
        <List<SinkedSmsDto>
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: <EmptyState description={TP.devSms.empty} /> }}
          renderItem={(m) => (
            <List.Item>
              <List.Item.Meta
                title={<>{m.to} <Tag>{TP.devSms.templates[m.template] ?? m.template}</Tag><Typography.Text type="secondary">{formatDateTime(m.at)}</Typography.Text></>}
                description={<Typography.Text copyable>{m.text}</Typography.Text>}
              />
            </List.Item>
          )}
        />
      </Drawer>
    </>
  );
}
