import { Select } from 'antd';
import type { Ticket } from '@qiaoliang/shared';
import { fillTemplate, useReplyTemplates } from '../../lib/reply-templates';
import { useMe } from '../../lib/session';
import { T } from '../../lib/texts';

/**
 * 插入模板: the templates offered on this ticket (its project's and the group's, for its type);
 * choosing one hands the filled text to `onInsert`. The agent reviews it before sending.
 */
export function ReplyTemplatePicker({ ticket, onInsert }: { ticket: Ticket; onInsert: (text: string, title: string) => void }) {
  const me = useMe().data;
  const { data, isLoading } = useReplyTemplates({ projectId: ticket.projectId, ticketType: ticket.type, pageSize: 200 });
  const templates = data?.items ?? [];
  return (
    <Select
      aria-label={T.replyTemplates.insert}
      placeholder={T.replyTemplates.insertPlaceholder}
      loading={isLoading}
      value={null}
      style={{ width: '100%' }}
      showSearch={{ optionFilterProp: 'label' }}
      notFoundContent={T.replyTemplates.noneForTicket}
      options={templates.map((t) => ({ value: t.id, label: t.title, title: t.title }))}
      onChange={(id: string) => {
        const t = templates.find((x) => x.id === id);
        if (t) onInsert(fillTemplate(t, ticket, me?.displayName), t.title);
      }}
    />
  );
}
