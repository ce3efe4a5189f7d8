/**
 * The strings of issue #20 (KPI truth): unsuccessful visits beside K3, the unit transfer
 * (过户) and the archive dates an import brings along.
 */
export const KPI_TRUTH_TEXTS = {
  visitAttempt: {
    result: '拜访结果',
    reached: '已见到/联系到客户',
    unsuccessful: '未成功',
    unsuccessfulHint: '未成功的拜访不计入 K3 拜访覆盖率，在 K3 旁单列',
    kind: '拜访方式',
    outcome: '未成功原因',
    saved: '未成功的拜访已记录',
    beside: (n: number) => `未成功拜访 ${n} 次`,
    listTitle: '未成功的拜访（不计入 K3）',
    empty: '本期没有未成功的拜访',
    columns: { at: '时间', customer: '客户', project: '项目', kind: '方式', outcome: '原因', notes: '记录', actor: '记录人' },
  },
  correction: {
    label: '更正历史',
    hint: '勾选表示这是对过去日期的更正：已结束期间的 K3/K4 将按更正后的关系重新统计。不勾选时，过去期间的统计保持不变。',
  },
  transfer: {
    button: '过户',
    title: (unit: string) => `房屋过户：${unit}`,
    intro: '卖方的业主关系在过户日期结束，买方的业主关系从同一天开始；两者都保留在房屋的历史中，K3/K4 的统计范围在该日期转移。',
    seller: '卖方（当前业主）',
    buyer: '买方',
    buyerPlaceholder: '输入姓名或电话查找客户',
    date: '过户日期',
    contractNo: '买方合同编号',
    contractDate: '买方合同日期',
    saved: '过户已完成',
    history: '房屋业主历史',
  },
} as const;
