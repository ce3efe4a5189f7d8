import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { T } from '../../../lib/texts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | TooltipComponentOption
>;

/** Sizes that read from the back of a meeting room on a projector. */
export const FONT = 16;
export const AXIS = { fontSize: FONT, color: '#434343' };
export const LABEL = { fontSize: FONT, color: '#1f1f1f', fontWeight: 'bold' as const };
export const PALETTE = ['#1677ff', '#52c41a', '#faad14', '#13c2c2', '#722ed1', '#eb2f96', '#fa8c16', '#2f54eb', '#a0d911', '#f5222d'];
export const RED = '#cf1322'; // darker than antd's red-6: text in it passes WCAG AA (5.9:1)
export const GREEN = '#237804'; // 5.6:1
export const BLUE = '#0958d9';

/**
 * An ECharts chart with an accessible name that says what it shows (the numbers), so that the
 * figures are readable without the canvas. `onPick` gets the data index of a clicked item.
 */
export function Chart({ option, title, summary, height = 340, onPick }: { option: ChartOption; title: string; summary: string; height?: number; onPick?: (dataIndex: number, name: string) => void }) {
  return (
    <div role="img" aria-label={T.dashboard.chartLabel(title, summary)} style={{ width: '100%', cursor: onPick ? 'pointer' : undefined }}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: '100%' }}
        opts={{ renderer: 'canvas' }}
        onEvents={onPick ? { click: (e: { dataIndex: number; name: string }) => onPick(e.dataIndex, e.name) } : undefined}
      />
    </div>
  );
}

/** Horizontal bars, the largest on top, with the value at the end of each bar. */
export function horizontalBars(rows: { label: string; count: number }[], color = BLUE): ChartOption {
  const reversed = [...rows].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle: { fontSize: FONT } },
    grid: { left: 16, right: 64, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS },
    yAxis: { type: 'category', data: reversed.map((r) => r.label), axisLabel: { ...AXIS, width: 200, overflow: 'truncate' } },
    series: [{
      type: 'bar',
      barMaxWidth: 32,
      itemStyle: { color, borderRadius: [0, 4, 4, 0] },
      label: { show: true, position: 'right', ...LABEL },
      data: reversed.map((r) => r.count),
    }],
  };
}

/** A donut with names, counts and shares on the labels. */
export function donut(rows: { label: string; count: number }[]): ChartOption {
  return {
    tooltip: { trigger: 'item', textStyle: { fontSize: FONT }, formatter: '{b}：{c}（{d}%）' },
    color: PALETTE,
    series: [{
      type: 'pie',
      radius: ['28%', '50%'],
      center: ['50%', '50%'],
      avoidLabelOverlap: true,
      itemStyle: { borderColor: '#fff', borderWidth: 2 },
      label: { fontSize: FONT, color: '#1f1f1f', formatter: (p) => `${p.name} ${p.value}\n${Math.round(Number(p.percent))}%`, lineHeight: 20, overflow: 'none' },
      labelLine: { length: 8, length2: 8 },
      data: rows.map((r) => ({ name: r.label, value: r.count })),
    }],
  };
}

/** "观澜府 496，云湖苑 412" for accessible names. */
export function summaryOf(rows: { label: string; count: number }[]): string {
  return rows.map((r) => `${r.label} ${r.count}`).join('，');
}
