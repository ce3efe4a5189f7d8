import { CheckCircleFilled, ClockCircleFilled, CloseCircleFilled, SafetyCertificateOutlined, WarningFilled } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Descriptions, Flex, Modal, Typography } from 'antd';
import { ARCHIVE_FIELD_LABELS, type ArchiveField, type Customer } from '@qiaoliang/shared';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useArchiveRules } from '../api/archive';
import { useConfirmArchive } from '../api/customers';

function StatusLine({ ok, okText, badText, stale }: { ok: boolean; okText: string; badText: string; stale?: boolean }) {
  const icon = ok ? (
    <CheckCircleFilled style={{ color: '#52c41a' }} />
  ) : stale ? (
    <ClockCircleFilled style={{ color: '#faad14' }} />
  ) : (
    <CloseCircleFilled style={{ color: '#ff4d4f' }} />
  );
  return (
    <Flex gap={8} align="center">
      {icon}
      <Typography.Text strong>{ok ? okText : badText}</Typography.Text>
    </Flex>
  );
}

/** 确认档案: the agent checks that the archive was verified with the customer. */
function ConfirmArchiveModal({ customer, open, onClose }: { customer: Customer; open: boolean; onClose: () => void }) {
  const [checked, setChecked] = useState(false);
  const confirm = useConfirmArchive();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const close = () => {
    setChecked(false);
    onClose();
  };
  return (
    <Modal
      open={open}
      title={T.customers.confirmArchiveTitle}
      onCancel={close}
      okText={T.customers.confirmArchive}
      cancelText={T.common.cancel}
      okButtonProps={{ disabled: !checked, loading: confirm.isPending }}
      onOk={() =>
        confirm.mutate(customer, {
          onSuccess: () => {
            void message.success(T.customers.archiveConfirmed);
            close();
          },
          onError: (e) => onError(e),
        })
      }
      destroyOnHidden
    >
      <Typography.Paragraph>{T.customers.confirmArchiveIntro}</Typography.Paragraph>
      {customer.archive.complete ? null : <Alert type="warning" showIcon title={T.customers.confirmIncompleteWarn} style={{ marginBottom: 16 }} />}
      <Checkbox checked={checked} onChange={(e) => setChecked(e.target.checked)} autoFocus>
        {T.customers.confirmArchiveCheck}
      </Checkbox>
    </Modal>
  );
}

/**
 * 档案状态: complete (the required fields of the kind) and current (confirmed or updated within
 * N months), each missing field a link to where it is filled, and 确认档案.
 */
export function ArchiveCard({ customer, canWrite, onFix }: { customer: Customer; canWrite: boolean; onFix: (field: ArchiveField) => void }) {
  const [confirming, setConfirming] = useState(false);
  const rules = useArchiveRules();
  const { archive } = customer;

  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <SafetyCertificateOutlined />
          {T.customers.archiveCard}
        </Flex>
      }
      extra={
        canWrite ? (
          <Button size="small" type={archive.current && archive.complete ? 'default' : 'primary'} onClick={() => setConfirming(true)}>
            {T.customers.confirmArchive}
          </Button>
        ) : null
      }
    >
      <Flex vertical gap={12}>
        <Flex gap={24} wrap>
          <StatusLine ok={archive.complete} okText={T.customers.complete} badText={T.customers.incomplete} />
          <StatusLine ok={archive.current} okText={T.customers.current} badText={T.customers.stale} stale />
        </Flex>
        {archive.missing.length ? (
          <div role="group" aria-label={T.customers.missingTitle}>
            <Typography.Text type="secondary">{canWrite ? T.customers.missingTitle : T.customers.missingTitleReadOnly}</Typography.Text>
            <Flex gap={4} wrap style={{ marginTop: 4 }}>
              {archive.missing.map((f) => (
                <Button key={f} size="small" danger icon={<WarningFilled />} onClick={() => onFix(f)} disabled={!canWrite}>
                  {ARCHIVE_FIELD_LABELS[f] ?? f}
                </Button>
              ))}
            </Flex>
          </div>
        ) : (
          <Typography.Text type="secondary">{T.customers.missingNone}</Typography.Text>
        )}
        {archive.current ? null : (
          <Alert type="warning" showIcon title={T.customers.staleHint(rules.data?.currencyMonths ?? 12)} />
        )}
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: 'confirmed',
              label: T.customers.confirmedAt,
              children: customer.archiveConfirmedAt
                ? T.customers.confirmedBy(customer.archiveConfirmedBy, formatDateTime(customer.archiveConfirmedAt))
                : T.customers.neverConfirmed,
            },
            { key: 'touched', label: T.customers.touchedAt, children: formatDateTime(archive.touchedAt) },
            { key: 'until', label: T.customers.currentUntil, children: formatDateTime(archive.currentUntil).slice(0, 10) },
          ]}
        />
      </Flex>
      <ConfirmArchiveModal customer={customer} open={confirming} onClose={() => setConfirming(false)} />
    </Card>
  );
}
