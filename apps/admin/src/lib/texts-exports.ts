/**
 * The strings of export jobs and import progress (issue 21): the export dialog's reason, the
 * 导出任务 drawer with its approvals, the import's stages. Spread into `T` by texts.ts: use them
 * as `T.exportJobs.…`.
 */
export const EXPORT_TEXTS = {
  exportJobs: {
    button: '导出任务',
    title: '导出任务',
    mine: '我的导出',
    approvals: '待我审批',
    empty: '暂无导出任务',
    emptyApprovals: '没有待审批的导出',
    requested: '已提交导出，可在“导出任务”中查看进度并下载',
    awaiting: '导出完整手机号须说明原因；超过批量阈值（默认 500 行）须经客服经理或管理员审批后才生成文件。',
    requestedAwaiting: '已提交审批：超过批量导出阈值的完整手机号导出须经经理或管理员批准',
    download: '下载',
    approve: '批准',
    reject: '驳回',
    approveTitle: '批准导出完整手机号？',
    rejectTitle: '驳回此导出？',
    note: '审批意见',
    notePlaceholder: '可选，例如 仅限本次交付通知使用',
    approved: '已批准，正在生成',
    rejected: '已驳回',
    requester: '申请人',
    reason: '原因',
    rows: '行数',
    progress: (done: number, total: number | null) => (total ? `${done} / ${total} 行` : `${done} 行`),
    createdAt: '申请时间',
    expiresAt: (at: string) => `文件保留至 ${at}`,
    decided: (who: string) => `审批人：${who}`,
    clearPhones: '含完整手机号',
    masked: '脱敏',
    reasonLabel: '导出原因',
    reasonMin: '请填写导出原因（至少 4 个字）',
    reasonHint: '每次导出须重新填写原因；文件生成时连同原因记入审计日志，只有您本人可以下载，24 小时后自动删除。',
  },
  importProgress: {
    uploading: (pct: number) => `正在上传 ${pct}%`,
    parsing: '正在读取并校验文件…',
  },
} as const;
