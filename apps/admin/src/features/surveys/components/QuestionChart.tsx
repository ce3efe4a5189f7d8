import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { QuestionResult } from '@qiaoliang/shared';
import { T } from '../../../lib/texts';

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption>;

/** Sizes that still read from the back of a meeting room on a projector; no animation, so a refresh every 30 s does not flicker. */
const FONT = 16;
const LABEL = { fontSize: FONT, color: '#1f1f1f' };
const AXIS = { fontSize: FONT, color: '#434343' };
/** Blue for the choices, and from green (high) to red (low) for scale values. */
const PALETTE = ['#1677ff', '#52c41a', '#faad14', '#13c2c2', '#722ed1', '#eb2f96', '#fa8c16', '#2f54eb', '#a0d911', '#f5222d'];
const SCALE_COLORS = ['#f5222d', '#fa8c16', '#fadb14', '#a0d911', '#52c41a'];

/** A scale value's colour: the low end red, the high end green, whatever the scale's size. */
function scaleColor(value: number, max: number): string {
  const i = Math.round(((value - 1) / Math.max(1, max - 1)) * (SCALE_COLORS.length - 1));
  return SCALE_COLORS[i]!;
}

export interface ChartRow {
  label: string;
  count: number;
}

/** The rows a question's chart and table show. */
export function chartRows(r: QuestionResult): ChartRow[] {
  if (r.options) return r.options.map((o) => ({ label: o.option, count: o.count }));
  if (r.distribution) return r.distribution.map((d) => ({ label: T.surveyResults.score(d.value), count: d.count }));
  return [];
}

function optionFor(r: QuestionResult, rows: ChartRow[]): Option {
  const tooltip: TooltipComponentOption = { trigger: r.kind === 'single' ? 'item' : 'axis', textStyle: { fontSize: FONT } };
  if (r.kind === 'single') {
    return {
      tooltip,
      animation: false,
      series: [{
        type: 'pie',
        radius: ['38%', '68%'],
        center: ['50%', '52%'],
        avoidLabelOverlap: true,
        percentPrecision: 1,
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        label: { ...LABEL, formatter: '{b}\n{c} 人（{d}%）', lineHeight: 22 },
        labelLine: { length: 12, length2: 12 },
        // Options nobody chose stay in the table beside the chart, not as empty slices.
        data: rows.filter((row) => row.count > 0).map((row) => ({ name: row.label, value: row.count, itemStyle: { color: PALETTE[rows.indexOf(row) % PALETTE.length] } })),
      }],
    };
  }
  const max = r.scaleMax ?? rows.length;
  if (r.kind === 'scale') {
    return {
      tooltip,
      animation: false,
      grid: { left: 48, right: 24, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: rows.map((row) => row.label), axisLabel: AXIS },
      yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS },
      series: [{
        type: 'bar',
        barMaxWidth: 64,
        label: { show: true, position: 'top', ...LABEL, fontWeight: 'bold' },
        data: rows.map((row, i) => ({ value: row.count, itemStyle: { color: scaleColor(i + 1, max), borderRadius: [4, 4, 0, 0] } })),
      }],
    };
  }
  // Multiple choice: horizontal bars, the first option on top.
  const reversed = [...rows].reverse();
  return {
    tooltip,
    animation: false,
    grid: { left: 16, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS },
    yAxis: { type: 'category', data: reversed.map((row) => row.label), axisLabel: { ...AXIS, width: 180, overflow: 'truncate' } },
    series: [{
      type: 'bar',
      barMaxWidth: 36,
      itemStyle: { color: PALETTE[0], borderRadius: [0, 4, 4, 0] },
      label: { show: true, position: 'right', ...LABEL, fontWeight: 'bold' },
      data: reversed.map((row) => row.count),
    }],
  };
}

/**
 * The chart of a choice or scale question: a donut for single choice, horizontal bars for
 * multiple choice, value bars for a scale. Its accessible name lists the counts.
 */
export function QuestionChart({ result, title }: { result: QuestionResult; title: string }) {
  const rows = chartRows(result);
  const height = result.kind === 'multiple' ? Math.max(220, rows.length * 52) : 320;
  const summary = rows.map((row) => `${row.label} ${row.count}`).join('，');
  return (
    <div role="img" aria-label={T.surveyResults.chartLabel(title, summary)} style={{ width: '100%' }}>
      <ReactEChartsCore echarts={echarts} option={optionFor(result, rows)} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
