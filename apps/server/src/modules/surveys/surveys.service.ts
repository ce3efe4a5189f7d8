import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  surveyLinkPath, type PublicSurvey, type SurveyAnswers, type SurveyChannel, type SurveyCreate, type SurveyListQuery, type SurveyQuestion,
  type SurveyResults, type SurveySegment, type SurveyUpdate,
} from '@qiaoliang/shared';
import { publicLink } from '../../config.js';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/dialect.js';
import { AppError, conflict, notFound } from '../../http/app-error.js';
import { iso, pageOf } from '../../http/pagination.js';
import { staleVersion } from '../../http/versioning.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor, scopeIn } from '../../platform/auth.js';
import { enqueueMessage } from '../../platform/outbox.js';
import { getProject } from '../org/org.service.js';
import { today } from '../customers/customers.service.js';
import { hasMobilePhone } from '../customers/customer-phones.repo.js';
import { recordTimeline } from '../customers/timeline.service.js';
import { presentSurvey, presentSurveySummary, questionsOf, segmentOf } from './surveys.presenter.js';
import { mobilesOf, segmentCustomerIds, surveysQuery, type SurveyRow } from './surveys.repo.js';
import { checkAnswers, computeResults, normalizeQuestions, questionErrors, responseRate, segmentErrors, timelineSummary } from './surveys.rules.js';
import { updateVersioned } from '../../db/versioned.js';

/** A survey the actor may see, or 404 (unknown or outside the actor's scope: no hint either way). */
export async function visibleSurvey(deps: Deps, actor: Actor, id: string): Promise<SurveyRow> {
  const row = await surveysQuery(deps.db).where('s.id', '=', id).executeTakeFirst();
  if (!row || !projectInScope(actor, row.project_id)) throw notFound('问卷不存在或不在您的数据范围内');
  return row;
}

async function reload(deps: Deps, id: string) {
  return presentSurvey((await surveysQuery(deps.db).where('s.id', '=', id).executeTakeFirst())!);
}

/** Validated, normalized questions, or 400 with the problems beside the fields. */
function checkedQuestions(questions: SurveyQuestion[]): SurveyQuestion[] {
  const normalized = normalizeQuestions(questions);
  const errors = questionErrors(normalized);
  if (errors.length) throw new AppError(400, 'survey.invalid_questions', '请检查标出的题目', errors);
  return normalized;
}

/** A segment whose buildings belong to the project and whose dates are in order, or 400. */
async function checkedSegment(deps: Deps, projectId: string, segment: SurveySegment): Promise<SurveySegment> {
  const errors = segmentErrors(segment);
  const buildingIds = segment.buildingIds ?? [];
  if (buildingIds.length) {
    const found = await deps.db.selectFrom('buildings').select('id').where('project_id', '=', projectId).where('id', 'in', buildingIds).execute();
    if (found.length !== buildingIds.length) errors.push({ field: 'segment.buildingIds', message: '楼栋不属于该项目' });
  }
  if (errors.length) throw new AppError(400, 'survey.invalid_segment', '请检查调查对象范围', errors);
  // Only the filters in use are stored, so an empty list never reads as "nobody".
  return {
    ...(buildingIds.length ? { buildingIds } : {}),
    ...(segment.customerKinds?.length ? { customerKinds: segment.customerKinds } : {}),
    ...(segment.handoverFrom ? { handoverFrom: segment.handoverFrom } : {}),
    ...(segment.handoverTo ? { handoverTo: segment.handoverTo } : {}),
  };
}

/** What the audit keeps of a survey: its content, never any customer's data. */
const auditImage = (s: { title: string; intro: string | null; questions: SurveyQuestion[]; segment: SurveySegment }) => ({
  title: s.title, intro: s.intro, questions: s.questions.map((q) => ({ id: q.id, kind: q.kind, text: q.text })), segment: s.segment,
});

// ---------- staff ----------

