import { Tag, Tooltip } from 'antd';
import {
  SEVERITY_LABELS,
  TICKET_STATUS_LABELS,
  TICKET_TYPE_LABELS,
  WORK_ORDER_STATUS_LABELS,
  type Severity,
  type TicketStatus,
  type TicketType,
  type WorkOrderStatus,
} from '@qiaoliang/shared';
import { T } from '../../lib/texts';

const TYPE_COLORS: Record<TicketType, string> = {
  inquiry: 'blue',
  complaint: 'volcano',
  repair: 'orange',
  suggestion: 'cyan',
  praise: 'green',
  other: 'default',
};

const SEVERITY_COLORS: Record<Severity, string | undefined> = { routine: undefined, major: 'red', urgent: 'magenta' };

const STATUS_COLORS: Record<TicketStatus, string> = {
  registered: 'blue',
  dispatched: 'processing',
  in_progress: 'processing',
  result_returned: 'cyan',
  replied: 'geekblue',
  waiting_customer: 'warning',
  resolved: 'success',
  closed: 'default',
  reopened: 'error',
  cancelled: 'default',
  merged: 'default',
};

const WORK_ORDER_COLORS: Record<WorkOrderStatus, string> = {
  pending: 'warning',
  accepted: 'processing',
  rejected: 'error',
  completed: 'success',
  cancelled: 'default',
};

/** 咨询 / 投诉 / 报修 … */
export function TicketTypeTag({ type }: { type: TicketType }) {
  return <Tag color={TYPE_COLORS[type]}>{TICKET_TYPE_LABELS[type] ?? type}</Tag>;
}

/** 常规 / 重大 / 紧急; routine is shown plainly so that the others stand out. */
export function SeverityTag({ severity }: { severity: Severity }) {
  return (
    <Tag color={SEVERITY_COLORS[severity]} variant={severity === 'routine' ? 'outlined' : 'solid'}>
      {SEVERITY_LABELS[severity] ?? severity}
    </Tag>
  );
}

export function TicketStatusTag({ status }: { status: TicketStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{TICKET_STATUS_LABELS[status] ?? status}</Tag>;
}

export function WorkOrderStatusTag({ status }: { status: WorkOrderStatus }) {
  return <Tag color={WORK_ORDER_COLORS[status]}>{WORK_ORDER_STATUS_LABELS[status] ?? status}</Tag>;
}

/** The escalation level (none shows nothing): 主管 / 经理 / 总经理. */
export function EscalationTag({ level }: { level: number }) {
  if (!level) return null;
  return (
    <Tooltip title={T.escalation.levels[level]}>
      <Tag color="red" variant="solid">
        {`↑${T.escalation.short[level] ?? level}`}
      </Tag>
    </Tooltip>
  );
}
