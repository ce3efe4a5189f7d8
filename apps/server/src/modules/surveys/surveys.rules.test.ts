import type { SurveyQuestion } from '@qiaoliang/shared';
import { describe, expect, it } from 'vitest';
import { checkAnswers, computeResults, normalizeQuestions, questionErrors, responseRate, roundTo, segmentErrors, timelineSummary } from './surveys.rules.js';

const Q: SurveyQuestion[] = [
  { id: 'q1', kind: 'single', text: '总体满意度', options: ['满意', '一般', '不满意'], required: true },
  { id: 'q2', kind: 'multiple', text: '关注方面', options: ['安保', '保洁', '绿化'], required: false },
  { id: 'q3', kind: 'scale', text: '环境评分', scaleMax: 5, required: true },
  { id: 'q4', kind: 'text', text: '建议', required: false },
];

describe('questionnaire rules', () => {
  it('normalizes: trims texts, keeps options only for choices, defaults the scale to 5', () => {
    const n = normalizeQuestions([
      { id: 'a', kind: 'text', text: '  建议 ', options: ['x'], required: false, scaleMax: 7 },
      { id: 'b', kind: 'scale', text: '评分', required: true, scaleMinLabel: ' 差 ', scaleMaxLabel: '' },
      { id: 'c', kind: 'single', text: '选', options: [' 是 ', '否'], required: true },
    ]);
    expect(n).toEqual([
      { id: 'a', kind: 'text', text: '建议', required: false },
      { id: 'b', kind: 'scale', text: '评分', required: true, scaleMax: 5, scaleMinLabel: '差' },
      { id: 'c', kind: 'single', text: '选', options: ['是', '否'], required: true },
    ]);
  });

  it('refuses duplicate ids, blank texts, choices with fewer than two, blank or repeated options', () => {
    const errors = questionErrors(normalizeQuestions([
      { id: 'a', kind: 'single', text: ' ', options: ['只有一个'], required: true },
      { id: 'a', kind: 'multiple', text: '重复选项', options: ['甲', ' 甲'], required: true },
      { id: 'c', kind: 'single', text: '空选项', options: ['甲', '  '], required: true },
    ]));
    expect(errors).toEqual([
      { field: 'questions.0.text', message: '请填写题目' },
      { field: 'questions.0.options', message: '选择题至少需要 2 个选项' },
      { field: 'questions.1.id', message: '题目编号重复' },
      { field: 'questions.1.options', message: '选项不能重复' },
      { field: 'questions.2.options', message: '选项不能为空' },
    ]);
    expect(questionErrors(normalizeQuestions(Q))).toEqual([]);
    expect(questionErrors([{ id: '__proto__', kind: 'text', text: '建议', required: false }])).toEqual([{ field: 'questions.0.id', message: '题目编号不可用' }]);
  });

  it('refuses a handover range that ends before it starts', () => {
    expect(segmentErrors({ handoverFrom: '2025-02-01', handoverTo: '2025-01-31' })).toHaveLength(1);
    expect(segmentErrors({ handoverFrom: '2025-02-01', handoverTo: '2025-02-01' })).toEqual([]);
    expect(segmentErrors({})).toEqual([]);
  });
});

