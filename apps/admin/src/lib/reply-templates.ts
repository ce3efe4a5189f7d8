import { useQuery } from '@tanstack/react-query';
import { renderReplyTemplate, type ReplyTemplate, type ReplyTemplateListQuery, type Ticket } from '@qiaoliang/shared';
import { api, type Page } from './api';
import { formatDateTime } from './format';
import { qk } from './query-keys';

/** GET /api/reply-templates: the settings list, or the templates offered on one ticket. */
export function useReplyTemplates(params: ReplyTemplateListQuery, enabled = true) {
  return useQuery({
    queryKey: qk.replyTemplateList(params),
    queryFn: ({ signal }) => api.get<Page<ReplyTemplate>>('/api/reply-templates', params, signal),
    placeholderData: (prev) => prev,
    enabled,
  });
}

/** A template's text filled from the ticket and the agent writing the reply. */
export function fillTemplate(template: Pick<ReplyTemplate, 'body'>, ticket: Ticket, agentName: string | undefined): string {
  return renderReplyTemplate(template.body, {
    客户姓名: ticket.customerName ?? '您',
    工单号: ticket.number,
    项目: ticket.projectName,
    位置: ticket.locationLabel,
    答复时限: ticket.replyDue ? formatDateTime(ticket.replyDue) : null,
    解决时限: ticket.resolutionDue ? formatDateTime(ticket.resolutionDue) : null,
    坐席: agentName ?? null,
  });
}
