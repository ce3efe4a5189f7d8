import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../platform/crypto.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { backfillRollups, refreshRollups, rollupRun } from './rollups.service.js';

/*
 * K1–K4 from the real server (public API only, the clock moved from outside) against a
 * straightforward reference implementation of mission.md's definitions written here, over
 * random histories (register, reply, wait, resume, resolve, reopen, callback, cancel, visit,
 * unsuccessful visit, archive confirmation, unit transfer) and random periods of one project.
 */

const H = 3_600_000;
const DAY = 24 * H;
const TZ_OFFSET = 8 * H; // Asia/Shanghai has no daylight saving time.
/** The instant a Shanghai calendar day starts. */
const dayStart = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
const dateOf = (ms: number) => new Date(ms + TZ_OFFSET).toISOString().slice(0, 10);
const addDaysTo = (date: string, n: number) => dateOf(dayStart(date) + n * DAY);
/** One calendar month later on the Shanghai calendar, clamped to the month's end (the archive currency rule). */
function plusOneMonth(ms: number): number {
  const wall = new Date(ms + TZ_OFFSET);
  const y = wall.getUTCFullYear();
  const m = wall.getUTCMonth() + 1;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = Date.UTC(y, m, Math.min(wall.getUTCDate(), last), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
  return out - TZ_OFFSET;
}

// ---------- the random history ----------

type Step = { kind: 'reply' | 'wait' | 'resume' | 'resolve' | 'reopen' | 'cancel' | 'callback'; gapH: number; satisfaction: number };
interface ComplaintPlan { customer: number; severity: 'routine' | 'major'; startH: number; steps: Step[] }
interface Plan {
  customers: { phone: boolean }[];
  buyerPhone: boolean;
  complaints: ComplaintPlan[];
  visits: { customer: number; atH: number; unsuccessful: boolean }[];
  confirms: { customer: number; atH: number }[];
  transfer: { seller: number; dayOffset: number } | null;
  periods: { from: number; len: number }[];
  /** When the rollup job folds the marks in: after that many events (never: the reads recompute the marked days). */
  refreshAfter: number | null;
  refreshAtEnd: boolean;
}

const stepArb = fc.record({
  kind: fc.constantFrom('reply', 'wait', 'resume', 'resolve', 'reopen', 'cancel', 'callback', 'resolve', 'callback', 'wait', 'resume'),
  gapH: fc.integer({ min: 1, max: 30 }),
  satisfaction: fc.integer({ min: 1, max: 5 }),
}) as fc.Arbitrary<Step>;
const planArb: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 3 }).chain((n) => fc.record({
  customers: fc.array(fc.record({ phone: fc.boolean() }), { minLength: n, maxLength: n }),
  buyerPhone: fc.boolean(),
  complaints: fc.array(fc.record({
    customer: fc.integer({ min: 0, max: n - 1 }), severity: fc.constantFrom('routine', 'major'), startH: fc.integer({ min: 0, max: 20 * 24 }), steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }),
  }) as fc.Arbitrary<ComplaintPlan>, { maxLength: 8 }),
  visits: fc.array(fc.record({ customer: fc.integer({ min: 0, max: n }), atH: fc.integer({ min: 0, max: 30 * 24 }), unsuccessful: fc.boolean() }), { maxLength: 5 }),
  confirms: fc.array(fc.record({ customer: fc.integer({ min: 0, max: n }), atH: fc.integer({ min: 0, max: 30 * 24 }) }), { maxLength: 3 }),
  transfer: fc.option(fc.record({ seller: fc.integer({ min: 0, max: n - 1 }), dayOffset: fc.integer({ min: 1, max: 28 }) }), { nil: null }),
  periods: fc.array(fc.record({ from: fc.integer({ min: -5, max: 35 }), len: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 3 }),
  refreshAfter: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  refreshAtEnd: fc.boolean(),
}));

// ---------- the reference model of mission.md ----------

interface RefComplaint {
  id: string;
  customer: string;
  severity: 'routine' | 'major';
  registeredAt: number;
  status: string;
  waits: { from: number; to: number | null }[];
  lastResolvedAt: number | null;
  firstReplyAt: number | null;
  callbacks: { at: number; satisfaction: number }[];
}

/** K1: deadline 24 h (routine, resolution) or 72 h (major, first reply) after registration plus all time waiting, also while still waiting. */
function refK1(list: RefComplaint[], fromMs: number, toMs: number, now: number) {
  let num = 0;
  let den = 0;
  for (const c of list) {
    if (c.status === 'cancelled') continue;
    const waited = c.waits.reduce((s, w) => s + ((w.to ?? now) - w.from), 0);
    const due = c.registeredAt + (c.severity === 'major' ? 72 : 24) * H + waited;
    if (due < fromMs || due >= toMs) continue;
    const met = c.severity === 'major' ? c.firstReplyAt : c.lastResolvedAt;
    if (met === null && due > now) continue; // not due yet
    den++;
    if (met !== null && met <= due) num++;
  }
  return { num, den };
}

