import { ProfileOutlined } from '@ant-design/icons';
import { Card, Descriptions, Flex, Typography } from 'antd';
import type { Customer } from '@qiaoliang/shared';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';

const Multiline = ({ text }: { text: string | null }) =>
  text ? <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{text}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>;

/** 备注与偏好: what the center should remember about the person, and the record's dates. */
export function OtherCard({ customer, projectName }: { customer: Customer; projectName: string | null }) {
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <ProfileOutlined />
          {T.customers.other}
        </Flex>
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'preferences', label: T.customers.preferences, children: <Multiline text={customer.preferences} /> },
          { key: 'notes', label: T.customers.notes, children: <Multiline text={customer.notes} /> },
          { key: 'project', label: T.customers.project, children: projectName ?? '—' },
          { key: 'created', label: T.common.createdAt, children: formatDateTime(customer.createdAt) },
          { key: 'updated', label: T.customers.updatedAt, children: formatDateTime(customer.updatedAt) },
        ]}
      />
    </Card>
  );
}
