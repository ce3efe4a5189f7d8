import type { Kysely } from 'kysely';
import type { SurveyAnswers, SurveyQuestion } from '@qiaoliang/shared';
import type { Deps } from '../deps.js';
import type { DB } from '../db/schema.js';
import { recordTimeline } from '../modules/customers/timeline.service.js';
import { segmentCustomerIds } from '../modules/surveys/surveys.repo.js';
import { timelineSummary } from '../modules/surveys/surveys.rules.js';
import { newSurveyToken } from '../modules/surveys/surveys.service.js';
import { zonedDate } from '../platform/time.js';
import type { Random } from './random.js';

const H = 3_600_000;
const DAY = 24 * H;

/** The project the demo survey runs in, and how many owners answer it. */
const PROJECT_CODE = 'GLF';
const RESPONSES = 150;

const SATISFACTION = ['非常满意', '满意', '一般', '不满意', '非常不满意'];
const IMPROVE = ['安保巡逻', '环境保洁', '园林绿化', '报修响应', '停车管理', '社区活动'];

export const DEMO_SURVEY_QUESTIONS: SurveyQuestion[] = [
  { id: 'overall', kind: 'scale', text: '您对观澜府的整体居住体验打几分？', scaleMax: 5, required: true, scaleMinLabel: '非常不满意', scaleMaxLabel: '非常满意' },
  { id: 'property', kind: 'single', text: '您对物业服务是否满意？', options: SATISFACTION, required: true },
  { id: 'quality', kind: 'scale', text: '您对房屋质量打几分？', scaleMax: 5, required: true, scaleMinLabel: '非常不满意', scaleMaxLabel: '非常满意' },
  { id: 'improve', kind: 'multiple', text: '您认为最需要改进的方面（可多选）', options: IMPROVE, required: false },
  { id: 'recommend', kind: 'single', text: '您是否愿意向亲友推荐观澜府？', options: ['愿意', '不确定', '不愿意'], required: true },
  { id: 'advice', kind: 'text', text: '其他意见和建议', required: false },
];

const ADVICE: Record<'happy' | 'neutral' | 'unhappy', string[]> = {
  happy: [
    '物业管家很负责，报修当天就来处理了', '小区环境越来越好，感谢物业的付出', '希望多组织一些亲子活动', '保安大哥很热情，晚上回家很安心',
    '整体满意，建议增加几个快递柜', '园林打理得很漂亮，孩子很喜欢中心花园',
  ],
  neutral: [
    '地下车库灯光偏暗，希望改善', '建议增设充电桩，新能源车越来越多', '垃圾分类点气味较大，夏天尤其明显', '电梯偶尔停在半层，请加强维保',
    '希望公示物业费的使用明细', '周末装修噪音较大，请加强管理',
  ],
  unhappy: [
    '卫生间渗水报修两次都没有彻底解决', '交付时承诺的会所至今没有开放', '外墙有裂缝，担心质量问题，希望尽快给出说法', '投诉后没人回电话，体验很差',
    '车位太少，访客车辆经常占用业主车位',
  ],
};