/** K2: valid complaints by their latest completed callback in the period; satisfied is 4 or 5. */
function refK2(list: RefComplaint[], fromMs: number, toMs: number) {
  let num = 0;
  let den = 0;
  for (const c of list) {
    if (c.status === 'cancelled' || !c.callbacks.length) continue;
    const latest = c.callbacks[c.callbacks.length - 1]!;
    if (latest.at < fromMs || latest.at >= toMs) continue;
    den++;
    if (latest.satisfaction >= 4) num++;
  }
  return { num, den };
}

describe('K1–K4 agree with a reference implementation of mission.md over random histories', () => {
  let t: TestApp;
  let userId = '';
  let cityId = '';
  let run = 0;

  beforeAll(async () => {
    t = await createTestApp({ SESSION_IDLE_MINUTES: '1440', SESSION_ABSOLUTE_HOURS: '720' });
    const now = t.clock.now().getTime();
    userId = t.deps.ids.next();
    await t.deps.db.insertInto('users').values({
      id: userId, username: 'prop_sup', display_name: '性质测试', password_hash: await hashPassword('test1234'), phone: null, email: null, department_id: null,
      extension: null, scope_kind: 'group', active: 1, must_change_password: 0, version: 1, created_at: now, updated_at: now, last_login_at: null,
    }).execute();
    await t.deps.db.insertInto('user_roles').values([{ user_id: userId, role: 'agent' }, { user_id: userId, role: 'supervisor' }]).execute();
    cityId = t.world.cityC1;
    // A short currency makes K4's "current" part of the property: one month.
    const root = await t.login('root');
    const current = (await t.as(root, { method: 'GET', url: '/api/settings/archive-rules' })).json();
    const put = await t.as(root, { method: 'PUT', url: '/api/settings/archive-rules', headers: { 'if-match': `"${current.version ?? 0}"` }, payload: { requiredFields: { owner: ['name', 'phone'] }, currencyMonths: 1 } });
    expect(put.statusCode, put.body).toBe(200);
    // K1 and K2 are served from the rollups from here on (the backfill of the standard world).
    await backfillRollups(t.deps);
    expect((await rollupRun(t.deps.db, 'backfill'))?.state).toBe('done');
  });
  afterAll(async () => t.close());

  it('for random periods of one project, K1–K4 equal the reference', async () => {
    await fc.assert(fc.asyncProperty(planArb, async (plan) => {
      // Each run lives in its own project and its own weeks of 2025.
      const W = dayStart('2025-02-03') + run * 45 * DAY;
      const wDate = dateOf(W);
      run++;
      let cookie = '';
      let lastAt = -Infinity;
      const at = async (ms: number) => {
        t.clock.set(new Date(ms).toISOString());
        if (ms - lastAt > 20 * H || !cookie) cookie = await t.login('prop_sup');
        lastAt = ms;
      };
      const call = async (method: 'GET' | 'POST', url: string, payload?: object, version?: number) => {
        const res = await t.as(cookie, { method, url, ...(payload ? { payload } : {}), headers: version !== undefined ? { 'if-match': `"${version}"` } : {} });
        if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };

      // Setup (before the window): project, units, customers with phones or not, their relations.
      const s0 = W - 15 * DAY;
      const ids = t.deps.ids;
      const projectId = ids.next();
      const buildingId = ids.next();
      const s = { version: 1, created_at: s0, updated_at: s0 };
      await t.deps.db.insertInto('projects').values({ id: projectId, city_company_id: cityId, name: `性质${run}`, code: `PR${run}`, address: null, ...s }).execute();
      await t.deps.db.insertInto('buildings').values({ id: buildingId, project_id: projectId, name: '1', floors: 18, ...s }).execute();
      await at(s0);
      const customers: string[] = [];
      const units: string[] = [];
      const touches = new Map<string, number[]>();
      const phone = new Map<string, boolean>();
      const relations: { customer: string; unit: string; from: string; to: string | null }[] = [];
      for (let i = 0; i <= plan.customers.length; i++) {
        const isBuyer = i === plan.customers.length;
        const hasPhone = isBuyer ? plan.buyerPhone : plan.customers[i]!.phone;
        const c = await call('POST', '/api/customers', { kind: 'owner', name: `客户${run}-${i}`, projectId, phones: hasPhone ? [{ phone: `1390${String(run).padStart(3, '0')}${String(i).padStart(4, '0')}` }] : [] });
        customers.push(c.id);
        phone.set(c.id, hasPhone);
        touches.set(c.id, [s0]);
        if (isBuyer) continue;
        const unitId = ids.next();
        await t.deps.db.insertInto('units').values({ id: unitId, project_id: projectId, building_id: buildingId, entrance: '1', floor: 10, room_number: `10${i}1`, area: 100, layout: null, ...s }).execute();
        units.push(unitId);
        await call('POST', `/api/customers/${c.id}/units`, { unitId, relation: 'owner', fromDate: '2024-06-01' });
        relations.push({ customer: c.id, unit: unitId, from: '2024-06-01', to: null });
      }
      const buyer = customers[customers.length - 1]!;

      // Every event of the window, in time order.
      type Ev = { at: number; run: () => Promise<void> };
      const events: Ev[] = [];
      const complaints: RefComplaint[] = [];
      const visits: { customer: string; at: number }[] = [];
      const attempts: { customer: string; at: number }[] = [];
      for (const p of plan.complaints) {
        const ref: RefComplaint = { id: '', customer: customers[p.customer]!, severity: p.severity, registeredAt: W + p.startH * H, status: 'registered', waits: [], lastResolvedAt: null, firstReplyAt: null, callbacks: [] };
        complaints.push(ref);
        events.push({ at: ref.registeredAt, run: async () => {
          ref.id = (await call('POST', '/api/tickets', { type: 'complaint', severity: p.severity, channel: 'hotline', projectId, customerId: ref.customer, description: `性质测试投诉 ${run}` })).id;
        } });
        // The steps that the state machine allows, each at its time; the model follows the server's rules.
        let time = ref.registeredAt;
        let state = 'registered';
        let resumeTo = 'registered';
        const active = () => ['registered', 'reopened'].includes(state);
        for (const st of p.steps) {
          time += st.gapH * H;
          const when = time;
          const ticket = async () => call('GET', `/api/tickets/${ref.id}`);
          if (st.kind === 'reply' && (active() || state === 'waiting_customer')) {
            events.push({ at: when, run: async () => {
              await call('POST', `/api/tickets/${ref.id}/reply`, { channel: 'phone', content: '已核实并答复处理方案' }, (await ticket()).version);
              ref.firstReplyAt ??= when;
            } });
          } else if (st.kind === 'wait' && active()) {
            resumeTo = state;
            state = 'waiting_customer';
            events.push({ at: when, run: async () => {
              await call('POST', `/api/tickets/${ref.id}/wait`, { reason: '业主不在家' }, (await ticket()).version);
              ref.status = 'waiting_customer';
              ref.waits.push({ from: when, to: null });
            } });
          } else if (st.kind === 'resume' && state === 'waiting_customer') {
            state = resumeTo;
            const to = state;
            events.push({ at: when, run: async () => {
              await call('POST', `/api/tickets/${ref.id}/resume`, {}, (await ticket()).version);
              ref.status = to;
              ref.waits[ref.waits.length - 1]!.to = when;
            } });
          } else if (st.kind === 'resolve' && active()) {
            state = 'resolved';
            events.push({ at: when, run: async () => {
              await call('POST', `/api/tickets/${ref.id}/resolve`, { summary: '已处理' }, (await ticket()).version);
              ref.status = 'resolved';
              ref.lastResolvedAt = when;
            } });
          } else if (st.kind === 'reopen' && state === 'resolved') {
            state = 'reopened';
            events.push({ at: when, run: async () => {
              await call('POST', `/api/tickets/${ref.id}/reopen`, { reason: '客户反映仍未解决' }, (await ticket()).version);
              ref.status = 'reopened';
            } });
          } else if (st.kind === 'cancel' && (active() || state === 'waiting_customer')) {
            state = 'cancelled';
            events.push({ at: when, run: async () => {
              await call('POST', `/api/tickets/${ref.id}/cancel`, { reason: '客户撤回' }, (await ticket()).version);
              ref.status = 'cancelled';
            } });
          } else if (st.kind === 'callback' && state === 'resolved') {
            state = st.satisfaction <= 2 ? 'reopened' : 'closed';
            const sat = st.satisfaction;
            events.push({ at: when, run: async () => {
              const open = (await call('GET', '/api/callbacks?view=team&limit=200')).items as { id: string; ticketId: string; version: number }[];
              const cb = open.find((x) => x.ticketId === ref.id)!;
              await call('POST', `/api/callbacks/${cb.id}/complete`, { satisfaction: sat }, cb.version);
              ref.callbacks.push({ at: when, satisfaction: sat });
              ref.status = sat <= 2 ? 'reopened' : 'closed';
              visits.push({ customer: ref.customer, at: when });
            } });
          }
        }
      }
      for (const v of plan.visits) {
        const customer = customers[v.customer]!;
        const when = W + v.atH * H;
        events.push({ at: when, run: async () => {
          if (v.unsuccessful) {
            await call('POST', '/api/visit-attempts', { customerId: customer, projectId, kind: 'home_visit', outcome: 'not_at_home' });
            attempts.push({ customer, at: when });
          } else {
            await call('POST', '/api/visits', { customerId: customer, projectId, kinds: ['home_visit'] });
            visits.push({ customer, at: when });
          }
        } });
      }
      for (const cf of plan.confirms) {
        const customer = customers[cf.customer]!;
        const when = W + cf.atH * H;
        events.push({ at: when, run: async () => {
          await call('POST', `/api/customers/${customer}/confirm-archive`, {}, (await call('GET', `/api/customers/${customer}`)).version);
          touches.get(customer)!.push(when);
        } });
      }
      if (plan.transfer) {
        const tr = plan.transfer;
        const date = addDaysTo(wDate, tr.dayOffset);
        const when = dayStart(date) + 10 * H;
        events.push({ at: when, run: async () => {
          const seller = customers[tr.seller]!;
          const rel = relations.find((r) => r.customer === seller)!;
          await call('POST', `/api/units/${rel.unit}/transfer`, { buyerId: buyer, date });
          rel.to = date;
          relations.push({ customer: buyer, unit: rel.unit, from: date, to: null });
          touches.get(seller)!.push(when);
          touches.get(buyer)!.push(when);
        } });
      }
      events.sort((a, b) => a.at - b.at);
      for (const [i, e] of events.entries()) {
        await at(e.at);
        await e.run();
        if (plan.refreshAfter === i) await refreshRollups(t.deps);
      }

      // Ask the server and the reference for each period, some days after the window.
      const now = W + 40 * DAY;
      await at(now);
      if (plan.refreshAtEnd) await refreshRollups(t.deps);
      const today = dateOf(now);
      // K1 and K2 as the rollups serve them, for every month the history touches.
      for (let m = 0; m < 3; m++) {
        const first = new Date(W + TZ_OFFSET);
        const mFrom = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, 1)).toISOString().slice(0, 10);
        const mTo = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m + 1, 0)).toISOString().slice(0, 10);
        const got = await call('GET', `/api/kpis?from=${mFrom}&to=${mTo}&projectId=${projectId}`);
        const k1 = refK1(complaints, dayStart(mFrom), dayStart(mTo) + DAY, now);
        const k2 = refK2(complaints, dayStart(mFrom), dayStart(mTo) + DAY);
        expect({ n: got.k1.numerator, d: got.k1.denominator }, `K1 month ${mFrom} of run ${run}`).toEqual({ n: k1.num, d: k1.den });
        expect({ n: got.k2.numerator, d: got.k2.denominator }, `K2 month ${mFrom} of run ${run}`).toEqual({ n: k2.num, d: k2.den });
      }
      for (const p of plan.periods) {
        const from = addDaysTo(wDate, p.from);
        const to = addDaysTo(from, p.len);
        const fromMs = dayStart(from);
        const toMs = dayStart(to) + DAY;
        const got = await call('GET', `/api/kpis?from=${from}&to=${to}&projectId=${projectId}`);
        const held = (d: string) => new Set(relations.filter((r) => r.from <= d && (r.to === null || r.to > d)).map((r) => r.customer));
        const k1 = refK1(complaints, fromMs, toMs, now);
        const k2 = refK2(complaints, fromMs, toMs);
        const scope = held(to);
        const k3 = visits.filter((v) => v.at >= fromMs && v.at < toMs && scope.has(v.customer)).length;
        const unsuccessful = attempts.filter((v) => v.at >= fromMs && v.at < toMs && scope.has(v.customer)).length;
        const k4Date = to > today ? today : to;
        const end = dayStart(k4Date) + DAY - 1;
        const k4Scope = held(k4Date);
        const k4 = [...k4Scope].filter((c) => {
          const touched = Math.max(...touches.get(c)!.filter((x) => x <= end));
          return phone.get(c) && plusOneMonth(touched) > end;
        }).length;
        const ctx = `period ${from}..${to} of run ${run}`;
        expect({ n: got.k1.numerator, d: got.k1.denominator }, `K1 ${ctx}`).toEqual({ n: k1.num, d: k1.den });
        expect({ n: got.k2.numerator, d: got.k2.denominator }, `K2 ${ctx}`).toEqual({ n: k2.num, d: k2.den });
        expect({ n: got.k3.numerator, d: got.k3.denominator, u: got.k3.unsuccessful }, `K3 ${ctx}`).toEqual({ n: k3, d: scope.size, u: unsuccessful });
        expect({ n: got.k4.numerator, d: got.k4.denominator }, `K4 ${ctx}`).toEqual({ n: k4, d: k4Scope.size });
      }
    }), { numRuns: Number(process.env.KPI_PROPERTY_RUNS ?? 8), endOnFailure: true });
  }, 600_000);
});
