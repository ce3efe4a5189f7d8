import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, Popover, Typography } from 'antd';
import type { Notification } from '@qiaoliang/shared';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useMarkNotificationRead, useNotifications } from '../api/notifications';

function NotificationItem({ item, onOpen }: { item: Notification; onOpen: (n: Notification) => void }) {
  const unread = !item.readAt;
  return (
    <div
      role="button"
      tabIndex={0}
      onClick={() => onOpen(item)}
      onKeyDown={(e) => (e.key === 'Enter' ? onOpen(item) : undefined)}
      style={{ padding: '8px 4px', borderBottom: '1px solid #f0f0f0', cursor: 'pointer' }}
    >
      <Flex justify="space-between" gap={8}>
        <Typography.Text strong={unread}>
          {unread ? <Badge status="processing" style={{ marginInlineEnd: 6 }} /> : null}
          {item.title}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
          {formatDateTime(item.createdAt)}
        </Typography.Text>
      </Flex>
      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 13 }}>
        {item.body}
      </Typography.Paragraph>
    </div>
  );
}

/** The header bell: unread count, the latest notices, opening one marks it read. */
export function NotificationBell() {
  const { data } = useNotifications();
  const markRead = useMarkNotificationRead();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const unread = data?.unread ?? 0;

  const onOpen = (n: Notification) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link?.startsWith('/')) {
      setOpen(false);
      navigate(n.link);
    }
  };

  const content = (
    <div style={{ width: 340, maxHeight: 420, overflowY: 'auto' }}>
      {data?.items.length ? (
        data.items.map((n) => <NotificationItem key={n.id} item={n} onOpen={onOpen} />)
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={T.layout.noNotifications} />
      )}
    </div>
  );

  return (
    <Popover
      content={content}
      title={unread ? `${T.layout.notifications}（${T.layout.unread(unread)}）` : T.layout.notifications}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
    >
      <Button type="text" aria-label={unread ? `${T.layout.notifications}，${T.layout.unread(unread)}` : T.layout.notifications}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
