import { TICKET_STATUSES, type TicketStatus } from '@qiaoliang/shared';
import { describe, expect, it } from 'vitest';
import { canApply, InvalidTransition, nextStatus, statusFromWorkOrders, type TicketCommand } from './tickets.rules.js';

describe('ticket state machine', () => {
  it('walks the single window: register → dispatch → accept → result → reply → resolve → close', () => {
    let s: TicketStatus = 'registered';
    s = nextStatus('dispatch', s);
    expect(s).toBe('dispatched');
    s = nextStatus('work_orders_changed', s, { workOrders: ['accepted'] });
    expect(s).toBe('in_progress');
    s = nextStatus('work_orders_changed', s, { workOrders: ['completed'] });
    expect(s).toBe('result_returned');
    s = nextStatus('reply', s);
    expect(s).toBe('replied');
    s = nextStatus('resolve', s);
    expect(s).toBe('resolved');
    s = nextStatus('close', s);
    expect(s).toBe('closed');
  });

  it('answers on the spot straight to resolved', () => {
    expect(nextStatus('answer_on_spot', 'registered')).toBe('resolved');
  });

  it('pauses while waiting on the customer and resumes where it was', () => {
    expect(nextStatus('wait', 'in_progress')).toBe('waiting_customer');
    expect(nextStatus('resume', 'waiting_customer', { resumeTo: 'in_progress' })).toBe('in_progress');
  });

  it('reopens a resolved ticket after a dissatisfied callback', () => {
    expect(nextStatus('reopen', 'resolved')).toBe('reopened');
    expect(nextStatus('dispatch', 'reopened')).toBe('dispatched');
  });

  it('derives the dispatch phase from the work orders', () => {
    expect(statusFromWorkOrders('dispatched', ['pending', 'accepted'])).toBe('in_progress');
    expect(statusFromWorkOrders('in_progress', ['completed', 'pending'])).toBe('dispatched');
    expect(statusFromWorkOrders('in_progress', ['completed', 'rejected'])).toBe('result_returned');
    expect(statusFromWorkOrders('dispatched', ['rejected'])).toBe('registered');
    expect(statusFromWorkOrders('reopened', ['rejected', 'cancelled'])).toBe('reopened');
  });

  it('refuses every command that the status does not allow', () => {
    const commands: TicketCommand[] = ['answer_on_spot', 'dispatch', 'reply', 'resolve', 'wait', 'resume', 'close', 'reopen', 'cancel', 'merge', 'hand_over', 'change_severity'];
    const finals: TicketStatus[] = ['closed', 'cancelled', 'merged'];
    for (const status of finals) for (const c of commands) expect(canApply(c, status), `${c} from ${status}`).toBe(false);
    expect(() => nextStatus('close', 'in_progress')).toThrow(InvalidTransition);
    expect(() => nextStatus('reopen', 'registered')).toThrow(InvalidTransition);
    expect(() => nextStatus('resume', 'dispatched')).toThrow(InvalidTransition);
    expect(() => nextStatus('answer_on_spot', 'dispatched')).toThrow(InvalidTransition);
    // Every status is covered by at least one command or is final.
    for (const s of TICKET_STATUSES) expect(finals.includes(s) || commands.some((c) => canApply(c, s)), s).toBe(true);
  });
});

describe('autoTitle (issue #18 defect 2: never a word cut mid-way)', () => {
  it('keeps a short description whole, on one line', async () => {
    const { autoTitle } = await import('./tickets.rules.js');
    expect(autoTitle('  卫生间漏水\n请尽快处理 ')).toBe('卫生间漏水 请尽快处理');
  });
  it('cuts a long Chinese text at its last punctuation within the limit, with an ellipsis', async () => {
    const { autoTitle } = await import('./tickets.rules.js');
    const d = '业主反映卫生间天花板漏水，楼上邻居说没有用水，请工程部尽快上门查看并处理防水问题';
    const t = autoTitle(d);
    expect(t).toBe('业主反映卫生间天花板漏水，楼上邻居说没有用水…');
    expect(d.startsWith(t.slice(0, -1))).toBe(true);
  });
  it('never cuts inside a Latin word or number, nor splits an emoji', async () => {
    const { autoTitle } = await import('./tickets.rules.js');
    const t = autoTitle('电梯故障代码ERROR1234567890ABCDEFGHIJ重复出现多次需要维修');
    expect(t).toBe('电梯故障代码…');
    const e = autoTitle('😀'.repeat(40));
    expect(Array.from(e.slice(0, -1)).every((c) => c === '😀')).toBe(true);
  });
});
