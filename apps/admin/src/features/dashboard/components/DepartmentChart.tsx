import { T } from '../../../lib/texts';
import type { DashboardReport } from '@qiaoliang/shared';
import { AXIS, BLUE, Chart, FONT, LABEL, RED, type ChartOption } from './Chart';

/** Work orders per department, split into on time and late; a click filters by the department. */
export function DepartmentChart({ rows, onPick }: { rows: DashboardReport['byDepartment']; onPick: (departmentId: string) => void }) {
  const top = rows.slice(0, 10).reverse();
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle: { fontSize: FONT } },
    legend: { top: 0, textStyle: { fontSize: FONT } },
    grid: { left: 16, right: 56, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS },
    yAxis: { type: 'category', data: top.map((r) => r.label), axisLabel: { ...AXIS, width: 200, overflow: 'truncate' } },
    series: [
      { name: T.dashboard.onTime, type: 'bar', stack: 'n', barMaxWidth: 30, itemStyle: { color: BLUE }, data: top.map((r) => r.count - r.late) },
      {
        name: T.dashboard.late,
        type: 'bar',
        stack: 'n',
        barMaxWidth: 30,
        itemStyle: { color: RED, borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right', ...LABEL, formatter: (p) => `${top[p.dataIndex]?.count ?? ''}` },
        data: top.map((r) => r.late),
      },
    ],
  };
  const summary = rows.map((r) => `${r.label} ${r.count}（${T.dashboard.late} ${r.late}）`).join('，');
  return <Chart option={option} title={T.dashboard.byDepartment} summary={summary} height={Math.max(260, top.length * 44 + 60)} onPick={(i) => { const r = top[i]; if (r) onPick(r.key); }} />;
}