describe('answers', () => {
  it('accepts fitting answers, trims text, orders multiple choices as listed, leaves out blanks', () => {
    const r = checkAnswers(Q, { q1: '一般', q2: ['绿化', '安保'], q3: 4, q4: '  多种树 ' });
    expect(r.errors).toEqual([]);
    expect(r.answers).toEqual({ q1: '一般', q2: ['安保', '绿化'], q3: 4, q4: '多种树' });
    expect(checkAnswers(Q, { q1: '满意', q2: [], q3: 1, q4: '   ' })).toEqual({ answers: { q1: '满意', q3: 1 }, errors: [] });
  });

  it('names every problem: missing required, option not listed, scale out of range, unknown question, wrong types', () => {
    expect(checkAnswers(Q, {}).errors).toEqual([
      { field: 'answers.q1', message: '此题必答' },
      { field: 'answers.q3', message: '此题必答' },
    ]);
    expect(checkAnswers(Q, { q1: '非常满意', q3: 3 }).errors).toEqual([{ field: 'answers.q1', message: '请选择列出的一个选项' }]);
    expect(checkAnswers(Q, { q1: ['满意'], q3: 3 }).errors).toEqual([{ field: 'answers.q1', message: '请选择列出的一个选项' }]);
    expect(checkAnswers(Q, { q1: '满意', q2: ['安保', '游泳池'], q3: 3 }).errors).toEqual([{ field: 'answers.q2', message: '请只选择列出的选项' }]);
    expect(checkAnswers(Q, { q1: '满意', q2: ['安保', '安保'], q3: 3 }).errors).toEqual([{ field: 'answers.q2', message: '选项不能重复' }]);
    for (const bad of [0, 6, 2.5, '3']) {
      expect(checkAnswers(Q, { q1: '满意', q3: bad as number }).errors, String(bad)).toEqual([{ field: 'answers.q3', message: '请选择 1 到 5 之间的分值' }]);
    }
    expect(checkAnswers(Q, { q1: '满意', q3: 3, q9: '多余' }).errors).toEqual([{ field: 'answers.q9', message: '问卷中没有这道题' }]);
    expect(checkAnswers(Q, { q1: '满意', q3: 3, q4: 5 }).errors).toEqual([{ field: 'answers.q4', message: '请填写文字' }]);
    // A key inherited from Object.prototype is not an answer.
    expect(checkAnswers(Q, JSON.parse('{"q1":"满意","q3":3,"__proto__":"x"}')).errors).toEqual([{ field: 'answers.__proto__', message: '问卷中没有这道题' }]);
  });

  it('honours a scale of another size', () => {
    const q: SurveyQuestion[] = [{ id: 's', kind: 'scale', text: '推荐意愿', scaleMax: 10, required: true }];
    expect(checkAnswers(q, { s: 10 }).errors).toEqual([]);
    expect(checkAnswers(q, { s: 11 }).errors).toEqual([{ field: 'answers.s', message: '请选择 1 到 10 之间的分值' }]);
  });
});

describe('results', () => {
  it('counts options, averages the scale, lists texts newest first (hand-computed)', () => {
    const results = computeResults(Q, [
      { submittedAt: '2026-11-27T02:00:00.000Z', answers: { q1: '满意', q2: ['安保', '保洁'], q3: 5, q4: '加装充电桩' } },
      { submittedAt: '2026-11-27T03:00:00.000Z', answers: { q1: '满意', q2: ['保洁'], q3: 4 } },
      { submittedAt: '2026-11-27T04:00:00.000Z', answers: { q1: '不满意', q3: 2, q4: '电梯常坏' } },
      // An answer whose option was since removed from the list is not counted.
      { submittedAt: '2026-11-27T05:00:00.000Z', answers: { q1: '旧选项', q3: 4 } },
    ]);
    expect(results[0]).toEqual({
      id: 'q1', kind: 'single', text: '总体满意度', answered: 4,
      options: [{ option: '满意', count: 2 }, { option: '一般', count: 0 }, { option: '不满意', count: 1 }],
    });
    expect(results[1]!.answered).toBe(2);
    expect(results[1]!.options).toEqual([{ option: '安保', count: 1 }, { option: '保洁', count: 2 }, { option: '绿化', count: 0 }]);
    // (5 + 4 + 2 + 4) / 4 = 15 / 4 = 3.75
    expect(results[2]).toEqual({
      id: 'q3', kind: 'scale', text: '环境评分', answered: 4, scaleMax: 5, average: 3.75,
      distribution: [{ value: 1, count: 0 }, { value: 2, count: 1 }, { value: 3, count: 0 }, { value: 4, count: 2 }, { value: 5, count: 1 }],
    });
    expect(results[3]!.texts).toEqual([
      { text: '电梯常坏', submittedAt: '2026-11-27T04:00:00.000Z' },
      { text: '加装充电桩', submittedAt: '2026-11-27T02:00:00.000Z' },
    ]);
  });

  it('has no average without answers, and rounds to 2 decimals', () => {
    expect(computeResults(Q, [])[2]!.average).toBeNull();
    // (5 + 4 + 2) / 3 = 3.666… → 3.67
    expect(computeResults(Q, [5, 4, 2].map((v) => ({ submittedAt: '2026-11-27T02:00:00.000Z', answers: { q3: v } })))[2]!.average).toBe(3.67);
    expect(roundTo(1.005, 2)).toBe(1.01);
  });

  it('rates responses against invitations', () => {
    expect(responseRate(3, 4)).toBe(0.75);
    expect(responseRate(1, 3)).toBe(0.3333);
    expect(responseRate(0, 0)).toBe(0);
  });
});

describe('timeline line', () => {
  it('shows the scale answers, else how many questions were answered', () => {
    expect(timelineSummary(Q, { q1: '满意', q3: 4 })).toBe('环境评分：4/5');
    expect(timelineSummary([{ id: 's', kind: 'scale', text: '您打几分？', scaleMax: 10, required: true }], { s: 9 })).toBe('您打几分：9/10');
    expect(timelineSummary(Q, { q1: '满意', q4: '好' })).toBe('回答了 2 道题');
  });
});
