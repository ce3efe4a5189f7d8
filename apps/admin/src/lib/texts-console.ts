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
    typeHint: '类型没有默认值，请按客户反映的情况选择（投诉计入 K1/K2）',
  },
};