/** Surveys of the projects in scope, newest first. */
export async function listSurveys(deps: Deps, actor: Actor, query: SurveyListQuery) {
  const { page, pageSize, offset } = pageOf(query);
  let base = deps.db.selectFrom('surveys as s');
  if (actor.projectIds !== null) base = base.where('s.project_id', 'in', scopeIn(actor.projectIds));
  if (query.projectId) base = base.where('s.project_id', '=', query.projectId);
  if (query.status) base = base.where('s.status', '=', query.status);
  const [rows, total] = await Promise.all([
    surveysQuery(deps.db).where('s.id', 'in', base.select('s.id')).orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(pageSize).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(presentSurveySummary), total: Number(total.n), page, pageSize };
}

export async function getSurvey(deps: Deps, actor: Actor, id: string) {
  return presentSurvey(await visibleSurvey(deps, actor, id));
}

/** Creates a draft in a project in scope (404 otherwise). */
export async function createSurvey(deps: Deps, actor: Actor, ctx: AuditContext, body: SurveyCreate) {
  await getProject(deps, actor, body.projectId);
  const questions = checkedQuestions(body.questions);
  const segment = await checkedSegment(deps, body.projectId, body.segment ?? {});
  const now = deps.clock.now().getTime();
  const row: DB['surveys'] = {
    id: deps.ids.next(), project_id: body.projectId, title: body.title.trim(), intro: body.intro?.trim() || null, questions: JSON.stringify(questions),
    segment: JSON.stringify(segment), status: 'draft', channel: null, sent_at: null, closed_at: null, invitation_count: 0, response_count: 0,
    created_by: actor.userId, version: 1, created_at: now, updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('surveys').values(row).execute();
    await appendAudit(trx, deps, ctx, {
      action: 'survey.created', entityType: 'survey', entityId: row.id,
      after: { projectId: row.project_id, ...auditImage({ title: row.title, intro: row.intro, questions, segment }) },
    });
  });
  return reload(deps, row.id);
}

function assertDraft(row: SurveyRow): void {
  if (row.status !== 'draft') throw conflict('survey.not_draft', row.status === 'sent' ? '问卷已发送，不能再修改；如需调整请新建问卷' : '调查已结束，不能再修改');
}

/** Edits a draft with If-Match. */
export async function updateSurvey(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, body: SurveyUpdate) {
  const before = await visibleSurvey(deps, actor, id);
  assertDraft(before);
  const questions = body.questions !== undefined ? checkedQuestions(body.questions) : undefined;
  const segment = body.segment !== undefined ? await checkedSegment(deps, before.project_id, body.segment) : undefined;
  const patch = {
    ...(body.title !== undefined ? { title: body.title.trim() } : {}),
    ...(body.intro !== undefined ? { intro: body.intro?.trim() || null } : {}),
    ...(questions ? { questions: JSON.stringify(questions) } : {}),
    ...(segment ? { segment: JSON.stringify(segment) } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'surveys', { id, version, status: 'draft' }, patch, deps.clock.now().getTime());
    const old = { title: before.title, intro: before.intro, questions: questionsOf(before), segment: segmentOf(before) };
    await appendAudit(trx, deps, ctx, {
      action: 'survey.updated', entityType: 'survey', entityId: id,
      before: auditImage(old),
      after: auditImage({ title: patch.title ?? old.title, intro: patch.intro !== undefined ? patch.intro : old.intro, questions: questions ?? old.questions, segment: segment ?? old.segment }),
    });
  });
  return reload(deps, id);
}

/** Deletes a draft (nothing was sent, so nothing refers to it). */
export async function deleteSurvey(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number): Promise<void> {
  const before = await visibleSurvey(deps, actor, id);
  assertDraft(before);
  await deps.db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('surveys').where('id', '=', id).where('version', '=', version).where('status', '=', 'draft').executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw staleVersion();
    await appendAudit(trx, deps, ctx, {
      action: 'survey.deleted', entityType: 'survey', entityId: id,
      before: { projectId: before.project_id, ...auditImage({ title: before.title, intro: before.intro, questions: questionsOf(before), segment: segmentOf(before) }) },
    });
  });
}

