import { ReloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Segmented, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useDepartments, useProjectOptions } from '../../lib/lookups';
import { DATE, presetOf, presetPeriod, PRESETS, type Period, type PeriodPreset } from '../../lib/period';
import { T } from '../../lib/texts';

export interface PeriodFiltersProps {
  period: Period;
  onPeriod: (p: Period) => void;
  projectId: string | undefined;
  onProject: (id: string | undefined) => void;
  /** Leave out to hide the department filter. */
  departmentId?: string | undefined;
  onDepartment?: (id: string | undefined) => void;
  onRefresh?: () => void;
  refreshing?: boolean;
  /** Large controls for the dashboard on a projector. */
  large?: boolean;
}

/**
 * The period (本月 / 本季度 / 本年 / 近12个月 up to today, or any range), the project and the
 * department the KPI pages are computed for.
 */
export function PeriodFilters(props: PeriodFiltersProps) {
  const { period, onPeriod, projectId, onProject, departmentId, onDepartment, onRefresh, refreshing, large } = props;
  const projects = useProjectOptions();
  const departments = useDepartments();
  const preset = presetOf(period);
  const size = large ? 'large' : 'middle';
  const [picking, setPicking] = useState(false);
  return (
    <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
      <Segmented<PeriodPreset | 'custom'>
        size={size}
        aria-label={T.kpiPeriod.period}
        value={preset ?? 'custom'}
        onChange={(v) => {
          if (v === 'custom') setPicking(true);
          else onPeriod(presetPeriod(v));
        }}
        options={[...PRESETS.map((p) => ({ value: p, label: T.kpiPeriod.presets[p] })), { value: 'custom' as const, label: T.kpiPeriod.custom }]}
      />
      <DatePicker.RangePicker
        size={size}
        aria-label={T.kpiPeriod.period}
        value={[dayjs(period.from), dayjs(period.to)]}
        allowClear={false}
        open={picking}
        onOpenChange={setPicking}
        onChange={(v) => {
          if (v?.[0] && v[1]) onPeriod({ from: v[0].format(DATE), to: v[1].format(DATE) });
        }}
      />
      <Select
        size={size}
        placeholder={T.kpiPeriod.allProjects}
        aria-label={T.kpiPeriod.project}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        value={projectId}
        onChange={(v?: string) => onProject(v)}
        options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
        style={{ width: 180 }}
      />
      {onDepartment ? (
        <Select
          size={size}
          placeholder={T.kpiPeriod.allDepartments}
          aria-label={T.kpiPeriod.department}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={departmentId}
          onChange={(v?: string) => onDepartment(v)}
          options={departments.data?.map((d) => ({ value: d.id, label: d.name }))}
          style={{ width: 200 }}
        />
      ) : null}
      {onRefresh ? (
        <Button size={size} icon={<ReloadOutlined />} loading={refreshing} onClick={onRefresh}>
          {T.kpiPeriod.refresh}
        </Button>
      ) : null}
    </Flex>
  );
}
