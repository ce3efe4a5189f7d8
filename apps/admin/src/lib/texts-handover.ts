/** Texts of the handover pages (房屋交验 · 整改 · 复验). */
export const TH = {
  nav: { batches: '交付验房', tasks: '整改任务' },
  batches: { title: '交付批次', name: '批次', project: '项目', window: '交付期', units: '房屋', inspected: '已查验', accepted: '已收楼', refused: '拒收', open: '有未销项问题' },
  batch: { units: '房屋', report: '批次报表', export: '导出 Excel', building: '楼栋', room: '房号', status: '收楼状态', sign: '签字', inspect: '验房' },
  unitStatus: { not_inspected: '未检查', inspected: '已查验未收楼', accepted: '已收楼', refused: '拒绝收楼' } as Record<string, string>,
  signStatus: { unsigned: '未签', signed: '已签', refused: '拒签' } as Record<string, string>,
  severity: { minor: '一般', serious: '严重', blocking: '影响入住' } as Record<string, string>,
  defectStatus: { unassigned: '待分配', to_rectify: '待整改', in_progress: '整改中', to_verify: '待销项', closed: '已销项', cancelled: '已取消', disputed: '争议' } as Record<string, string>,
  unit: {
    checklist: '检查表', room: '房间', item: '检查项', criterion: '验收标准', result: '结果', pass: '合格', defect: '有问题', defects: '问题',
    addDefect: '登记问题', description: '问题描述', severity: '严重程度', contractor: '整改单位', photo: '照片', due: '整改期限',
    finish: '提交查验结果', meters: '三表读数', water: '水表', electricity: '电表', gas: '燃气表', signStatus: '业主签字', signReason: '拒签原因',
    accept: '收楼（交钥匙）', refuse: '拒绝收楼', handoverDate: '收楼日期', keysTo: '钥匙交付给', signature: '业主签名图片', reasons: '拒收原因',
    saved: '已保存', warrantyStart: '保修起始日',
  },
  tasks: {
    title: '整改任务', start: '开始整改', fix: '整改完成', pass: '复验通过', fail: '复验不通过', note: '说明', assign: '分配', flagged: '两次复验不通过', overdue: '超期',
  },
  report: {
    defects: '问题数', open: '未销项', perUnit: '户均问题', firstPass: '一次收楼率', onTime: '整改按期率', reinspect: '复验通过率', byItem: '检查项排行',
    on_time: '按期完成', late_done: '超期完成', overdue_open: '超期未完成', no_deadline: '未设置期限', pending: '未到期', group: '范围', byBuilding: '按楼栋', byContractor: '按施工单位',
  } as Record<string, string>,
};
