/**
 * The strings of issue #18 (the agent console as a daily tool): the restored screen pop, the
 * registration and dispatch checks, text limits, the handler's work-order context and the
 * ticket-history import. Spread into `T` by texts.ts: use them as `T.console.…`.
 */
export const CONSOLE_TEXTS = {
  console: {
    inCall: (caller: string) => `通话中：${caller}`,
    ringing: (caller: string) => `振铃中：${caller}`,
    openPop: '打开弹屏',
    timedOut: '超时关闭',
    timedOutHint: '未收到电话系统的挂断事件，已按超时关闭',
    typeRequired: '请选择工单类型：投诉、报修、咨询等按客户反映的实际情况选择',
    suggested: (name: string, basis: string) => `建议：${name}（${basis}）`,
    noSuggestion: '工单未选分类，无法建议处理部门',
    lateTitle: (at: string) => `派工单时限晚于工单时限（${at}）`,
    lateHint: '部门在工单时限之后才完成，客户得到答复会晚于承诺。请把时限提前，或填写延后的原因（会记录在工单和审计日志中）。',
    lateReason: '延后原因',
    lateReasonRequired: '时限晚于工单时限，请填写延后原因',
    lateReasonPlaceholder: '如：材料需厂家订货，约两天到货',
    woCustomer: '客户与诉求',
    woTicket: '工单号',
    woCustomerName: '客户',
    woPhone: '联系电话',
    woReveal: '查看完整号码',
    woUnit: '房屋/位置',
    woComplaint: '客户原话（登记时的问题描述）',
    typeHint: '类型没有默认值，请按客户反映的情况选择（投诉计入 K1/K2）',
  },
};
