/** Texts of the owner-portal pieces of the console. */
export const TP = {
  devSms: {
    open: '开发短信信箱',
    title: '开发短信信箱（未接入短信服务商）',
    intro: '未配置短信服务商（SMS_PROVIDER=dev）时，短信不会真正发出，最近 200 条显示在这里，号码已打码。演示时业主登录验证码也在此查看。',
    provider: '短信服务商',
    at: '时间',
    to: '号码',
    template: '模板',
    text: '内容',
    empty: '暂无短信',
    templates: { login_code: '登录验证码', notice: '通知' } as Record<string, string>,
    realProvider: '已接入短信服务商，短信由服务商发出，此处不保留内容。',
  },
};
