import { DownOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Tooltip } from 'antd';
import type { Ticket } from '@qiaoliang/shared';
import { useState } from 'react';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useTicketCommand, type TicketCommand } from '../api/tickets';
import { canApply, openWorkOrders, primaryCommand } from '../rules';
import { ActionModal, type FormCommand } from './ActionModal';

const LABELS: Record<TicketCommand, string> = {
  answer: T.actions.answer,
  dispatch: T.actions.dispatch,
  reply: T.actions.reply,
  resolve: T.actions.resolve,
  wait: T.actions.wait,
  resume: T.actions.resume,
  close: T.actions.close,
  reopen: T.actions.reopen,
  cancel: T.actions.cancel,
  merge: T.actions.merge,
  'hand-over': T.actions.handOver,
  severity: T.actions.severity,
};

/** Shown as buttons, in the order of the workflow; the rest are under 更多操作. */
const MAIN: TicketCommand[] = ['dispatch', 'answer', 'reply', 'resolve', 'wait', 'resume', 'close', 'reopen'];
const MORE: TicketCommand[] = ['hand-over', 'severity', 'merge', 'cancel'];

/** The workflow buttons a ticket's status allows, the expected next step as the primary one. */
export function TicketActions({ ticket }: { ticket: Ticket }) {
  const [open, setOpen] = useState<FormCommand | null>(null);
  const resume = useTicketCommand();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const primary = primaryCommand(ticket);
  const blocking = openWorkOrders(ticket);
  const main = MAIN.filter((c) => canApply(c, ticket.status));
  const more = MORE.filter((c) => canApply(c, ticket.status));

  const button = (c: TicketCommand) => {
    if (c === 'resume') {
      return (
        <Button
          key={c}
          type={primary === c ? 'primary' : 'default'}
          loading={resume.isPending}
          onClick={() =>
            resume.mutate(
              { ticket, command: 'resume' },
              { onSuccess: () => void message.success(T.actions.done(T.actions.resume)), onError: (e) => onError(e) },
            )
          }
        >
          {LABELS[c]}
        </Button>
      );
    }
    const disabled = c === 'resolve' && blocking > 0;
    const btn = (
      <Button key={c} type={primary === c ? 'primary' : 'default'} disabled={disabled} onClick={() => setOpen(c)}>
        {LABELS[c]}
      </Button>
    );
    return disabled ? (
      <Tooltip key={c} title={T.actions.resolveBlocked(blocking)}>
        {btn}
      </Tooltip>
    ) : (
      btn
    );
  };

  return (
    <>
      {main.map(button)}
      {more.length ? (
        <Dropdown
          trigger={['click']}
          menu={{
            items: more.map((c) => ({ key: c, label: LABELS[c], danger: c === 'cancel' })),
            onClick: ({ key }) => setOpen(key as FormCommand),
          }}
        >
          <Button>
            {T.actions.more} <DownOutlined />
          </Button>
        </Dropdown>
      ) : null}
      {open ? <ActionModal command={open} ticket={ticket} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

