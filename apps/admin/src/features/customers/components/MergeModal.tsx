import { Alert, App, Card, Col, Flex, Modal, Row, Select, Typography } from 'antd';
import type { Customer, CustomerSummary } from '@qiaoliang/shared';
import { useEffect, useState } from 'react';
import { formatPhone } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useCustomers, useMergeCustomer } from '../api/customers';
import { ArchiveBadges, KindTag } from './CustomerTags';

function unitsText(units: { projectName: string; unitLabel: string }[]): string {
  return units.length ? units.map((u) => `${u.projectName} ${u.unitLabel}`).join('、') : T.customers.noUnits;
}

function Side({ title, name, kind, phone, units, complete, current }: {
  title: string;
  name: string;
  kind: Customer['kind'];
  phone: string | null;
  units: string;
  complete: boolean;
  current: boolean;
}) {
  return (
    <Card size="small" title={title} style={{ height: '100%' }}>
      <Flex vertical gap={6}>
        <Flex gap={8} align="center">
          <Typography.Text strong style={{ fontSize: 16 }}>{name}</Typography.Text>
          <KindTag kind={kind} />
        </Flex>
        <Typography.Text>{formatPhone(phone)}</Typography.Text>
        <Typography.Text type="secondary">{units}</Typography.Text>
        <ArchiveBadges complete={complete} current={current} />
      </Flex>
    </Card>
  );
}

/** 合并重复客户: find the duplicate, compare, confirm twice, merge it into this customer. */
export function MergeModal({ customer, open, onClose }: { customer: Customer; open: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [source, setSource] = useState<CustomerSummary | null>(null);
  const results = useCustomers({ q, page: 1, pageSize: 20 }, open && q.length > 0);
  const merge = useMergeCustomer();
  const onError = useApiErrorHandler();
  const { message, modal } = App.useApp();

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const close = () => {
    setText('');
    setQ('');
    setSource(null);
    onClose();
  };

  const candidates = (results.data?.items ?? []).filter((c) => c.id !== customer.id);

  const submit = () => {
    if (!source) return;
    modal.confirm({
      title: T.merge.title,
      content: T.merge.confirmText(source.name, customer.name),
      okText: T.merge.confirm,
      okButtonProps: { danger: true },
      cancelText: T.common.cancel,
      onOk: () =>
        merge.mutateAsync({ targetId: customer.id, sourceId: source.id }).then(
          () => {
            void message.success(T.merge.done);
            close();
          },
          (e: unknown) => onError(e),
        ),
    });
  };

  return (
    <Modal
      open={open}
      title={T.merge.title}
      width={760}
      onCancel={close}
      okText={T.merge.confirm}
      cancelText={T.common.cancel}
      okButtonProps={{ danger: true, disabled: !source, loading: merge.isPending }}
      onOk={submit}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={T.merge.intro} style={{ marginBottom: 16 }} />
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Typography.Text>{T.merge.source}</Typography.Text>
        <Select
          aria-label={T.merge.source}
          placeholder={T.merge.sourcePlaceholder}
          value={source?.id}
          showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
          onChange={(id: string) => {
            setSource(candidates.find((c) => c.id === id) ?? null);
            setText('');
          }}
          loading={results.isFetching}
          notFoundContent={q ? (results.isFetching ? T.common.loading : T.customers.emptySearch) : null}
          options={candidates.map((c) => ({
            value: c.id,
            label: `${c.name} · ${formatPhone(c.phone)} · ${unitsText(c.units)}`,
          }))}
          autoFocus
          style={{ width: '100%' }}
        />
      </Flex>
      {source ? (
        <Row gutter={16}>
          <Col span={12}>
            <Side
              title={T.merge.keep}
              name={customer.name}
              kind={customer.kind}
              phone={customer.phones.find((p) => p.isPrimary)?.phone ?? customer.phones[0]?.phone ?? null}
              units={unitsText(customer.units.filter((u) => u.current))}
              complete={customer.archive.complete}
              current={customer.archive.current}
            />
          </Col>
          <Col span={12}>
            <Side
              title={T.merge.source}
              name={source.name}
              kind={source.kind}
              phone={source.phone}
              units={unitsText(source.units)}
              complete={source.archiveComplete}
              current={source.archiveCurrent}
            />
          </Col>
        </Row>
      ) : null}
    </Modal>
  );
}
