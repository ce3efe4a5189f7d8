import type { Call, CustomerSummary, OpenTicketSummary, ScreenPopEvent } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import type { Actor } from '../../platform/auth.js';
import { safeErrorText } from '../../platform/jobs.js';
import { listTimeline } from '../customers/timeline.service.js';

/** How many timeline entries the pop shows per customer. */
export const LAST_CONTACTS = 5;

/**
 * The open tickets of a customer that `actor` (the agent the pop goes to) may see. The
 * tickets module registers it at start; the hotline does not read ticket tables itself.
 */
export type OpenTicketsProvider = (deps: Deps, actor: Actor, customerId: string) => Promise<OpenTicketSummary[]>;

const noTickets: OpenTicketsProvider = async () => [];
let openTicketsProvider: OpenTicketsProvider = noTickets;

/** Registers where the screen pop gets open tickets from (null: back to none). */
export function setOpenTicketsProvider(fn: OpenTicketsProvider | null): void {
  openTicketsProvider = fn ?? noTickets;
}

/**
 * Builds the pop for one agent: every matching customer in the agent's scope with their open
 * tickets and latest contacts. A failing ticket provider costs the tickets, never the pop.
 */
export async function buildScreenPop(
  deps: Deps, actor: Actor, call: Call, customers: CustomerSummary[], callerNumber: string | null,
): Promise<ScreenPopEvent> {
  const provider = openTicketsProvider;
  const entries = await Promise.all(customers.map(async (customer) => {
    const [openTickets, lastContacts] = await Promise.all([
      provider(deps, actor, customer.id).catch((err: unknown) => {
        deps.log.warn({ callId: call.id, error: safeErrorText(err) }, 'open tickets for the screen pop failed');
        return [];
      }),
      listTimeline(deps.db, customer.id, null, LAST_CONTACTS),
    ]);
    return { customer, openTickets, lastContacts };
  }));
  return { type: 'screen_pop', call, customers: entries, callerNumber: customers.length === 0 ? callerNumber : null };
}