/** How many customers a segment of a project in scope names, and how many of them an SMS reaches. */
export async function previewSegment(deps: Deps, actor: Actor, projectId: string, segment: SurveySegment) {
  await getProject(deps, actor, projectId);
  const checked = await checkedSegment(deps, projectId, segment);
  const ids = segmentCustomerIds(deps.db, projectId, checked, today(deps));
  const [all, mobile] = await Promise.all([
    deps.db.selectFrom(ids.as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    deps.db.selectFrom(ids.as('x')).select((eb) => eb.fn.countAll<number>().as('n'))
      .where(hasMobilePhone('x.id'))
      .executeTakeFirstOrThrow(),
  ]);
  return { customers: Number(all.n), withMobile: Number(mobile.n) };
}

/** A random link token: 128 bits, URL-safe (22 characters). */
export const newSurveyToken = (): string => randomBytes(16).toString('base64url');

/** The SMS text of an invitation; no name (the outbox is read by admins), only the link. */
export const invitationSms = (projectName: string, title: string, link: string): string =>
  `【桥梁客服】尊敬的业主您好，${projectName}诚邀您参与「${title}」，您的意见将帮助我们改进服务。请点击链接填写：${link}`;

/**
 * Sends a draft: one invitation (with its own token) per customer of the segment at this
 * moment, an SMS through the outbox for those with a mobile number when the channel is SMS;
 * the others get the portal link. One transaction: all invitations and messages, or none.
 */
export async function sendSurvey(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number, channel: SurveyChannel) {
  const survey = await visibleSurvey(deps, actor, id);
  assertDraft(survey);
  const questions = questionsOf(survey);
  if (!questions.length) throw new AppError(400, 'survey.invalid_questions', '问卷至少需要一道题才能发送', [{ field: 'questions', message: '请添加题目' }]);
  const segment = await checkedSegment(deps, survey.project_id, segmentOf(survey));
  const now = deps.clock.now().getTime();
  let invited = 0;
  let sms = 0;
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'surveys', { id, version, status: 'draft' }, { status: 'sent', channel, sent_at: now }, now);
    const customerIds = (await segmentCustomerIds(trx, survey.project_id, segment, today(deps)).orderBy('c.id').execute()).map((r) => r.id);
    if (!customerIds.length) throw conflict('survey.empty_segment', '调查对象范围内没有客户，请调整范围后再发送');
    const mobiles = channel === 'sms' ? await mobilesOf(trx, deps.config.fieldKey, customerIds) : new Map<string, string>();
    const invitations: DB['survey_invitations'][] = customerIds.map((customerId) => ({
      id: deps.ids.next(), survey_id: id, customer_id: customerId, token: newSurveyToken(), channel: mobiles.has(customerId) ? 'sms' : 'portal', sent_at: now, responded_at: null,
    }));
    for (let i = 0; i < invitations.length; i += 200) await trx.insertInto('survey_invitations').values(invitations.slice(i, i + 200)).execute();
    for (const inv of invitations) {
      const phone = mobiles.get(inv.customer_id);
      if (!phone) continue;
      const link = surveyLinkPath(inv.token);
      await enqueueMessage(trx, deps, {
        channel: 'sms', recipient: phone, subject: survey.title, body: invitationSms(survey.project_name, survey.title, publicLink(deps.config, link)), link,
        idempotencyKey: `survey:${id}:invitation:${inv.id}:sms`,
      });
      sms++;
    }
    invited = invitations.length;
    await trx.updateTable('surveys').set({ invitation_count: invited }).where('id', '=', id).execute();
    await appendAudit(trx, deps, ctx, {
      action: 'survey.sent', entityType: 'survey', entityId: id,
      before: { status: 'draft' }, after: { status: 'sent', channel, segment, invitations: invited, sms },
    });
  });
  deps.log.info({ surveyId: id, invitations: invited, sms }, 'survey sent');
  return reload(deps, id);
}

/** Ends a sent survey: its links then answer that the survey is over. */
export async function closeSurvey(deps: Deps, actor: Actor, ctx: AuditContext, id: string, version: number) {
  const survey = await visibleSurvey(deps, actor, id);
  if (survey.status !== 'sent') throw conflict('survey.not_sent', survey.status === 'draft' ? '草稿尚未发送，无需结束（可直接删除）' : '调查已经结束');
  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await updateVersioned(trx, 'surveys', { id, version, status: 'sent' }, { status: 'closed', closed_at: now }, now);
    const count = await trx.selectFrom('surveys').select(['invitation_count', 'response_count']).where('id', '=', id).executeTakeFirstOrThrow();
    await appendAudit(trx, deps, ctx, {
      action: 'survey.closed', entityType: 'survey', entityId: id,
      before: { status: 'sent' }, after: { status: 'closed', invitations: Number(count.invitation_count), responses: Number(count.response_count) },
    });
  });
  return reload(deps, id);
}

/** The answers of every response, oldest first (results and export). */
export async function responsesOf(db: Kysely<DB>, surveyId: string) {
  const rows = await db.selectFrom('survey_responses as r').innerJoin('customers as c', 'c.id', 'r.customer_id')
    .select(['r.id', 'r.answers', 'r.submitted_at', 'c.name as customer_name', 'r.customer_id'])
    .where('r.survey_id', '=', surveyId).orderBy('r.submitted_at').orderBy('r.id').execute();
  return rows.map((r) => ({
    id: r.id, customerId: r.customer_id, customerName: r.customer_name, submittedAt: iso(r.submitted_at), answers: JSON.parse(r.answers) as SurveyAnswers,
  }));
}

/** Per question: counts per option, scale mean and distribution, text answers; the response rate. */
export async function surveyResults(deps: Deps, actor: Actor, id: string): Promise<SurveyResults> {
  const survey = await visibleSurvey(deps, actor, id);
  const responses = await responsesOf(deps.db, id);
  const invitations = Number(survey.invitation_count);
  return {
    surveyId: id,
    title: survey.title,
    status: survey.status,
    invitations,
    responses: responses.length,
    responseRate: responseRate(responses.length, invitations),
    questions: computeResults(questionsOf(survey), responses),
  };
}

