import { Alert, App, Button, Card, Checkbox, Flex, Form, InputNumber, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ARCHIVE_FIELD_LABELS, ARCHIVE_FIELDS, CUSTOMER_KIND_LABELS, CUSTOMER_KINDS, type ArchiveField, type ArchiveRules, type CustomerKind } from '@qiaoliang/shared';
import { useEffect, useState } from 'react';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useArchiveRules, useSaveArchiveRules } from '../api/archive';
import { LINK_FORM_FIELD } from '../archive-fields';

type Matrix = Record<CustomerKind, ArchiveField[]>;

function matrixOf(rules: ArchiveRules): Matrix {
  return Object.fromEntries(CUSTOMER_KINDS.map((k) => [k, [...(rules.requiredFields[k] ?? [])]])) as Matrix;
}

/**
 * 档案规则 (admin): which fields make an archive complete, per kind of customer (a checkbox
 * matrix), and after how many months without confirmation or update it is no longer current.
 */
export function ArchiveRulesPage() {
  const { data, isLoading, error, refetch } = useArchiveRules();
  const save = useSaveArchiveRules();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [matrix, setMatrix] = useState<Matrix | null>(null);
  const [months, setMonths] = useState<number | null>(null);

  useEffect(() => {
    if (data) {
      setMatrix(matrixOf(data));
      setMonths(data.currencyMonths);
    }
  }, [data]);

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !data || !matrix) return <Skeleton active />;

  const dirty = months !== data.currencyMonths || JSON.stringify(matrix) !== JSON.stringify(matrixOf(data));
  const toggle = (kind: CustomerKind, field: ArchiveField, on: boolean) =>
    setMatrix((m) => {
      if (!m) return m;
      const list = on ? [...m[kind], field] : m[kind].filter((f) => f !== field);
      return { ...m, [kind]: ARCHIVE_FIELDS.filter((f) => list.includes(f)) };
    });

  const onSave = () => {
    if (!months) return;
    save.mutate(
      { version: data.version, body: { requiredFields: matrix, currencyMonths: months } },
      { onSuccess: () => void message.success(T.archiveRules.saved), onError: (e) => onError(e) },
    );
  };

  const columns: TableColumnsType<{ field: ArchiveField }> = [
    {
      title: T.archiveRules.field,
      dataIndex: 'field',
      width: 160,
      fixed: 'left',
      render: (f: ArchiveField) => (
        <Flex gap={4} align="center">
          {ARCHIVE_FIELD_LABELS[f]}
          {LINK_FORM_FIELD[f] ? <Tag style={{ marginInlineEnd: 0 }}>{T.archiveRules.perUnit}</Tag> : null}
        </Flex>
      ),
    },
    ...CUSTOMER_KINDS.map((kind) => ({
      title: CUSTOMER_KIND_LABELS[kind],
      key: kind,
      align: 'center' as const,
      render: (_: unknown, row: { field: ArchiveField }) => (
        <Checkbox
          aria-label={`${CUSTOMER_KIND_LABELS[kind]}·${ARCHIVE_FIELD_LABELS[row.field]}`}
          checked={matrix[kind].includes(row.field)}
          onChange={(e) => toggle(kind, row.field, e.target.checked)}
          disabled={save.isPending}
        />
      ),
    })),
  ];

  return (
    <>
      <PageHeader
        title={T.archiveRules.title}
        extra={
          <>
            <Button onClick={() => { setMatrix(matrixOf(data)); setMonths(data.currencyMonths); }} disabled={!dirty || save.isPending}>
              {T.common.reset}
            </Button>
            <Button type="primary" onClick={onSave} loading={save.isPending} disabled={!dirty || !months}>
              {T.common.save}
            </Button>
          </>
        }
      />
      <Alert type="info" showIcon title={T.archiveRules.intro} style={{ marginBottom: 16 }} />
      {data.version === 0 ? (
        <Typography.Paragraph type="secondary">{T.archiveRules.neverSaved}</Typography.Paragraph>
      ) : null}
      <Card size="small" title={T.archiveRules.requiredTitle} style={{ marginBottom: 16 }}>
        <Table<{ field: ArchiveField }>
          rowKey="field"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={ARCHIVE_FIELDS.map((field) => ({ field }))}
          scroll={{ x: 'max-content' }}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
          {T.archiveRules.unitFieldHint}
        </Typography.Paragraph>
      </Card>
      <Card size="small" title={T.archiveRules.currencyTitle}>
        <Form layout="vertical" style={{ maxWidth: 360 }}>
          <Form.Item label={T.archiveRules.currencyMonths} extra={T.archiveRules.currencyHint} required>
            <InputNumber
              min={1}
              max={60}
              precision={0}
              value={months}
              onChange={(v) => setMonths(typeof v === 'number' ? v : null)}
              disabled={save.isPending}
              style={{ width: 160 }}
              aria-label={T.archiveRules.currencyMonths}
            />
          </Form.Item>
        </Form>
      </Card>
    </>
  );
}
