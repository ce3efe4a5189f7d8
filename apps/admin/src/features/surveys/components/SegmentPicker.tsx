import { TeamOutlined } from '@ant-design/icons';
import { Alert, DatePicker, Flex, Form, Select, Spin, Statistic, Typography } from 'antd';
import { CUSTOMER_KIND_LABELS, CUSTOMER_KINDS, type CustomerKind, type SegmentPreview, type SurveySegment } from '@qiaoliang/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { isApiError } from '../../../lib/api';
import { T } from '../../../lib/texts';
import { useProjectBuildings, useSegmentPreview } from '../api/surveys';

const S = T.surveySegment;

/** The value after it stopped changing for a moment (typing, picking dates). */
function useSettled<V>(value: V, ms = 300): V {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Buildings, customer kinds and a handover period, with the live count of who is invited. */
export function SegmentPicker({ projectId, segment, onChange, disabled = false }: {
  projectId: string | undefined;
  segment: SurveySegment;
  onChange: (segment: SurveySegment) => void;
  disabled?: boolean;
}) {
  const buildings = useProjectBuildings(projectId);
  const settled = useSettled(segment);
  const preview = useSegmentPreview(projectId, settled);
  const range: [Dayjs | null, Dayjs | null] = [segment.handoverFrom ? dayjs(segment.handoverFrom) : null, segment.handoverTo ? dayjs(segment.handoverTo) : null];
  const set = (patch: Partial<SurveySegment>) => {
    const next: SurveySegment = { ...segment, ...patch };
    for (const k of Object.keys(next) as (keyof SurveySegment)[]) {
      const v = next[k];
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) delete next[k];
    }
    onChange(next);
  };

  return (
    <Flex gap={24} wrap align="flex-start">
      <Form layout="vertical" style={{ flex: '1 1 420px', minWidth: 320 }} disabled={disabled || !projectId}>
        <Typography.Paragraph type="secondary">{S.intro}</Typography.Paragraph>
        <Form.Item label={S.buildings}>
          <Select<string[]>
            mode="multiple"
            aria-label={S.buildings}
            allowClear
            placeholder={S.allBuildings}
            value={segment.buildingIds ?? []}
            loading={buildings.isFetching}
            onChange={(buildingIds) => set({ buildingIds })}
            options={(buildings.data ?? []).map((b) => ({ value: b.id, label: /^\d+$/.test(b.name) ? `${b.name}栋` : b.name }))}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
        <Form.Item label={S.kinds}>
          <Select<CustomerKind[]>
            mode="multiple"
            aria-label={S.kinds}
            allowClear
            placeholder={S.allKinds}
            value={segment.customerKinds ?? []}
            onChange={(customerKinds) => set({ customerKinds })}
            options={CUSTOMER_KINDS.map((k) => ({ value: k, label: CUSTOMER_KIND_LABELS[k] }))}
          />
        </Form.Item>
        <Form.Item label={S.handover} extra={S.handoverHint}>
          <DatePicker.RangePicker
            aria-label={S.handover}
            allowEmpty={[true, true]}
            value={range}
            onChange={(v) => set({ handoverFrom: v?.[0]?.format('YYYY-MM-DD'), handoverTo: v?.[1]?.format('YYYY-MM-DD') })}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
      <SegmentCount projectId={projectId} data={preview.data} loading={preview.isFetching} error={preview.error} />
    </Flex>
  );
}

function SegmentCount({ projectId, data, loading, error }: { projectId: string | undefined; data: SegmentPreview | undefined; loading: boolean; error: unknown }) {
  if (!projectId) return <Alert type="info" showIcon title={S.chooseProject} style={{ flex: '0 1 300px' }} />;
  return (
    <div
      role="status"
      aria-label={S.count}
      aria-live="polite"
      style={{ flex: '0 1 300px', minWidth: 260, padding: 20, background: '#f0f5ff', borderRadius: 8 }}
    >
      <Spin spinning={loading && !data}>
        <Statistic title={S.count} value={data?.customers ?? 0} prefix={<TeamOutlined />} suffix={S.unit} styles={{ content: { fontSize: 36 } }} />
        <Typography.Text type="secondary">{data ? S.withMobile(data.withMobile) : S.counting}</Typography.Text>
        {error ? <Alert type="error" showIcon title={isApiError(error) ? error.text : T.errors.unknown} style={{ marginTop: 12 }} /> : null}
      </Spin>
    </div>
  );
}
