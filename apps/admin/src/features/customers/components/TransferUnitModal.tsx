import { Alert, App, DatePicker, Form, Input, Select } from 'antd';
import type { CustomerUnitLink } from '@qiaoliang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { FormModal } from '../../../components/FormModal';
import { formatPhone } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { rules } from '../../../lib/validation';
import { useCustomers, useTransferUnit } from '../api/customers';

interface Values {
  buyerId: string;
  date: Dayjs;
  contractNo?: string;
}

/**
 * 过户: one action for a sale. The seller's owner relation ends on the date and the buyer's
 * starts on it; both stay in the unit's history and K3/K4 scope moves exactly then.
 */
export function TransferUnitModal({ seller, link, onClose }: { seller: { id: string; name: string }; link: CustomerUnitLink | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const results = useCustomers({ q, page: 1, pageSize: 20 }, !!link && q.length > 0);
  const transfer = useTransferUnit();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const onFinish = (v: Values) => {
    if (!link) return;
    transfer.mutate(
      { unitId: link.unitId, body: { buyerId: v.buyerId, date: v.date.format('YYYY-MM-DD'), contractNo: v.contractNo?.trim() || null } },
      {
        onSuccess: () => {
          void message.success(T.transfer.saved);
          setText('');
          onClose();
        },
        onError: (e) => onError(e, form),
      },
    );
  };

  const candidates = (results.data?.items ?? []).filter((c) => c.id !== seller.id);
  return (
    <FormModal<Values>
      open={!!link}
      title={link ? T.transfer.title(`${link.projectName} ${link.unitLabel}`) : ''}
      form={form}
      onFinish={onFinish}
      onCancel={onClose}
      submitting={transfer.isPending}
      okText={T.transfer.button}
      initialValues={{ date: dayjs() }}
    >
      <Alert type="info" showIcon title={T.transfer.intro} style={{ marginBottom: 16 }} />
      <Form.Item label={T.transfer.seller}>
        <Input value={seller.name} disabled />
      </Form.Item>
      <Form.Item name="buyerId" label={T.transfer.buyer} rules={[rules.select(T.transfer.buyer)]}>
        <Select
          showSearch={{ filterOption: false, onSearch: setText }}
          placeholder={T.transfer.buyerPlaceholder}
          loading={results.isFetching}
          notFoundContent={null}
          options={candidates.map((c) => ({ value: c.id, label: `${c.name} ${formatPhone(c.phone)}` }))}
        />
      </Form.Item>
      <Form.Item name="date" label={T.transfer.date} rules={[rules.select(T.transfer.date)]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day') || (!!link && !d.isAfter(dayjs(link.fromDate), 'day'))} />
      </Form.Item>
      <Form.Item name="contractNo" label={T.transfer.contractNo} rules={[{ max: 60 }]}>
        <Input count={{ show: true, max: 60 }} />
      </Form.Item>
    </FormModal>
  );
}