/** A weighted pick: weights in the order of the items. */
function weighted<T>(r: Random, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((s, w) => s + w, 0);
  let x = r.next() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i]!;
    if (x < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** One owner's answers, consistent with each other: the overall score drives the rest. */
function answersFor(r: Random): SurveyAnswers {
  const overall = weighted(r, [5, 4, 3, 2, 1], [32, 38, 18, 8, 4]);
  const mood = overall >= 4 ? 'happy' : overall === 3 ? 'neutral' : 'unhappy';
  const property = SATISFACTION[Math.min(4, Math.max(0, 5 - overall + r.int(-1, 1)))]!;
  const quality = Math.min(5, Math.max(1, overall + r.int(-1, 1) - (r.chance(0.25) ? 1 : 0)));
  const improve = IMPROVE.filter(() => r.chance(mood === 'happy' ? 0.15 : 0.4));
  const recommend = mood === 'happy' ? (r.chance(0.85) ? '愿意' : '不确定') : mood === 'neutral' ? weighted(r, ['愿意', '不确定', '不愿意'], [3, 5, 2]) : weighted(r, ['不确定', '不愿意'], [3, 7]);
  const answers: SurveyAnswers = { overall, property, quality, recommend };
  if (improve.length) answers.improve = improve;
  if (r.chance(mood === 'happy' ? 0.2 : 0.55)) answers.advice = r.pick(ADVICE[mood]);
  return answers;
}

/**
 * The annual satisfaction survey of 观澜府, sent by SMS three weeks ago to every current owner
 * and prospective owner and still open, with about 150 responses recorded on the customers'
 * timelines. Deterministic for a given Random (who answers, and what); link tokens stay random.
 * Returns the number of responses.
 */
export async function seedDemoSurvey(trx: Kysely<DB>, deps: Deps, r: Random, now: number): Promise<number> {
  const project = await trx.selectFrom('projects').select(['id', 'name']).where('code', '=', PROJECT_CODE).executeTakeFirst();
  const author = await trx.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'supervisor').executeTakeFirst();
  if (!project || !author) return 0;
  const sentAt = now - 21 * DAY;
  const day = zonedDate(now, deps.config.timeZone);

  // Invitees in a stable order (building, entrance, room, relation, name): ids are random.
  const links = await trx.selectFrom('customer_units as cu')
    .innerJoin('units as u', 'u.id', 'cu.unit_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('customers as c', 'c.id', 'cu.customer_id')
    .select(['cu.customer_id', 'cu.relation', 'b.name as building', 'u.entrance', 'u.room_number', 'c.name'])
    .where('cu.project_id', '=', project.id)
    .where('cu.customer_id', 'in', segmentCustomerIds(trx, project.id, {}, day))
    .execute();
  const keyOf = new Map<string, string>();
  for (const l of links) {
    const key = [l.building.padStart(4, '0'), l.entrance.padStart(3, '0'), l.room_number.padStart(6, '0'), l.relation, l.name].join('|');
    const old = keyOf.get(l.customer_id);
    if (old === undefined || key < old) keyOf.set(l.customer_id, key);
  }
  const invitees = [...keyOf].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([id]) => id);
  if (!invitees.length) return 0;

  const surveyId = deps.ids.next();
  const title = `${project.name} 2026 年度业主满意度调查`;
  await trx.insertInto('surveys').values({
    id: surveyId, project_id: project.id, title,
    intro: '尊敬的业主：为持续提升居住品质与服务水平，诚邀您花 3 分钟填写本问卷。您的每一条意见都会由客服中心整理并反馈给相关部门。',
    questions: JSON.stringify(DEMO_SURVEY_QUESTIONS), segment: '{}', status: 'sent', channel: 'sms', sent_at: sentAt, closed_at: null,
    invitation_count: invitees.length, response_count: 0, created_by: author.id, version: 2, created_at: sentAt - 2 * DAY, updated_at: sentAt,
  }).execute();

  const invitations: DB['survey_invitations'][] = invitees.map((customerId) => ({
    id: deps.ids.next(), survey_id: surveyId, customer_id: customerId, token: newSurveyToken(), channel: 'sms', sent_at: sentAt, responded_at: null,
  }));
  // Who answers: a partial Fisher-Yates shuffle driven by the seeded Random.
  const order = invitations.map((_, i) => i);
  const count = Math.min(RESPONSES, order.length);
  for (let i = 0; i < count; i++) {
    const j = r.int(i, order.length - 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const responses: DB['survey_responses'][] = [];
  for (const idx of order.slice(0, count).sort((a, b) => a - b)) {
    const inv = invitations[idx]!;
    // Most answers come in the first days after the SMS, a tail later on.
    const delay = r.chance(0.7) ? r.int(1, 72) * H : r.int(3, 20) * DAY + r.int(0, 12) * H;
    const at = Math.min(now - H, sentAt + delay + r.int(0, 59) * 60_000);
    inv.responded_at = at;
    responses.push({ id: deps.ids.next(), survey_id: surveyId, invitation_id: inv.id, customer_id: inv.customer_id, answers: JSON.stringify(answersFor(r)), submitted_at: at });
  }
  for (let i = 0; i < invitations.length; i += 200) await trx.insertInto('survey_invitations').values(invitations.slice(i, i + 200)).execute();
  for (let i = 0; i < responses.length; i += 200) await trx.insertInto('survey_responses').values(responses.slice(i, i + 200)).execute();
  await trx.updateTable('surveys').set({ response_count: responses.length }).where('id', '=', surveyId).execute();

  const respondent = { actorId: null, actorName: '客户本人', ip: null, requestId: null };
  for (const resp of responses) {
    await recordTimeline(trx, deps, respondent, {
      customerId: resp.customer_id, kind: 'survey.responded', title: `参与满意度调查「${title}」`, body: timelineSummary(DEMO_SURVEY_QUESTIONS, JSON.parse(resp.answers) as SurveyAnswers),
      refType: 'survey', refId: surveyId, projectId: project.id, at: resp.submitted_at,
    });
  }
  return responses.length;
}
