import { EyeInvisibleOutlined, EyeOutlined, PhoneOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Tag, Tooltip, Typography } from 'antd';
import { CONTACT_CHANNEL_LABELS, type Customer } from '@qiaoliang/shared';
import { formatPhone, orDash } from '../../../lib/format';
import { T } from '../../../lib/texts';

/**
 * 联系方式: the phones (masked unless revealed for a reason, flagged when another customer
 * has the same number), e-mail, WeChat, the preferred channel and time, the address.
 */
export function ContactCard({
  customer,
  clearPhones,
  canReveal,
  onReveal,
  onHide,
}: {
  customer: Customer;
  /** Revealed numbers by phone id; null while masked. */
  clearPhones: Map<string, string> | null;
  canReveal: boolean;
  onReveal: () => void;
  onHide: () => void;
}) {
  const revealed = clearPhones !== null;
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <PhoneOutlined />
          {T.customers.contact}
        </Flex>
      }
      extra={
        revealed ? (
          <Button size="small" icon={<EyeInvisibleOutlined />} onClick={onHide}>
            {T.customers.hideRevealed}
          </Button>
        ) : customer.phones.length && canReveal ? (
          <Button size="small" icon={<EyeOutlined />} onClick={onReveal}>
            {T.customers.revealPhones}
          </Button>
        ) : null
      }
    >
      <Flex vertical gap={6} style={{ marginBottom: 12 }} aria-label={T.customers.phones} role="list">
        {customer.phones.length === 0 ? <Typography.Text type="secondary">{T.customers.noPhones}</Typography.Text> : null}
        {customer.phones.map((p) => {
          const clear = clearPhones?.get(p.id);
          return (
            <Flex key={p.id} gap={8} align="center" wrap role="listitem">
              <Typography.Text
                strong
                style={{ fontSize: 16, fontVariantNumeric: 'tabular-nums', letterSpacing: 0.5 }}
                copyable={clear ? { text: formatPhone(clear) } : false}
              >
                {formatPhone(clear ?? p.phone)}
              </Typography.Text>
              {p.isPrimary ? <Tag color="blue">{T.customers.primary}</Tag> : null}
              {p.label ? <Typography.Text type="secondary">{p.label}</Typography.Text> : null}
              {p.sharedWith > 0 ? (
                <Tooltip title={T.customers.sharedHint(p.sharedWith)}>
                  <Tag color="orange" tabIndex={0}>
                    {T.customers.shared} {p.sharedWith}
                  </Tag>
                </Tooltip>
              ) : null}
            </Flex>
          );
        })}
        {revealed ? (
          <Typography.Text type="warning" style={{ fontSize: 12 }}>
            {T.customers.revealedHint}
          </Typography.Text>
        ) : null}
      </Flex>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'email', label: T.customers.email, children: orDash(customer.email) },
          { key: 'wechat', label: T.customers.wechatId, children: orDash(customer.wechatId) },
          {
            key: 'channel',
            label: T.customers.preferredChannel,
            children: customer.preferredChannel ? CONTACT_CHANNEL_LABELS[customer.preferredChannel] : '—',
          },
          { key: 'time', label: T.customers.preferredTime, children: orDash(customer.preferredTime) },
          { key: 'address', label: T.customers.address, children: orDash(customer.address), span: 'filled' },
        ]}
      />
    </Card>
  );
}