/** The responses, newest first, each with the customer's name only. */
export async function listResponses(deps: Deps, actor: Actor, id: string, query: { page?: number; pageSize?: number }) {
  await visibleSurvey(deps, actor, id);
  const { page, pageSize, offset } = pageOf(query);
  const base = deps.db.selectFrom('survey_responses as r').where('r.survey_id', '=', id);
  const [rows, total] = await Promise.all([
    base.innerJoin('customers as c', 'c.id', 'r.customer_id').select(['r.id', 'r.customer_id', 'c.name', 'r.submitted_at', 'r.answers'])
      .orderBy('r.submitted_at', 'desc').orderBy('r.id', 'desc').limit(pageSize).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, customerId: r.customer_id, customerName: r.name, submittedAt: iso(r.submitted_at), answers: JSON.parse(r.answers) as SurveyAnswers })),
    total: Number(total.n), page, pageSize,
  };
}

// ---------- respondents (public, by token) ----------

const invalidLink = () => notFound('链接无效，请核对短信中的链接');

async function invitationByToken(db: Kysely<DB>, token: string) {
  return db.selectFrom('survey_invitations as i')
    .innerJoin('surveys as s', 's.id', 'i.survey_id')
    .innerJoin('projects as p', 'p.id', 's.project_id')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['i.id', 'i.survey_id', 'i.customer_id', 'i.responded_at', 's.title', 's.intro', 's.questions', 's.status', 's.project_id', 'p.name as project_name', 'c.name as customer_name'])
    .where('i.token', '=', token)
    .executeTakeFirst();
}

/** The questionnaire behind a link, with no personal data; 404 for an unknown token. */
export async function publicSurvey(deps: Deps, token: string): Promise<PublicSurvey> {
  const inv = await invitationByToken(deps.db, token);
  if (!inv || inv.status === 'draft') throw invalidLink();
  return {
    title: inv.title,
    intro: inv.intro,
    projectName: inv.project_name,
    questions: questionsOf(inv),
    state: inv.status === 'closed' ? 'closed' : inv.responded_at !== null ? 'responded' : 'open',
  };
}

const closedError = () => new AppError(410, 'survey.closed', '本次调查已结束，感谢您的关注');
const answeredError = () => conflict('survey.already_responded', '您已提交过本问卷，每个链接只能提交一次，感谢参与');

/**
 * Records a respondent's answers: once per invitation (409 after that), only while the survey
 * runs (410 once closed), only answers that fit the questions (400, nothing written). The
 * response goes on the customer's timeline, in the same transaction as its audit row.
 */
export async function submitResponse(deps: Deps, ctx: AuditContext, token: string, raw: SurveyAnswers) {
  const inv = await invitationByToken(deps.db, token);
  if (!inv || inv.status === 'draft') throw invalidLink();
  if (inv.status === 'closed') throw closedError();
  if (inv.responded_at !== null) throw answeredError();
  const questions = questionsOf(inv);
  const { answers, errors } = checkAnswers(questions, raw);
  if (errors.length) throw new AppError(400, 'survey.invalid_answers', '请检查标出的题目', errors);
  const now = deps.clock.now().getTime();
  const respondent: AuditContext = { ...ctx, actorId: null, actorName: '客户本人' };
  try {
    await deps.db.transaction().execute(async (trx) => {
      // Compare-and-set on the invitation, then on the survey: a second submit, or one that
      // races the closing, finds nothing to update and writes nothing.
      const answered = await trx.updateTable('survey_invitations').set({ responded_at: now }).where('id', '=', inv.id).where('responded_at', 'is', null).executeTakeFirst();
      if (Number(answered.numUpdatedRows) === 0) throw answeredError();
      const counted = await trx.updateTable('surveys').set((eb) => ({ response_count: eb('response_count', '+', 1) }))
        .where('id', '=', inv.survey_id).where('status', '=', 'sent').executeTakeFirst();
      if (Number(counted.numUpdatedRows) === 0) throw closedError();
      const id = deps.ids.next();
      await trx.insertInto('survey_responses').values({
        id, survey_id: inv.survey_id, invitation_id: inv.id, customer_id: inv.customer_id, answers: JSON.stringify(answers), submitted_at: now,
      }).execute();
      await recordTimeline(trx, deps, respondent, {
        customerId: inv.customer_id, kind: 'survey.responded', title: `参与满意度调查「${inv.title}」`,
        body: timelineSummary(questions, answers),
        refType: 'survey', refId: inv.survey_id, projectId: inv.project_id, at: now,
      });
      await appendAudit(trx, deps, respondent, {
        action: 'survey.responded', entityType: 'survey', entityId: inv.survey_id, after: { responseId: id, invitationId: inv.id, customerId: inv.customer_id },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw answeredError();
    throw err;
  }
  return { submittedAt: iso(now) };
}
