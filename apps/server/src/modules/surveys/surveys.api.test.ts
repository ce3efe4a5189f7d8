import ExcelJS from 'exceljs';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { insertSurvey, seedSurveyPeople, SURVEY_QUESTIONS, type SurveyPeople } from '../../test/surveys-fixture.js';
import { exportFile } from '../../test/exports.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let t: TestApp;
let sup: string;
let supB: string;
let people: SurveyPeople;
/** Each public call comes from its own address, so the per-address rate limit stays out of the way. */
let addr = 0;
const publicCall = (opts: InjectOptions) => t.as(null, { ...opts, remoteAddress: `10.1.${Math.floor(++addr / 250)}.${addr % 250}` });

beforeAll(async () => {
  t = await createTestApp();
  people = await seedSurveyPeople(t);
  [sup, supB] = await Promise.all([t.login('supervisor_a'), t.login('supervisor_b')]);
});
afterAll(async () => t.close());

async function createDraft(body: Record<string, unknown> = {}) {
  const res = await t.as(sup, {
    method: 'POST', url: '/api/surveys',
    payload: { projectId: t.world.projectA, title: '2026 年度满意度调查', intro: '感谢您抽出时间', questions: SURVEY_QUESTIONS, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; status: string };
}

const preview = async (segment: Record<string, unknown>, cookie = sup, projectId = t.world.projectA) =>
  t.as(cookie, { method: 'POST', url: '/api/surveys/segment-preview', payload: { projectId, segment } });

/** What a refused response must leave untouched. */
async function snapshot(surveyId: string) {
  const db = t.deps.db;
  const [responses, answered, survey, audit, timeline] = await Promise.all([
    db.selectFrom('survey_responses').select('id').where('survey_id', '=', surveyId).execute(),
    db.selectFrom('survey_invitations').select('id').where('survey_id', '=', surveyId).where('responded_at', 'is not', null).execute(),
    db.selectFrom('surveys').select(['response_count', 'version']).where('id', '=', surveyId).executeTakeFirstOrThrow(),
    db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('timeline_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'survey.responded').executeTakeFirstOrThrow(),
  ]);
  return { responses: responses.length, answered: answered.length, count: Number(survey.response_count), version: survey.version, audit: Number(audit.n), timeline: Number(timeline.n) };
}

describe('segment preview', () => {
  it('counts current owners, co-owners and prospective owners of the project, by building, kind and handover date', async () => {
    // c1 (building 1), c2, c3, c4 (building 2); never the seller, the tenant, the merged duplicate or project B's owner.
    expect((await preview({})).json()).toEqual({ customers: 4, withMobile: 3 });
    expect((await preview({ buildingIds: [people.building2] })).json()).toEqual({ customers: 3, withMobile: 2 });
    expect((await preview({ customerKinds: ['owner'] })).json()).toEqual({ customers: 2, withMobile: 2 });
    expect((await preview({ customerKinds: ['co_owner', 'prospective_owner'] })).json()).toEqual({ customers: 2, withMobile: 1 });
    expect((await preview({ handoverFrom: '2025-01-01', handoverTo: '2025-12-31' })).json()).toEqual({ customers: 2, withMobile: 1 });
    expect((await preview({ handoverFrom: '2025-06-02' })).json()).toEqual({ customers: 0, withMobile: 0 });
    expect((await preview({ handoverTo: '2025-06-01' })).json()).toEqual({ customers: 2, withMobile: 1 });
    expect((await preview({ buildingIds: [people.building2], customerKinds: ['owner'], handoverFrom: '2025-06-01', handoverTo: '2025-06-01' })).json()).toEqual({ customers: 1, withMobile: 1 });
  });

  it('refuses a building of another project, reversed dates, and a project out of scope', async () => {
    const foreign = await preview({ buildingIds: [t.world.buildingB] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'survey.invalid_segment', errors: [{ field: 'segment.buildingIds' }] });
    const reversed = await preview({ handoverFrom: '2025-12-31', handoverTo: '2025-01-01' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors).toEqual([{ field: 'segment.handoverTo', message: '交付日期的结束不能早于开始' }]);
    expect((await preview({}, supB)).statusCode).toBe(404);
  });
});

describe('drafts', () => {
  it('creates, reads, edits with If-Match, and deletes a draft; audited', async () => {
    const d = await createDraft({ segment: { buildingIds: [people.building2] } });
    expect(d).toMatchObject({ status: 'draft', version: 1, invitationCount: 0, responseCount: 0, segment: { buildingIds: [people.building2] } });
    const got = await t.as(sup, { method: 'GET', url: `/api/surveys/${d.id}` });
    expect(got.headers.etag).toBe('"1"');
    expect(got.json().questions).toEqual(SURVEY_QUESTIONS);
    expect((await t.as(supB, { method: 'GET', url: `/api/surveys/${d.id}` })).statusCode).toBe(404);

    const noVersion = await t.as(sup, { method: 'PATCH', url: `/api/surveys/${d.id}`, payload: { title: '改名' } });
    expect(noVersion.statusCode).toBe(428);
    const edited = await t.as(sup, { method: 'PATCH', url: `/api/surveys/${d.id}`, headers: { 'if-match': '"1"' }, payload: { title: ' 改名后的调查 ', segment: {} } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: '改名后的调查', version: 2, segment: {} });
    const stale = await t.as(sup, { method: 'PATCH', url: `/api/surveys/${d.id}`, headers: { 'if-match': '"1"' }, payload: { title: '又改' } });
    expect(stale.statusCode).toBe(412);

    const list = await t.as(sup, { method: 'GET', url: `/api/surveys?projectId=${t.world.projectA}&status=draft` });
    expect(list.json().items.map((s: { id: string }) => s.id)).toContain(d.id);
    expect(list.json().items.find((s: { id: string }) => s.id === d.id)).toMatchObject({ questionCount: 4, projectName: '甲项目' });

    const del = await t.as(sup, { method: 'DELETE', url: `/api/surveys/${d.id}`, headers: { 'if-match': '"2"' } });
    expect(del.statusCode, del.body).toBe(204);
    expect((await t.as(sup, { method: 'GET', url: `/api/surveys/${d.id}` })).statusCode).toBe(404);
    const actions = await t.deps.db.selectFrom('audit_log').select('action').where('entity_id', '=', d.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['survey.created', 'survey.updated', 'survey.deleted']);
  });

  it('refuses bad questionnaires with the problems beside the fields, writing nothing', async () => {
    const before = await t.deps.db.selectFrom('surveys').select('id').execute();
    const bad = await t.as(sup, {
      method: 'POST', url: '/api/surveys',
      payload: { projectId: t.world.projectA, title: '问题问卷', questions: [{ id: 'a', kind: 'single', text: '只有一个选项', options: ['是'], required: true }, { id: 'a', kind: 'text', text: '重复编号', required: false }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'survey.invalid_questions', errors: [{ field: 'questions.0.options' }, { field: 'questions.1.id' }] });
    const badKind = await t.as(sup, { method: 'POST', url: '/api/surveys', payload: { projectId: t.world.projectA, title: 'x', questions: [{ id: 'a', kind: 'ranking', text: '排序', required: true }] } });
    expect(badKind.statusCode).toBe(400);
    const foreign = await t.as(sup, { method: 'POST', url: '/api/surveys', payload: { projectId: t.world.projectA, title: 'x', questions: [], segment: { buildingIds: [t.world.buildingB] } } });
    expect(foreign.json().code).toBe('survey.invalid_segment');
    const outOfScope = await t.as(sup, { method: 'POST', url: '/api/surveys', payload: { projectId: t.world.projectB, title: 'x', questions: [] } });
    expect(outOfScope.statusCode).toBe(404);
    expect(await t.deps.db.selectFrom('surveys').select('id').execute()).toHaveLength(before.length);
  });

  it('does not send a survey without questions, or to an empty segment (nothing written)', async () => {
    const empty = await createDraft({ questions: [] });
    const noQuestions = await t.as(sup, { method: 'POST', url: `/api/surveys/${empty.id}/send`, headers: { 'if-match': '"1"' }, payload: { channel: 'sms' } });
    expect(noQuestions.statusCode).toBe(400);
    expect(noQuestions.json().code).toBe('survey.invalid_questions');
    const nobody = await createDraft({ segment: { handoverFrom: '2030-01-01' } });
    const res = await t.as(sup, { method: 'POST', url: `/api/surveys/${nobody.id}/send`, headers: { 'if-match': '"1"' }, payload: { channel: 'sms' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('survey.empty_segment');
    const after = await t.deps.db.selectFrom('surveys').select(['status', 'version']).where('id', '=', nobody.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'draft', version: 1 });
    expect(await t.deps.db.selectFrom('survey_invitations').select('id').where('survey_id', '=', nobody.id).execute()).toEqual([]);
  });
});

describe('the annual survey: send → respond → results → close', () => {
  let survey: { id: string; version: number };
  const tokens = new Map<string, string>();

  it('sends: one invitation per customer of the segment, an SMS with the link to each mobile, the others by portal', async () => {
    survey = await createDraft();
    const res = await t.as(sup, { method: 'POST', url: `/api/surveys/${survey.id}/send`, headers: { 'if-match': `"${survey.version}"` }, payload: { channel: 'sms' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'sent', channel: 'sms', invitationCount: 4, responseCount: 0, version: 2, sentAt: t.clock.now().toISOString() });
    survey.version = 2;

    const invitations = await t.deps.db.selectFrom('survey_invitations').selectAll().where('survey_id', '=', survey.id).execute();
    expect(invitations.map((i) => i.customer_id).sort()).toEqual([people.c1, people.c2, people.c3, people.c4].sort());
    for (const i of invitations) {
      expect(i.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      tokens.set(i.customer_id, i.token);
    }
    expect(new Set(invitations.map((i) => i.token)).size).toBe(4);
    expect(invitations.find((i) => i.customer_id === people.c3)!.channel).toBe('portal');

    const sms = await t.deps.db.selectFrom('outbox').selectAll().where('channel', '=', 'sms').where('idempotency_key', 'like', `survey:${survey.id}:%`).execute();
    expect(sms.map((m) => m.recipient).sort()).toEqual(Object.values(people.phones).sort());
    for (const m of sms) {
      const inv = invitations.find((i) => m.idempotency_key.includes(i.id))!;
      expect(m.link).toBe(`/s/${inv.token}`);
      // The owner's phone opens it from outside: the text carries the absolute address.
      expect(m.body).toContain(`${t.deps.config.publicUrl}/s/${inv.token}`);
      expect(t.deps.config.publicUrl).toMatch(/^https?:\/\/[^/]/);
      expect(m.body).toContain('甲项目');
      expect(m.body).not.toMatch(/王业主|赵准业主|甲业主/);
    }
    const audit = await t.deps.db.selectFrom('audit_log').select('after_json').where('action', '=', 'survey.sent').where('entity_id', '=', survey.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ invitations: 4, sms: 3 });
    expect(audit.after_json).not.toMatch(/\+86|139\d{8}/);

    const again = await t.as(sup, { method: 'POST', url: `/api/surveys/${survey.id}/send`, headers: { 'if-match': '"2"' }, payload: { channel: 'sms' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('survey.not_draft');
    const edit = await t.as(sup, { method: 'PATCH', url: `/api/surveys/${survey.id}`, headers: { 'if-match': '"2"' }, payload: { title: '发送后改名' } });
    expect(edit.statusCode).toBe(409);
  });

  it('shows the questionnaire behind a link without a session and without personal data', async () => {
    const res = await publicCall({ method: 'GET', url: `/api/public/surveys/${tokens.get(people.c2)}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ title: '2026 年度满意度调查', intro: '感谢您抽出时间', projectName: '甲项目', questions: SURVEY_QUESTIONS, state: 'open' });
    expect(res.body).not.toMatch(/王业主|\+86|13911112222/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await publicCall({ method: 'GET', url: '/api/public/surveys/not-a-real-token' })).statusCode).toBe(404);
  });

  it('refuses answers that do not fit: 400 with the question named, nothing written', async () => {
    const token = tokens.get(people.c4)!;
    const before = await snapshot(survey.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ q3: 4 }, 'answers.q1'], // required missing
      [{ q1: '非常满意', q3: 4 }, 'answers.q1'], // option not in the list
      [{ q1: '满意', q2: ['游泳池'], q3: 4 }, 'answers.q2'],
      [{ q1: '满意', q3: 6 }, 'answers.q3'], // scale out of range
      [{ q1: '满意', q3: 0 }, 'answers.q3'],
      [{ q1: '满意', q3: 4, q9: '多余的题' }, 'answers.q9'],
    ];
    for (const [answers, field] of cases) {
      const res = await publicCall({ method: 'POST', url: `/api/public/surveys/${token}/responses`, payload: { answers } });
      expect(res.statusCode, JSON.stringify(answers)).toBe(400);
      expect(res.json().code).toBe('survey.invalid_answers');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const notInteger = await publicCall({ method: 'POST', url: `/api/public/surveys/${token}/responses`, payload: { answers: { q1: '满意', q3: 3.5 } } });
    expect(notInteger.statusCode).toBe(400);
    const noAnswers = await publicCall({ method: 'POST', url: `/api/public/surveys/${token}/responses`, payload: {} });
    expect(noAnswers.statusCode).toBe(400);
    const flood = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`x${i}`, '多余']));
    expect((await publicCall({ method: 'POST', url: `/api/public/surveys/${token}/responses`, payload: { answers: { q1: '满意', q3: 4, ...flood } } })).statusCode).toBe(400);
    expect(await snapshot(survey.id)).toEqual(before);
  });

  it('records one response per link, on the customer and their timeline; a second is 409', async () => {
    const respond = (customerId: string, answers: Record<string, unknown>) =>
      publicCall({ method: 'POST', url: `/api/public/surveys/${tokens.get(customerId)}/responses`, payload: { answers } });
    const first = await respond(people.c1, { q1: '满意', q2: ['保洁', '安保'], q3: 5, q4: ' 希望增加充电桩 ' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ submittedAt: t.clock.now().toISOString() });
    t.clock.advance(60_000);
    expect((await respond(people.c2, { q1: '满意', q2: ['维修'], q3: 4, q4: '' })).statusCode).toBe(201);
    t.clock.advance(60_000);
    expect((await respond(people.c3, { q1: '不满意', q3: 2, q4: '电梯经常坏' })).statusCode).toBe(201);

    const before = await snapshot(survey.id);
    const twice = await respond(people.c1, { q1: '一般', q3: 3 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'survey.already_responded', detail: expect.stringContaining('只能提交一次') });
    expect(await snapshot(survey.id)).toEqual(before);
    expect((await publicCall({ method: 'GET', url: `/api/public/surveys/${tokens.get(people.c1)}` })).json().state).toBe('responded');
    expect((await publicCall({ method: 'POST', url: '/api/public/surveys/not-a-real-token/responses', payload: { answers: { q1: '满意', q3: 1 } } })).statusCode).toBe(404);

    const stored = await t.deps.db.selectFrom('survey_responses').selectAll().where('customer_id', '=', people.c1).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.answers)).toEqual({ q1: '满意', q2: ['安保', '保洁'], q3: 5, q4: '希望增加充电桩' });
    const timeline = await t.as(sup, { method: 'GET', url: `/api/customers/${people.c1}/timeline` });
    const entry = timeline.json().items.find((e: { kind: string }) => e.kind === 'survey.responded');
    expect(entry).toMatchObject({ title: '参与满意度调查「2026 年度满意度调查」', body: '请为社区环境打分：5/5', refType: 'survey', refId: survey.id, actorName: '客户本人' });
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor_id', 'after_json']).where('action', '=', 'survey.responded').execute();
    expect(audit).toHaveLength(3);
    expect(audit[0]!.actor_id).toBeNull();
    expect(audit[0]!.after_json).not.toContain('充电桩');
  });

  it('computes the results by hand: option counts, scale mean and distribution, texts, response rate', async () => {
    const res = await t.as(sup, { method: 'GET', url: `/api/surveys/${survey.id}/results` });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // 3 responses of 4 invitations.
    expect(r).toMatchObject({ surveyId: survey.id, status: 'sent', invitations: 4, responses: 3, responseRate: 0.75 });
    expect(r.questions[0]).toEqual({
      id: 'q1', kind: 'single', text: '您对物业服务总体满意吗？', answered: 3,
      options: [{ option: '满意', count: 2 }, { option: '一般', count: 0 }, { option: '不满意', count: 1 }],
    });
    expect(r.questions[1]).toMatchObject({ answered: 2, options: [{ option: '安保', count: 1 }, { option: '保洁', count: 1 }, { option: '绿化', count: 0 }, { option: '维修', count: 1 }] });
    // (5 + 4 + 2) / 3 = 3.67
    expect(r.questions[2]).toMatchObject({
      answered: 3, scaleMax: 5, average: 3.67,
      distribution: [{ value: 1, count: 0 }, { value: 2, count: 1 }, { value: 3, count: 0 }, { value: 4, count: 1 }, { value: 5, count: 1 }],
    });
    const submitted = t.clock.now().getTime();
    expect(r.questions[3]).toMatchObject({
      answered: 2,
      texts: [{ text: '电梯经常坏', submittedAt: new Date(submitted).toISOString() }, { text: '希望增加充电桩', submittedAt: new Date(submitted - 120_000).toISOString() }],
    });
    expect((await t.as(supB, { method: 'GET', url: `/api/surveys/${survey.id}/results` })).statusCode).toBe(404);
  });

  it('lists responses newest first with the customer name only, paged', async () => {
    const res = await t.as(sup, { method: 'GET', url: `/api/surveys/${survey.id}/responses?pageSize=2` });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.items.map((i: { customerName: string }) => i.customerName)).toEqual(['李共有', '王业主']);
    expect(Object.keys(page.items[0]).sort()).toEqual(['answers', 'customerId', 'customerName', 'id', 'submittedAt']);
    expect(res.body).not.toContain('+86');
    const second = await t.as(sup, { method: 'GET', url: `/api/surveys/${survey.id}/responses?pageSize=2&page=2` });
    expect(second.json().items.map((i: { customerName: string }) => i.customerName)).toEqual(['甲业主']);
  });

  it('exports the results to Excel: a summary and one row per response', async () => {
    const { file } = await exportFile(t, sup, `/api/surveys/${survey.id}/results/exports`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const summary = wb.getWorksheet('汇总')!;
    const values = (r: number) => (summary.getRow(r).values as unknown[]).slice(1);
    expect(values(4)).toEqual(['邀请人数', 4]);
    expect(values(5)).toEqual(['回收份数', 3]);
    expect(values(6)).toEqual(['回收率', '75%']);
    const byLabel = new Map<string, unknown[]>();
    summary.eachRow((row) => {
      const v = row.values as unknown[];
      if (typeof v[4] === 'string') byLabel.set(v[4], v);
    });
    expect(byLabel.get('满意')!.slice(5, 7)).toEqual([2, '66.7%']);
    expect(byLabel.get('不满意')!.slice(5, 7)).toEqual([1, '33.3%']);
    expect(byLabel.get('平均分（满分 5）')![5]).toBe(3.67);
    const answers = wb.getWorksheet('答卷')!;
    expect(answers.rowCount).toBe(4);
    expect((answers.getRow(2).values as unknown[]).slice(2, 4)).toEqual(['甲业主', '满意']);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'survey.exported').execute();
    expect(audit).toHaveLength(1);
  });

  it('closes with If-Match; a late response is refused (410) and the link says the survey ended', async () => {
    const notSent = await createDraft();
    const closeDraft = await t.as(sup, { method: 'POST', url: `/api/surveys/${notSent.id}/close`, headers: { 'if-match': '"1"' } });
    expect(closeDraft.statusCode).toBe(409);
    expect(closeDraft.json().code).toBe('survey.not_sent');

    const res = await t.as(sup, { method: 'POST', url: `/api/surveys/${survey.id}/close`, headers: { 'if-match': `"${survey.version}"` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', closedAt: t.clock.now().toISOString(), responseCount: 3, invitationCount: 4 });
    const before = await snapshot(survey.id);
    const late = await publicCall({ method: 'POST', url: `/api/public/surveys/${tokens.get(people.c4)}/responses`, payload: { answers: { q1: '满意', q3: 5 } } });
    expect(late.statusCode).toBe(410);
    expect(late.json()).toMatchObject({ code: 'survey.closed', detail: '本次调查已结束，感谢您的关注' });
    expect(await snapshot(survey.id)).toEqual(before);
    expect((await publicCall({ method: 'GET', url: `/api/public/surveys/${tokens.get(people.c4)}` })).json().state).toBe('closed');
    const again = await t.as(sup, { method: 'POST', url: `/api/surveys/${survey.id}/close`, headers: { 'if-match': '"3"' } });
    expect(again.statusCode).toBe(409);
  });

  it('keeps the responses with the customer kept when duplicates are merged', async () => {
    const merged = await t.as(sup, { method: 'POST', url: `/api/customers/${people.c2}/merge`, payload: { sourceId: people.c3 } });
    expect(merged.statusCode, merged.body).toBe(200);
    const rows = await t.deps.db.selectFrom('survey_responses').select('customer_id').where('survey_id', '=', survey.id).execute();
    expect(rows.filter((r) => r.customer_id === people.c2)).toHaveLength(2);
    expect(rows.some((r) => r.customer_id === people.c3)).toBe(false);
    expect(await t.deps.db.selectFrom('survey_invitations').select('id').where('customer_id', '=', people.c3).execute()).toEqual([]);
  });
});

describe('concurrency', () => {
  it('two submissions of one link at once: exactly one is recorded, the other is 409', async () => {
    const s = await insertSurvey(t, t.world.projectA, 'sent');
    const body = { answers: { q1: '一般', q3: 3 } };
    const results = await Promise.all([0, 1].map(() => publicCall({ method: 'POST', url: `/api/public/surveys/${s.token}/responses`, payload: body })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await t.deps.db.selectFrom('survey_responses').select('id').where('survey_id', '=', s.id).execute()).toHaveLength(1);
    const row = await t.deps.db.selectFrom('surveys').select('response_count').where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(Number(row.response_count)).toBe(1);
  });

  if (onPostgres) it('responses racing the closing: every recorded response is counted, none after the close', async () => {
    const s = await insertSurvey(t, t.world.projectA, 'sent');
    // Twenty more invitations of the same survey, answered while a supervisor closes it.
    const now = t.clock.now().getTime();
    const more = Array.from({ length: 20 }, () => ({ id: t.deps.ids.next(), survey_id: s.id, customer_id: people.c1, token: `race${t.deps.ids.next().replace(/-/g, '')}`, channel: 'portal' as const, sent_at: now, responded_at: null }));
    await t.deps.db.insertInto('survey_invitations').values(more).execute();
    await t.deps.db.updateTable('surveys').set({ invitation_count: 21 }).where('id', '=', s.id).execute();
    const submits = more.map((inv) => publicCall({ method: 'POST', url: `/api/public/surveys/${inv.token}/responses`, payload: { answers: { q1: '满意', q3: 4 } } }));
    const close = t.as(sup, { method: 'POST', url: `/api/surveys/${s.id}/close`, headers: { 'if-match': '"1"' } });
    const [closed, ...answered] = await Promise.all([close, ...submits]);
    expect(closed.statusCode, closed.body).toBe(200);
    const accepted = answered.filter((r) => r.statusCode === 201).length;
    expect(answered.every((r) => r.statusCode === 201 || r.statusCode === 410)).toBe(true);
    const stored = await t.deps.db.selectFrom('survey_responses').select('submitted_at').where('survey_id', '=', s.id).execute();
    const row = await t.deps.db.selectFrom('surveys').select(['response_count', 'status']).where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(stored).toHaveLength(accepted);
    expect(Number(row.response_count)).toBe(accepted);
    expect(row.status).toBe('closed');
    const responded = await t.deps.db.selectFrom('survey_invitations').select('id').where('survey_id', '=', s.id).where('responded_at', 'is not', null).execute();
    expect(responded).toHaveLength(accepted);
  });
});

describe('rate limit', () => {
  it('limits the public form per address: the 21st submission within a minute is 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await t.as(null, { method: 'POST', url: '/api/public/surveys/flood/responses', payload: { answers: {} }, remoteAddress: '10.9.9.9' });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});
