import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { World } from '../world.js';
import { acked, type Client, type Outcome } from './client.js';

interface Known {
  id: string;
  number: string;
  /** The last state a 2xx told the client; null when an unanswered request may have changed it. */
  version: number | null;
  status: string | null;
}

/** Counts of what the load did and saw. */
export interface LoadStats {
  requests: number;
  registered: number;
  /** Re-sent registrations (same Idempotency-Key) that returned the first ticket. */
  retriedSameKey: number;
  /** Registrations whose request got no answer and were re-sent after the restart. */
  retriedAcrossKill: number;
  dispatched: number;
  answered: number;
  callbacksCompleted: number;
  /** Requests cut by a kill (no response). */
  cut: number;
  /** 503 answers (database unavailable). */
  unavailable: number;
  /** 409/412 answers: state moved under the client (a cut request did commit). */
  conflicts: number;
}

/**
 * A mixed write load of a call-center agent: registrations with an Idempotency-Key (a fifth of
 * them re-sent), dispatches, answers on the spot and callback results, from several
 * concurrent workers. It remembers every 2xx it got, so that after a crash the test can check
 * that each acknowledged write is still there, exactly once.
 */
export class WriteLoad {
  readonly acked = new Map<string, { id: string; number: string }>();
  readonly bodies = new Map<string, object>();
  /** Registrations sent without an answer: the kill cut them. */
  readonly unanswered = new Set<string>();
  readonly tickets = new Map<string, Known>();
  readonly violations: string[] = [];
  readonly stats: LoadStats = { requests: 0, registered: 0, retriedSameKey: 0, retriedAcrossKill: 0, dispatched: 0, answered: 0, callbacksCompleted: 0, cut: 0, unavailable: 0, conflicts: 0 };
  private readonly busy = new Set<string>();
  private running = false;
  private workers: Promise<void>[] = [];
  private n = 0;
  /** A client backs off a little after a failure instead of hammering a server that is down. */
  private failedRecently = false;

  constructor(private readonly agent: Client, private readonly world: World, private readonly prefix: string, private readonly rnd: () => number = Math.random) {}

  start(concurrency = 3): void {
    this.running = true;
    this.workers = Array.from({ length: concurrency }, () => this.loop());
  }

  /** Stops issuing requests and waits for the ones in flight (a killed server answers them with errors). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const r = this.rnd();
      try {
        if (r < 0.45) await this.register();
        else if (r < 0.55) await this.resendAcked();
        else if (r < 0.72) await this.dispatch();
        else if (r < 0.86) await this.answer();
        else await this.completeCallback();
      } catch (err) {
        this.violations.push(`load worker error: ${(err as Error).stack ?? String(err)}`);
      }
      if (this.failedRecently) {
        this.failedRecently = false;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private track(o: Outcome): Outcome {
    this.stats.requests++;
    if (!o.ok || o.status === 503) this.failedRecently = true;
    if (!o.ok) this.stats.cut++;
    else if (o.status === 503) this.stats.unavailable++;
    else if (o.status === 409 || o.status === 412) this.stats.conflicts++;
    else if (o.status >= 500) this.violations.push(`${o.status} ${o.text.slice(0, 300)}`);
    return o;
  }

  private body(n: number): object {
    const type = (['complaint', 'repair', 'inquiry'] as const)[n % 3];
    return {
      type, severity: 'routine', channel: 'hotline', projectId: this.world.projectA,
      ...(n % 2 === 0 ? { customerId: this.world.customerA } : {}),
      description: `压力测试工单 ${this.prefix} ${n}：楼道灯不亮`,
    };
  }

  /** Sends one registration; records the ticket on a 2xx, the key as unanswered on no response. */
  async sendRegistration(key: string): Promise<Outcome> {
    const o = this.track(await this.agent.send('POST', '/api/tickets', { body: this.bodies.get(key)!, headers: { 'idempotency-key': key } }));
    if (o.ok && acked(o)) {
      this.unanswered.delete(key);
      const t = o.body as { id: string; number: string; version: number; status: string };
      const before = this.acked.get(key);
      if (before && before.id !== t.id) this.violations.push(`key ${key} gave ticket ${t.number} after ${before.number}`);
      if (before && o.status === 201) this.violations.push(`key ${key} created a second ticket (${t.number})`);
      if (!before) {
        this.acked.set(key, { id: t.id, number: t.number });
        this.stats.registered++;
      }
      if (!this.tickets.has(t.id)) this.tickets.set(t.id, { id: t.id, number: t.number, version: t.version, status: t.status });
    } else if (!o.ok || o.status === 503) {
      if (!this.acked.has(key)) this.unanswered.add(key);
    } else {
      this.violations.push(`registration ${key}: ${o.status} ${o.text.slice(0, 200)}`);
    }
    return o;
  }

  private async register(): Promise<void> {
    const n = ++this.n;
    const key = `${this.prefix}-${n}`;
    this.bodies.set(key, this.body(n));
    await this.sendRegistration(key);
  }

  private async resendAcked(): Promise<void> {
    const keys = [...this.acked.keys()];
    if (keys.length === 0) return this.register();
    const key = keys[Math.floor(this.rnd() * keys.length)]!;
    const o = await this.sendRegistration(key);
    if (o.ok && acked(o)) {
      this.stats.retriedSameKey++;
      if (o.status !== 200) this.violations.push(`re-sent key ${key} answered ${o.status}, not 200`);
    }
  }

