import { percent } from '../../../lib/period';
import { T } from '../../../lib/texts';
import type { DashboardReport } from '@qiaoliang/shared';
import { AXIS, BLUE, Chart, FONT, GREEN, RED, type ChartOption } from './Chart';

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** K1 and K2 by month against the 100% target, with the complaints due each month as bars. */
export function TrendChart({ trend }: { trend: DashboardReport['trend'] }) {
  const months = trend.map((t) => `${Number(t.month.slice(5, 7))}月`);
  const k1 = trend.map((t) => pct(t.k1));
  const k2 = trend.map((t) => pct(t.k2));
  const lowest = Math.min(100, ...k1.filter((v): v is number => v !== null), ...k2.filter((v): v is number => v !== null));
  const yMin = Math.max(0, Math.floor((lowest - 10) / 10) * 10);
  const option: ChartOption = {
    tooltip: {
      trigger: 'axis',
      textStyle: { fontSize: FONT },
      valueFormatter: (v) => (v === null || v === undefined || v === '-' ? '—' : typeof v === 'number' && v <= 100 && !Number.isInteger(v) ? `${v}%` : String(v)),
    },
    legend: { top: 0, textStyle: { fontSize: FONT }, itemWidth: 28, itemHeight: 14 },
    grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
    // Every month labelled, a little smaller when a year or more is shown.
    xAxis: { type: 'category', data: months, axisLabel: { ...AXIS, interval: 0, fontSize: months.length > 9 ? FONT - 1 : FONT } },
    yAxis: [
      { type: 'value', min: yMin, max: 100, axisLabel: { ...AXIS, formatter: '{value}%' } },
      { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: { show: false } },
    ],
    series: [
      {
        name: T.dashboard.trendComplaints,
        type: 'bar',
        yAxisIndex: 1,
        barMaxWidth: 28,
        itemStyle: { color: '#d9d9d9', borderRadius: [3, 3, 0, 0] },
        data: trend.map((t) => t.complaints),
        z: 1,
      },
      {
        name: T.dashboard.trendK1,
        type: 'line',
        data: k1,
        symbolSize: 10,
        lineStyle: { width: 4, color: BLUE },
        itemStyle: { color: BLUE },
        label: { show: trend.length <= 6, position: 'top', fontSize: FONT, formatter: '{c}%' },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: RED, type: 'dashed', width: 2 },
          label: { formatter: T.dashboard.trendTarget, fontSize: FONT, color: RED, position: 'insideEndTop' },
          data: [{ yAxis: 100 }],
        },
        z: 3,
      },
      {
        name: T.dashboard.trendK2,
        type: 'line',
        data: k2,
        symbolSize: 10,
        lineStyle: { width: 4, color: GREEN },
        itemStyle: { color: GREEN },
        label: { show: trend.length <= 6, position: 'bottom', fontSize: FONT, formatter: '{c}%' },
        z: 3,
      },
    ],
  };
  const summary = trend.map((t) => `${t.month} K1 ${percent(t.k1)} K2 ${percent(t.k2)}`).join('，');
  return <Chart option={option} title={T.dashboard.trend} summary={summary} height={360} />;
}
