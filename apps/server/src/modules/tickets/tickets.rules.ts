import type { TicketStatus, WorkOrderStatus } from '@qiaoliang/shared';

/** Commands that move a ticket through the single-window workflow. */
export type TicketCommand =
  | 'answer_on_spot' | 'dispatch' | 'work_orders_changed' | 'reply' | 'resolve' | 'wait' | 'resume' | 'close' | 'reopen' | 'cancel' | 'merge' | 'hand_over' | 'change_severity';

const ACTIVE: readonly TicketStatus[] = ['registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'reopened'];

/** Where each command may start from. */
const ALLOWED_FROM: Record<TicketCommand, readonly TicketStatus[]> = {
  answer_on_spot: ['registered', 'reopened'],
  dispatch: ACTIVE,
  work_orders_changed: ['dispatched', 'in_progress', 'result_returned', 'replied', 'registered', 'reopened'],
  reply: [...ACTIVE, 'waiting_customer'],
  resolve: ACTIVE,
  wait: ACTIVE,
  resume: ['waiting_customer'],
  close: ['resolved'],
  reopen: ['resolved'],
  cancel: [...ACTIVE, 'waiting_customer'],
  merge: [...ACTIVE, 'waiting_customer'],
  hand_over: [...ACTIVE, 'waiting_customer', 'resolved'],
  change_severity: [...ACTIVE, 'waiting_customer'],
};

/** True when the command is allowed in the status. */
export function canApply(command: TicketCommand, status: TicketStatus): boolean {
  return ALLOWED_FROM[command].includes(status);
}

/** The status a ticket in the dispatch phase has, derived from its work orders. */
export function statusFromWorkOrders(current: TicketStatus, workOrders: readonly WorkOrderStatus[]): TicketStatus {
  const live = workOrders.filter((s) => s !== 'rejected' && s !== 'cancelled');
  if (live.some((s) => s === 'accepted')) return 'in_progress';
  if (live.some((s) => s === 'pending')) return 'dispatched';
  if (live.length && live.every((s) => s === 'completed')) return current === 'replied' ? 'replied' : 'result_returned';
  // Every work order was rejected or cancelled: back to the owner to dispatch again.
  return current === 'reopened' ? 'reopened' : 'registered';
}

/**
 * The status after a command, given the current status (and, for work-order changes, the
 * statuses of all the ticket's work orders). Throws when the command is not allowed.
 */
export function nextStatus(
  command: TicketCommand,
  status: TicketStatus,
  ctx: { workOrders?: readonly WorkOrderStatus[]; resumeTo?: TicketStatus | null } = {},
): TicketStatus {
  if (!canApply(command, status)) throw new InvalidTransition(command, status);
  switch (command) {
    case 'answer_on_spot':
    case 'resolve':
      return 'resolved';
    case 'dispatch':
      return status === 'in_progress' ? 'in_progress' : 'dispatched';
    case 'work_orders_changed':
      return statusFromWorkOrders(status, ctx.workOrders ?? []);
    case 'reply':
      return status === 'result_returned' ? 'replied' : status;
    case 'wait':
      return 'waiting_customer';
    case 'resume':
      return ctx.resumeTo ?? 'registered';
    case 'close':
      return 'closed';
    case 'reopen':
      return 'reopened';
    case 'cancel':
      return 'cancelled';
    case 'merge':
      return 'merged';
    case 'hand_over':
    case 'change_severity':
      return status;
  }
}

/** A command that the ticket's status does not allow. */
export class InvalidTransition extends Error {
  constructor(readonly command: TicketCommand, readonly status: TicketStatus) {
    super(`${command} is not allowed in status ${status}`);
  }
}

/** How many characters of the description an automatic title keeps at most (before the ellipsis). */
export const AUTO_TITLE_CHARS = 30;
/** Where a title may be cut: after punctuation or at whitespace. */
const BOUNDARY = /[\s，。！？；：、,.!?;:)）】」』”]/u;
/** A word in Latin script or digits: never cut inside one. */
const WORD_CHAR = /[\p{Script=Latin}\p{N}_'-]/u;

/**
 * The title of a ticket registered without one: the description's first line, whitespace
 * collapsed, up to AUTO_TITLE_CHARS characters (code points, so an emoji is never split). A
 * longer text is cut at the last punctuation or whitespace within the limit and ends with
 * "…"; without such a boundary, never inside a Latin word or number (issue #18 defect 2).
 */
export function autoTitle(description: string, max = AUTO_TITLE_CHARS): string {
  const text = description.replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  // The last boundary within the limit, if it keeps at least a third of it.
  let cut = -1;
  for (let i = max; i >= Math.ceil(max / 3); i--) {
    if (BOUNDARY.test(chars[i] ?? '')) {
      cut = i;
      break;
    }
  }
  if (cut < 0) {
    cut = max;
    // Inside a Latin word or number: back to its start (or, for one long word, keep it whole to the limit).
    let i = cut;
    while (i > 0 && WORD_CHAR.test(chars[i - 1]!) && WORD_CHAR.test(chars[i] ?? '')) i--;
    if (i > 0) cut = i;
  }
  const head = chars.slice(0, cut).join('').replace(/[\s，、,;；:：]+$/u, '');
  return `${head}…`;
}
