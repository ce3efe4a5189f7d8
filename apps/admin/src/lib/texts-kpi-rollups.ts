/** The strings of the KPI rollups' status panel (issue #11), shown to administrators on the dashboard. */
export const KPI_ROLLUP_TEXTS = {
  kpiRollups: {
    title: '指标汇总核对（管理员）',
    hint: 'K1/K2 由汇总表提供，每晚与原始数据重新计算核对',
    backfill: '回填进度',
    backfillDone: '已完成',
    backfillRunning: (done: number, total: number) => `进行中 ${done}/${total} 天（期间按原始数据计算）`,
    backfillNone: '尚未开始',
    reconcile: '最近核对',
    reconcileNone: '尚未核对',
    noDrift: (checked: number) => `无偏差（核对 ${checked} 项）`,
    drift: (n: number) => `发现 ${n} 处偏差`,
    pending: (n: number) => `待并入的变更标记 ${n} 条`,
    columns: { checkedAt: '核对时间', month: '月份', kpi: '指标', expected: '重新计算', actual: '汇总表' },
  },
};
