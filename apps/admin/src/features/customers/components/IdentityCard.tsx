import { EyeInvisibleOutlined, EyeOutlined, IdcardOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Typography } from 'antd';
import type { Customer } from '@qiaoliang/shared';
import { T } from '../../../lib/texts';

/** 身份证号: masked (110***********1234); the clear number only by an audited reveal. */
export function IdentityCard({
  customer,
  clearIdNumber,
  canReveal,
  onReveal,
  onHide,
  onAdd,
}: {
  customer: Customer;
  clearIdNumber: string | null;
  canReveal: boolean;
  onReveal: () => void;
  onHide: () => void;
  /** Opens the form at the ID number (writers only). */
  onAdd?: () => void;
}) {
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <IdcardOutlined />
          {T.customers.identity}
        </Flex>
      }
      extra={
        clearIdNumber ? (
          <Button size="small" icon={<EyeInvisibleOutlined />} onClick={onHide}>
            {T.customers.hideRevealed}
          </Button>
        ) : customer.idNumber && canReveal ? (
          <Button size="small" icon={<EyeOutlined />} onClick={onReveal}>
            {T.customers.revealIdNumber}
          </Button>
        ) : !customer.idNumber && onAdd ? (
          <Button size="small" icon={<PlusOutlined />} onClick={onAdd}>
            {T.customers.addIdNumber}
          </Button>
        ) : null
      }
    >
      {customer.idNumber ? (
        <Flex vertical gap={4}>
          <Typography.Text strong style={{ fontSize: 16, fontVariantNumeric: 'tabular-nums', letterSpacing: 0.5 }} copyable={clearIdNumber ? { text: clearIdNumber } : false}>
            {clearIdNumber ?? customer.idNumber}
          </Typography.Text>
          {clearIdNumber ? (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {T.customers.revealedHint}
            </Typography.Text>
          ) : null}
        </Flex>
      ) : (
        <Typography.Text type="secondary">{T.customers.noIdNumber}</Typography.Text>
      )}
    </Card>
  );
}
