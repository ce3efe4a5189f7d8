import { SURVEY_LIMITS, type FieldError, type QuestionResult, type SurveyAnswers, type SurveyQuestion, type SurveySegment } from '@qiaoliang/shared';

/** Pure survey rules: questionnaire checks, answer checks, and the results arithmetic. */

const isChoice = (q: SurveyQuestion): boolean => q.kind === 'single' || q.kind === 'multiple';

/** Ids that would name a property every object has; answers are keyed by question id. */
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

/** An answer the respondent gave to a question (own property only). */
const answerOf = (answers: SurveyAnswers, id: string): SurveyAnswers[string] | undefined => (Object.hasOwn(answers, id) ? answers[id] : undefined);

/** The top of a scale question (1…scaleMax). */
export const scaleMaxOf = (q: SurveyQuestion): number => q.scaleMax ?? SURVEY_LIMITS.defaultScaleMax;

/**
 * Trims texts and keeps only the fields a question's kind uses: choice questions keep their
 * options, scale questions get their top value (default 5) and end labels.
 */
export function normalizeQuestions(questions: SurveyQuestion[]): SurveyQuestion[] {
  return questions.map((q) => {
    const base: SurveyQuestion = { id: q.id, kind: q.kind, text: q.text.trim(), required: q.required };
    if (isChoice(q)) base.options = (q.options ?? []).map((o) => o.trim());
    if (q.kind === 'scale') {
      base.scaleMax = scaleMaxOf(q);
      const min = q.scaleMinLabel?.trim();
      const max = q.scaleMaxLabel?.trim();
      if (min) base.scaleMinLabel = min;
      if (max) base.scaleMaxLabel = max;
    }
    return base;
  });
}

/** Problems of a (normalized) questionnaire, as field errors `questions.<index>.<field>`. */
export function questionErrors(questions: SurveyQuestion[]): FieldError[] {
  const errors: FieldError[] = [];
  const ids = new Set<string>();
  questions.forEach((q, i) => {
    const at = `questions.${i}`;
    if (ids.has(q.id)) errors.push({ field: `${at}.id`, message: '题目编号重复' });
    if (RESERVED_IDS.has(q.id)) errors.push({ field: `${at}.id`, message: '题目编号不可用' });
    ids.add(q.id);
    if (!q.text) errors.push({ field: `${at}.text`, message: '请填写题目' });
    if (isChoice(q)) {
      const options = q.options ?? [];
      if (options.length < 2) errors.push({ field: `${at}.options`, message: '选择题至少需要 2 个选项' });
      if (options.some((o) => !o)) errors.push({ field: `${at}.options`, message: '选项不能为空' });
      else if (new Set(options).size !== options.length) errors.push({ field: `${at}.options`, message: '选项不能重复' });
    }
  });
  return errors;
}

/** Problems of a segment that the schema cannot see. */
export function segmentErrors(segment: SurveySegment): FieldError[] {
  if (segment.handoverFrom && segment.handoverTo && segment.handoverFrom > segment.handoverTo) {
    return [{ field: 'segment.handoverTo', message: '交付日期的结束不能早于开始' }];
  }
  return [];
}

export type AnswerValue = SurveyAnswers[string];

/**
 * Checks a respondent's answers against the questions. Returns the cleaned answers (texts
 * trimmed, blank answers left out) or the field errors `answers.<questionId>`.
 */
