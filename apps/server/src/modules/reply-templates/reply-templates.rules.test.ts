import { renderReplyTemplate, unknownTemplateVariables } from '@qiaoliang/shared';
import { describe, expect, it } from 'vitest';
import { DEMO_REPLY_TEMPLATES } from '../../seed/demo-reply-templates.js';
import { mayWriteReach, templateBodyErrors } from './reply-templates.rules.js';

describe('reply template variables', () => {
  it('fills every variable it has a value for and leaves the missing ones visible as 【名称】', () => {
    const text = renderReplyTemplate('{客户姓名}您好，工单 {工单号} 将于{解决时限}前处理完毕。{坐席}', { 客户姓名: '张三', 工单号: 'T20261203-0001', 解决时限: null });
    expect(text).toBe('张三您好，工单 T20261203-0001 将于【解决时限】前处理完毕。【坐席】');
  });

  it('leaves braces that are no variable alone when filling, and names them when saving', () => {
    expect(renderReplyTemplate('{客户名字} {工单号}', { 工单号: 'T1' })).toBe('{客户名字} T1');
    expect(unknownTemplateVariables('{客户名字}、{工单号}、{客户名字}、{ABC}')).toEqual(['客户名字', 'ABC']);
    expect(templateBodyErrors('{工单号}已受理')).toEqual([]);
    expect(templateBodyErrors('{单号}已受理')[0]!.message).toMatch(/^不认识的变量：\{单号\}/);
  });

  it('group-wide templates need group scope; a project template needs the project in scope', () => {
    expect(mayWriteReach(null, null)).toBe(true);
    expect(mayWriteReach(['p1'], null)).toBe(false);
    expect(mayWriteReach(['p1'], 'p1')).toBe(true);
    expect(mayWriteReach(['p1'], 'p2')).toBe(false);
  });
});

describe('demo reply templates', () => {
  it('use only known variables, so the demo never shows a typo to a customer', () => {
    for (const t of DEMO_REPLY_TEMPLATES) expect(templateBodyErrors(t.body), t.title).toEqual([]);
  });
});
