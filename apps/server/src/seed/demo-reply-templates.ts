import type { Kysely } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../db/schema.js';

/** The wording a center starts with: group-wide templates for the usual answers. */
export const DEMO_REPLY_TEMPLATES: { title: string; body: string; ticketType: string | null }[] = [
  { title: '受理确认', body: '{客户姓名}您好，您反映的问题已登记，工单号 {工单号}。我们将在{答复时限}前给您答复，请保持电话畅通。', ticketType: null },
  { title: '投诉受理（首问负责）', body: '{客户姓名}您好，我是客服{坐席}，您的投诉由我全程跟进（工单 {工单号}）。我们已安排相关部门核查，将于{答复时限}前答复您处理方案。', ticketType: 'complaint' },
  { title: '维修预约', body: '{客户姓名}您好，您报修的{位置}问题（工单 {工单号}）已派单，维修师傅将与您电话预约上门时间，预计{解决时限}前处理完毕。', ticketType: 'repair' },
  { title: '处理进展告知', body: '{客户姓名}您好，关于工单 {工单号}，目前责任部门正在处理中。给您带来不便，敬请谅解，有新进展我们会第一时间告知您。', ticketType: null },
  { title: '咨询答复', body: '{客户姓名}您好，关于您咨询的问题，答复如下：【答复内容】。如有其他疑问，欢迎随时致电客服中心。', ticketType: 'inquiry' },
  { title: '建议致谢', body: '{客户姓名}您好，感谢您对{项目}提出的宝贵建议，我们已转交相关部门研究，采纳情况会及时反馈给您。', ticketType: 'suggestion' },
];

export async function seedDemoReplyTemplates(trx: Kysely<DB>, deps: Pick<Deps, 'ids'>, now: number): Promise<number> {
  await trx.insertInto('reply_templates').values(DEMO_REPLY_TEMPLATES.map((t) => ({
    id: deps.ids.next(), title: t.title, body: t.body, ticket_type: t.ticketType, project_id: null, active: 1, version: 1,
    created_at: now, created_by: null, updated_at: now, updated_by: null,
  }))).execute();
  return DEMO_REPLY_TEMPLATES.length;
}
