import { QUESTION_KIND_LABELS, SURVEY_STATUS_LABELS, type StaffRole, type SurveyQuestion } from '@qiaoliang/shared';
import type { Exporter } from '../../platform/exports.js';
import { zonedDate } from '../../platform/time.js';
import { questionsOf } from './surveys.presenter.js';
import { computeResults, responseRate, roundTo, scaleMaxOf } from './surveys.rules.js';
import { responsesOf, visibleSurvey } from './surveys.service.js';

/** Who exports survey results (the survey staff). */
export const SURVEY_EXPORT_ROLES: readonly StaffRole[] = ['supervisor', 'manager', 'admin'];

/** 2026-11-27 10:05 in the business time zone. */
function localDateTime(isoInstant: string, timeZone: string): string {
  const ms = Date.parse(isoInstant);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
  return `${zonedDate(ms, timeZone)} ${time}`;
}

function answerText(q: SurveyQuestion, value: unknown): string | number {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('、');
  return q.kind === 'scale' ? Number(value) : String(value);
}

/**
 * The results as a workbook, built by the export job: 汇总 (every question with its counts,
 * shares, scale mean) and 答卷 (one row per response, oldest first: time, customer, one column per
 * question). Text cells are escaped against formula injection; the produced file is audited.
 */
export const surveyResultsExporter: Exporter<{ surveyId: string }> = {
  kind: 'survey_results',
  roles: SURVEY_EXPORT_ROLES,
  maxRows: 1_000_000,
  prepare: async (deps, actor, { surveyId }) => {
    const survey = await visibleSurvey(deps, actor, surveyId);
    return { total: Number(survey.response_count), title: `${survey.title} 调查结果`, fileName: `${survey.title}-调查结果.xlsx` };
  },
  build: async (deps, actor, { surveyId }, _opts, sink) => {
    const survey = await visibleSurvey(deps, actor, surveyId);
    const questions = questionsOf(survey);
    const responses = await responsesOf(deps.db, surveyId);
    const results = computeResults(questions, responses);
    const invitations = Number(survey.invitation_count);
    const tz = deps.config.timeZone;

    const cols = (widths: number[]) => widths.map((width, i) => ({ header: '', key: String(i), width }));
    const asRecord = (cells: unknown[]) => Object.fromEntries(cells.map((c, i) => [String(i), c]));
    sink.sheet('汇总', cols([8, 44, 10, 30, 10, 10]).map((c, i) => (i === 0 ? { ...c, header: survey.title } : c)));
    const add = (cells: unknown[]) => sink.row(asRecord(cells));
    add(['项目', survey.project_name]);
    add(['状态', SURVEY_STATUS_LABELS[survey.status]]);
    add(['邀请人数', invitations]);
    add(['回收份数', responses.length]);
    add(['回收率', `${roundTo(responseRate(responses.length, invitations) * 100, 1)}%`]);
    add([]);
    add(['题号', '题目', '题型', '选项 / 分值', '人数', '占比']);
    results.forEach((r, i) => {
      const q = questions[i]!;
      const share = (n: number) => (r.answered ? `${roundTo((n / r.answered) * 100, 1)}%` : '');
      add([`Q${i + 1}`, r.text, QUESTION_KIND_LABELS[r.kind], q.required ? '必答' : '选答', r.answered, '']);
      for (const o of r.options ?? []) add(['', '', '', o.option, o.count, share(o.count)]);
      if (r.kind === 'scale') {
        for (const d of r.distribution ?? []) add(['', '', '', `${d.value} 分`, d.count, share(d.count)]);
        add(['', '', '', `平均分（满分 ${scaleMaxOf(q)}）`, r.average ?? '', '']);
      }
      if (r.kind === 'text') add(['', '', '', '文字回答见“答卷”表', r.texts?.length ?? 0, '']);
    });

    const headers = ['提交时间', '客户', ...questions.map((q, i) => `Q${i + 1} ${q.text}`)];
    sink.sheet('答卷', [18, 12, ...questions.map((q) => (q.kind === 'text' ? 40 : 16))].map((width, i) => ({ header: headers[i]!, key: String(i), width })));
    let done = 0;
    for (const r of responses) {
      add([localDateTime(r.submittedAt, tz), r.customerName, ...questions.map((q) => answerText(q, r.answers[q.id]))]);
      if (++done % 1000 === 0) await sink.progress(done);
    }
    await sink.progress(done);
    return { action: 'survey.exported', entityType: 'survey', entityId: surveyId, after: { responses: responses.length, rows: responses.length } };
  },
};