export function checkAnswers(questions: SurveyQuestion[], answers: SurveyAnswers): { answers: SurveyAnswers; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const clean: SurveyAnswers = {};
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const key of Object.keys(answers)) {
    if (!byId.has(key)) errors.push({ field: `answers.${key}`, message: '问卷中没有这道题' });
  }
  for (const q of questions) {
    const field = `answers.${q.id}`;
    const raw = answerOf(answers, q.id);
    const blank = raw === undefined || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);
    if (blank) {
      if (q.required) errors.push({ field, message: '此题必答' });
      continue;
    }
    const options = q.options ?? [];
    switch (q.kind) {
      case 'single':
        if (typeof raw !== 'string' || !options.includes(raw)) errors.push({ field, message: '请选择列出的一个选项' });
        else clean[q.id] = raw;
        break;
      case 'multiple':
        if (!Array.isArray(raw) || !raw.every((o) => options.includes(o))) errors.push({ field, message: '请只选择列出的选项' });
        else if (new Set(raw).size !== raw.length) errors.push({ field, message: '选项不能重复' });
        // Stored in the questionnaire's order, whatever order the boxes were ticked in.
        else clean[q.id] = options.filter((o) => raw.includes(o));
        break;
      case 'scale': {
        const max = scaleMaxOf(q);
        if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > max) errors.push({ field, message: `请选择 1 到 ${max} 之间的分值` });
        else clean[q.id] = raw;
        break;
      }
      case 'text':
        if (typeof raw !== 'string') errors.push({ field, message: '请填写文字' });
        else if (raw.trim().length > SURVEY_LIMITS.textAnswerLength) errors.push({ field, message: `不能超过 ${SURVEY_LIMITS.textAnswerLength} 个字` });
        else clean[q.id] = raw.trim();
        break;
    }
  }
  return { answers: clean, errors };
}

/** Rounds to a number of decimals (half away from zero on the decimal value). */
export const roundTo = (n: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(n * f + (n >= 0 ? 1e-9 : -1e-9)) / f;
};

/** A response as the results need it: answers and when they came. */
export interface ResponseForResults {
  answers: SurveyAnswers;
  submittedAt: string;
}

/**
 * The results of every question: counts per option (an answer that is no longer an option
 * is not counted), scale mean and distribution, text answers newest first.
 */
export function computeResults(questions: SurveyQuestion[], responses: ResponseForResults[]): QuestionResult[] {
  const newestFirst = [...responses].sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0));
  return questions.map((q) => {
    const given = newestFirst.map((r) => ({ value: answerOf(r.answers, q.id), at: r.submittedAt })).filter((x) => x.value !== undefined);
    const base = { id: q.id, kind: q.kind, text: q.text, answered: given.length };
    if (q.kind === 'single' || q.kind === 'multiple') {
      const counts = new Map((q.options ?? []).map((o) => [o, 0]));
      for (const { value } of given) {
        for (const o of Array.isArray(value) ? value : [value]) {
          if (typeof o === 'string' && counts.has(o)) counts.set(o, counts.get(o)! + 1);
        }
      }
      return { ...base, options: [...counts].map(([option, count]) => ({ option, count })) };
    }
    if (q.kind === 'scale') {
      const max = scaleMaxOf(q);
      const values = given.map((x) => x.value).filter((v): v is number => typeof v === 'number' && v >= 1 && v <= max);
      const distribution = Array.from({ length: max }, (_, i) => ({ value: i + 1, count: values.filter((v) => v === i + 1).length }));
      const average = values.length ? roundTo(values.reduce((s, v) => s + v, 0) / values.length, 2) : null;
      return { ...base, answered: values.length, scaleMax: max, average, distribution };
    }
    return { ...base, texts: given.filter((x) => typeof x.value === 'string').map((x) => ({ text: x.value as string, submittedAt: x.at })) };
  });
}

/** responses / invitations with 4 decimals; 0 when nobody was invited. */
export const responseRate = (responses: number, invitations: number): number => (invitations ? roundTo(responses / invitations, 4) : 0);

/**
 * The line a response adds to the customer's timeline: the first scale answers
 * ("请为社区环境打分：4/5"), or how many questions were answered.
 */
export function timelineSummary(questions: SurveyQuestion[], answers: SurveyAnswers): string {
  const scales = questions.filter((q) => q.kind === 'scale' && typeof answerOf(answers, q.id) === 'number').slice(0, 3);
  if (!scales.length) return `回答了 ${Object.keys(answers).length} 道题`;
  return scales.map((q) => `${q.text.replace(/[？?：:。]+$/, '')}：${String(answerOf(answers, q.id))}/${scaleMaxOf(q)}`).join('；');
}
