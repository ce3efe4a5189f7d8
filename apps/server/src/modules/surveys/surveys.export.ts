import type ExcelJS from 'exceljs';
import { QUESTION_KIND_LABELS, SURVEY_STATUS_LABELS, type SurveyQuestion } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import type { Actor } from '../../platform/auth.js';
import { escapeCell, loadExcelJs } from '../../platform/spreadsheet.js';
import { zonedDate } from '../../platform/time.js';
import { questionsOf } from './surveys.presenter.js';
import { computeResults, responseRate, roundTo, scaleMaxOf } from './surveys.rules.js';
import { responsesOf, visibleSurvey } from './surveys.service.js';

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
 * The results as a workbook: 汇总 (every question with its counts, shares, scale mean) and
 * 答卷 (one row per response, oldest first: time, customer, one column per question). Text cells are
 * escaped against formula injection; the export is audited.
 */
export async function exportSurveyResults(deps: Deps, actor: Actor, ctx: AuditContext, id: string): Promise<{ buffer: Buffer; title: string }> {
  const survey = await visibleSurvey(deps, actor, id);
  const questions = questionsOf(survey);
  const responses = await responsesOf(deps.db, id);
  const results = computeResults(questions, responses);
  const invitations = Number(survey.invitation_count);
  const tz = deps.config.timeZone;

  const wb = new (await loadExcelJs()).Workbook();
  const summary = wb.addWorksheet('汇总');
  summary.columns = [{ width: 8 }, { width: 44 }, { width: 10 }, { width: 30 }, { width: 10 }, { width: 10 }];
  const add = (ws: ExcelJS.Worksheet, cells: unknown[], bold = false) => {
    const row = ws.addRow(cells.map(escapeCell));
    if (bold) row.font = { bold: true };
    return row;
  };
  add(summary, [survey.title], true).font = { bold: true, size: 14 };
  add(summary, ['项目', survey.project_name]);
  add(summary, ['状态', SURVEY_STATUS_LABELS[survey.status]]);
  add(summary, ['邀请人数', invitations]);
  add(summary, ['回收份数', responses.length]);
  add(summary, ['回收率', `${roundTo(responseRate(responses.length, invitations) * 100, 1)}%`]);
  add(summary, []);
  add(summary, ['题号', '题目', '题型', '选项 / 分值', '人数', '占比'], true);
  results.forEach((r, i) => {
    const q = questions[i]!;
    const share = (n: number) => (r.answered ? `${roundTo((n / r.answered) * 100, 1)}%` : '');
    add(summary, [`Q${i + 1}`, r.text, QUESTION_KIND_LABELS[r.kind], q.required ? '必答' : '选答', r.answered, ''], true);
    for (const o of r.options ?? []) add(summary, ['', '', '', o.option, o.count, share(o.count)]);
    if (r.kind === 'scale') {
      for (const d of r.distribution ?? []) add(summary, ['', '', '', `${d.value} 分`, d.count, share(d.count)]);
      add(summary, ['', '', '', `平均分（满分 ${scaleMaxOf(q)}）`, r.average ?? '', '']);
    }
    if (r.kind === 'text') add(summary, ['', '', '', '文字回答见“答卷”表', r.texts?.length ?? 0, '']);
  });

  const sheet = wb.addWorksheet('答卷');
  sheet.columns = [{ width: 18 }, { width: 12 }, ...questions.map((q) => ({ width: q.kind === 'text' ? 40 : 16 }))];
  add(sheet, ['提交时间', '客户', ...questions.map((q, i) => `Q${i + 1} ${q.text}`)], true);
  for (const r of responses) {
    add(sheet, [localDateTime(r.submittedAt, tz), r.customerName, ...questions.map((q) => answerText(q, r.answers[q.id]))]);
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  await deps.db.transaction().execute((trx) => appendAudit(trx, deps, ctx, {
    action: 'survey.exported', entityType: 'survey', entityId: id, after: { responses: responses.length },
  }));
  return { buffer, title: survey.title };
}
