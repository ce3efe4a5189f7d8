import { REPLY_TEMPLATE_VARIABLES, unknownTemplateVariables, type FieldError } from '@qiaoliang/shared';

/** Why a template's text cannot be saved: a name in braces that is no variable (a typo would reach the customer). */
export function templateBodyErrors(body: string): FieldError[] {
  const unknown = unknownTemplateVariables(body);
  if (!unknown.length) return [];
  return [{ field: 'body', message: `不认识的变量：${unknown.map((v) => `{${v}}`).join('、')}；可用变量：${REPLY_TEMPLATE_VARIABLES.map((v) => `{${v}}`).join('、')}` }];
}

/** Whether the actor may write a template of this reach: group-wide ones need group scope. */
export function mayWriteReach(actorProjectIds: readonly string[] | null, projectId: string | null): boolean {
  if (projectId === null) return actorProjectIds === null;
  return actorProjectIds === null || actorProjectIds.includes(projectId);
}
