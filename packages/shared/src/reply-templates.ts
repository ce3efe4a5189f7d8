/**
 * Reply templates (回复模板, "macros"): texts an agent inserts into an answer or a reply, with
 * variables filled from the ticket. Pure, shared by the server (which refuses unknown variables
 * when a template is saved) and the console (which fills them while the agent types).
 */

export const REPLY_TEMPLATE_LIMITS = { title: 40, body: 2000 } as const;

/** The variables a template may use, written {名称} in its text. */
export const REPLY_TEMPLATE_VARIABLES = ['客户姓名', '工单号', '项目', '位置', '答复时限', '解决时限', '坐席'] as const;
export type ReplyTemplateVariable = (typeof REPLY_TEMPLATE_VARIABLES)[number];

export const REPLY_TEMPLATE_VARIABLE_HINTS: Record<ReplyTemplateVariable, string> = {
  客户姓名: '客户姓名（无客户时为“您”）',
  工单号: '工单编号',
  项目: '项目名称',
  位置: '房号或公共区域',
  答复时限: '答复时限（月-日 时:分）',
  解决时限: '解决时限（月-日 时:分）',
  坐席: '当前坐席的姓名',
};

const VARIABLE = /\{([^{}\s]{1,10})\}/g;

/** The names in braces that are not variables, in order of first appearance. */
export function unknownTemplateVariables(body: string): string[] {
  const known = new Set<string>(REPLY_TEMPLATE_VARIABLES);
  const out: string[] = [];
  for (const m of body.matchAll(VARIABLE)) if (!known.has(m[1]!) && !out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/**
 * The template's text with its variables filled. A variable without a value stays visible as
 * 【名称】 so the agent sees what is still to be written, instead of an empty gap.
 */
export function renderReplyTemplate(body: string, values: Partial<Record<ReplyTemplateVariable, string | null>>): string {
  return body.replace(VARIABLE, (whole, name: string) => {
    if (!(REPLY_TEMPLATE_VARIABLES as readonly string[]).includes(name)) return whole;
    const value = values[name as ReplyTemplateVariable];
    return value ? value : `【${name}】`;
  });
}
