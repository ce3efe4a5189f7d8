import type { Me, Ticket, TicketStatus } from '@qiaoliang/shared';
import { hasRole } from '../../lib/session';
import type { TicketCommand } from './api/tickets';

/*
 * Which commands a ticket's status allows: a mirror of the server's state machine
 * (apps/server/src/modules/tickets/tickets.rules.ts, ALLOWED_FROM), so that only the buttons
 * that can work are shown. The server still decides (409 ticket.invalid_transition).
 */
const ACTIVE: readonly TicketStatus[] = ['registered', 'dispatched', 'in_progress', 'result_returned', 'replied', 'reopened'];

const ALLOWED_FROM: Record<TicketCommand, readonly TicketStatus[]> = {
  answer: ['registered', 'reopened'],
  dispatch: ACTIVE,
  reply: [...ACTIVE, 'waiting_customer'],
  resolve: ACTIVE,
  wait: ACTIVE,
  resume: ['waiting_customer'],
  close: ['resolved'],
  reopen: ['resolved'],
  cancel: [...ACTIVE, 'waiting_customer'],
  merge: [...ACTIVE, 'waiting_customer'],
  'hand-over': [...ACTIVE, 'waiting_customer', 'resolved'],
  severity: [...ACTIVE, 'waiting_customer'],
};

/** True when the status allows the command. */
export function canApply(command: TicketCommand, status: TicketStatus): boolean {
  return ALLOWED_FROM[command].includes(status);
}

/** Statuses after which nothing remains to do for the center (no deadline runs). */
export const FINISHED_STATUSES: readonly TicketStatus[] = ['resolved', 'closed', 'cancelled', 'merged'];

/**
 * First-contact responsibility (S2): the owner, or a supervisor/manager of the project, may act
 * on a ticket; agents act only on their own. Executives and admins read.
 */
export function mayAct(me: Me | null | undefined, ticket: Pick<Ticket, 'ownerId'>): boolean {
  if (!hasRole(me, 'agent', 'supervisor', 'manager')) return false;
  return ticket.ownerId === me?.id || hasRole(me, 'supervisor', 'manager');
}

/** Work orders a department is still working on (they block 标记解决). */
export function openWorkOrders(ticket: Pick<Ticket, 'workOrders'>): number {
  return ticket.workOrders.filter((w) => w.status === 'pending' || w.status === 'accepted').length;
}

/**
 * The step the workflow expects next, shown as the primary button: dispatch or answer a new
 * ticket, reply once departments returned their result, resolve after replying, close after
 * the callback, resume a waiting one.
 */
export function primaryCommand(ticket: Pick<Ticket, 'status' | 'workOrders' | 'replies'>): TicketCommand | null {
  switch (ticket.status) {
    case 'registered':
    case 'reopened':
      return 'dispatch';
    case 'dispatched':
    case 'in_progress':
      return 'reply';
    case 'result_returned':
      return 'reply';
    case 'replied':
      return openWorkOrders(ticket) ? 'reply' : 'resolve';
    case 'waiting_customer':
      return 'resume';
    case 'resolved':
      return 'close';
    default:
      return null;
  }
}