  /** Re-sends every registration a kill left unanswered; each must now give its one ticket. */
  async retryUnanswered(): Promise<void> {
    for (const key of [...this.unanswered]) {
      const o = await this.sendRegistration(key);
      if (acked(o)) this.stats.retriedAcrossKill++;
      else this.violations.push(`retry of ${key} after restart: ${o.ok ? `${o.status} ${o.text.slice(0, 200)}` : o.error}`);
    }
  }

  private pick(status: string): Known | null {
    const list = [...this.tickets.values()].filter((t) => t.status === status && t.version !== null && !this.busy.has(t.id));
    if (list.length === 0) return null;
    return list[Math.floor(this.rnd() * list.length)]!;
  }

  private async command(t: Known, path: string, body: object): Promise<Outcome> {
    this.busy.add(t.id);
    try {
      const o = this.track(await this.agent.send('POST', `/api/tickets/${t.id}/${path}`, { body, headers: { 'if-match': `"${t.version}"` } }));
      if (o.ok && acked(o)) {
        t.version = o.body.version;
        t.status = o.body.status;
      } else if (!o.ok || o.status === 503) {
        // Unknown: the write may or may not have committed. Learn it again later.
        t.version = null;
        t.status = null;
      } else if (o.status === 409 || o.status === 412) {
        await this.refresh(t);
      } else {
        this.violations.push(`${path} ${t.number}: ${o.status} ${o.text.slice(0, 200)}`);
      }
      return o;
    } finally {
      this.busy.delete(t.id);
    }
  }

  private async dispatch(): Promise<void> {
    const t = this.pick('registered');
    if (!t) return this.register();
    const o = await this.command(t, 'dispatch', { departmentId: this.world.deptPropA, instructions: '请派人检修', dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), lateReason: '业主约定三天后在家' });
    if (acked(o)) this.stats.dispatched++;
  }

  private async answer(): Promise<void> {
    const t = this.pick('registered');
    if (!t) return this.register();
    const o = await this.command(t, 'answer', { channel: 'phone', content: '已当场答复业主' });
    if (acked(o)) this.stats.answered++;
  }

  private async completeCallback(): Promise<void> {
    const t = this.pick('resolved');
    if (!t) return this.register();
    this.busy.add(t.id);
    try {
      const list = this.track(await this.agent.send('GET', '/api/callbacks?view=mine&status=open&limit=200'));
      if (!list.ok || !acked(list)) return;
      const cb = (list.body.items as { id: string; ticketId: string; version: number }[]).find((c) => c.ticketId === t.id);
      if (!cb) {
        await this.refresh(t);
        return;
      }
      const o = this.track(await this.agent.send('POST', `/api/callbacks/${cb.id}/complete`, { body: { satisfaction: 4, comment: '满意' }, headers: { 'if-match': `"${cb.version}"` } }));
      if (acked(o)) this.stats.callbacksCompleted++;
      else if (o.ok && o.status !== 503 && o.status !== 409 && o.status !== 412) this.violations.push(`callback ${t.number}: ${o.status} ${o.text.slice(0, 200)}`);
      await this.refresh(t);
    } finally {
      this.busy.delete(t.id);
    }
  }

  /** Reads a ticket's state from the server (after a conflict or a cut request). */
  async refresh(t: Known): Promise<void> {
    const o = this.track(await this.agent.send('GET', `/api/tickets/${t.id}`));
    if (o.ok && acked(o)) {
      if (t.version !== null && o.body.version < t.version) this.violations.push(`${t.number}: server has version ${o.body.version}, client was told ${t.version}`);
      t.version = o.body.version;
      t.status = o.body.status;
    } else {
      t.version = null;
      t.status = null;
    }
  }

  /** After a restart: learn the state of every ticket an unanswered request may have changed. */
  async refreshUnknown(): Promise<void> {
    for (const t of this.tickets.values()) if (t.version === null) await this.refresh(t);
  }

  /**
   * What the database must show: every acknowledged registration exactly once, under its key;
   * no ticket from a key this client never sent; every acknowledged state still there (a later
   * version may exist: a cut request can commit without its answer).
   */
  async verifyAgainst(db: Kysely<DB>): Promise<string[]> {
    const problems: string[] = [];
    const rows = await db.selectFrom('tickets').select(['id', 'number', 'idempotency_key', 'version', 'status']).where('idempotency_key', 'like', `${this.prefix}-%`).execute();
    const byKey = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byKey.get(r.idempotency_key!) ?? [];
      list.push(r);
      byKey.set(r.idempotency_key!, list);
    }
    for (const [key, t] of this.acked) {
      const found = byKey.get(key) ?? [];
      if (found.length !== 1) problems.push(`acknowledged ${t.number} (key ${key}) found ${found.length} times`);
      else if (found[0]!.id !== t.id) problems.push(`key ${key}: acknowledged ${t.number}, database has ${found[0]!.number}`);
    }
    for (const key of byKey.keys()) if (!this.bodies.has(key)) problems.push(`ticket with a key never sent: ${key}`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const t of this.tickets.values()) {
      const row = byId.get(t.id);
      if (!row) continue;
      if (t.version !== null && Number(row.version) < t.version) problems.push(`${t.number}: acknowledged version ${t.version}, database has ${row.version}`);
      if (t.version !== null && Number(row.version) === t.version && row.status !== t.status) problems.push(`${t.number}: acknowledged ${t.status}, database has ${row.status}`);
    }
    return problems;
  }
}
