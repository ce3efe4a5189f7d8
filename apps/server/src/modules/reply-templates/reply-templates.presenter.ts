import type { ReplyTemplate } from '@qiaoliang/shared';
import { iso } from '../../http/pagination.js';
import type { TemplateRow } from './reply-templates.repo.js';

export const presentTemplate = (r: TemplateRow): ReplyTemplate => ({
  id: r.id,
  title: r.title,
  body: r.body,
  ticketType: r.ticket_type as ReplyTemplate['ticketType'],
  projectId: r.project_id,
  projectName: r.project_name,
  active: r.active === 1,
  updatedAt: iso(r.updated_at),
  updatedByName: r.updated_by_name,
  version: r.version,
});
