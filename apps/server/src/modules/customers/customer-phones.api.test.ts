import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { convertClearPhones, phoneHash } from './customer-phones.repo.js';

// Issue #21 finding 11: customer phones encrypted at rest with a keyed blind index.
let t: TestApp;
let agentA: string;
let customerId: string;
const NATIONAL = '13761924853';
const E164 = `+86${NATIONAL}`;

beforeAll(async () => {
  t = await createTestApp();
  agentA = await t.login('agent_a');
  const res = await t.as(agentA, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, name: '钱卫东', phones: [{ phone: NATIONAL }, { phone: '0755-8612 3456', label: '办公室' }] } });
  expect(res.statusCode, res.body).toBe(201);
  customerId = res.json().id;
});
afterAll(async () => t.close());

/** Every run of 7 consecutive digits of a number, forwards and reversed (phone_rev's shape). */
function sevenDigitRuns(digits: string): string[] {
  const out: string[] = [];
  for (const d of [digits, [...digits].reverse().join('')]) for (let i = 0; i + 7 <= d.length; i++) out.push(d.slice(i, i + 7));
  return out;
}

const search = async (q: string) => t.as(agentA, { method: 'GET', url: `/api/customers?q=${encodeURIComponent(q)}` });
const foundIds = async (q: string) => {
  const res = await search(q);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((c: { id: string }) => c.id) as string[];
};

describe('customer phones at rest', () => {
  it('stores no clear digits of a phone in any column of customer_phones', async () => {
    const rows = await t.deps.db.selectFrom('customer_phones').selectAll().where('customer_id', '=', customerId).execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.phone).toBeNull();
      expect(row.phone_rev).toBeNull();
      expect(row.phone_enc).toMatch(/^v1\./);
      expect(row.phone_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.phone_last4_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(rows.map((r) => r.phone_masked).sort()).toEqual(['137****4853', '755****3456']);
    const stored = rows.map((r) => Object.values(r).map(String).join('|')).join('\n');
    for (const digits of [NATIONAL, '75586123456']) {
      for (const run of sevenDigitRuns(digits)) expect(stored).not.toContain(run);
    }
  });

  it('keeps phone and ID-number hashes apart: the phone index uses its own derived key', async () => {
    const row = await t.deps.db.selectFrom('customer_phones').select(['phone_hash', 'phone_last4_hash']).where('customer_id', '=', customerId).where('phone_masked', '=', '137****4853').executeTakeFirstOrThrow();
    expect(row.phone_hash).toBe(phoneHash(t.deps.config.fieldKey, E164));
    const { keyedHash } = await import('../../platform/crypto.js');
    expect(row.phone_hash).not.toBe(keyedHash(t.deps.config.fieldKey, E164));
    expect(row.phone_last4_hash).not.toBe(keyedHash(t.deps.config.fieldKey, '4853'));
  });

  it('finds the customer by the full number: caller lookup and search', async () => {
    const lookup = await t.as(agentA, { method: 'GET', url: `/api/customers/lookup?phone=${encodeURIComponent('137 6192 4853')}` });
    expect(lookup.statusCode, lookup.body).toBe(200);
    expect(lookup.json().customers.map((c: { id: string }) => c.id)).toEqual([customerId]);
    expect(lookup.json().customers[0].phone).toBe('137****4853');
    expect(await foundIds(NATIONAL)).toEqual([customerId]);
    expect(await foundIds(E164)).toEqual([customerId]);
  });

  it('finds the customer by the last 4 digits and by 7 trailing digits, not by a wrong suffix', async () => {
    expect(await foundIds('4853')).toContain(customerId);
    expect(await foundIds('1924853')).toEqual([customerId]);
    expect(await foundIds('86123456')).toEqual([customerId]);
    expect(await foundIds('1934853')).toEqual([]);
  });

  it('answers a clear Chinese 400 for fewer than 4 digits', async () => {
    const res = await search('853');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('customer.phone_suffix_too_short');
    expect(res.json().detail).toContain('后4位');
  });

  it('reveals the full numbers, decrypted, and audits the reveal', async () => {
    const res = await t.as(agentA, { method: 'POST', url: `/api/customers/${customerId}/reveal`, payload: { field: 'phones', reason: '客户要求回电' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().phones.map((p: { phone: string }) => p.phone)).toEqual([E164, '+8675586123456']);
    const audit = await t.deps.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'customer.revealed').where('entity_id', '=', customerId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after_json).not.toContain(NATIONAL);
  });

  it('converts a phone stored in clear before the migration: encrypted, blanked, found again', async () => {
    const now = t.deps.clock.now().getTime();
    const res = await t.as(agentA, { method: 'POST', url: '/api/customers', payload: { kind: 'owner', projectId: t.world.projectA, name: '孙旧档', phones: [] } });
    const oldId = res.json().id as string;
    // The pre-2026-12-03-1400 shape: clear number and reversed digits, no sealed columns.
    await t.deps.db.insertInto('customer_phones').values({
      id: t.deps.ids.next(), customer_id: oldId, phone: '+8615907316642', phone_rev: '24661370951', phone_enc: null, phone_hash: null, phone_last4_hash: null, phone_masked: null,
      label: null, is_primary: 1, created_at: now,
    }).execute();
    // Resumable: a batch of one converts the row; the next run finds nothing left.
    expect(await convertClearPhones(t.deps.db, t.deps.config.fieldKey, 1)).toBe(1);
    expect(await convertClearPhones(t.deps.db, t.deps.config.fieldKey)).toBe(0);
    const row = await t.deps.db.selectFrom('customer_phones').selectAll().where('customer_id', '=', oldId).executeTakeFirstOrThrow();
    expect(row.phone).toBeNull();
    expect(row.phone_rev).toBeNull();
    expect(row.phone_masked).toBe('159****6642');
    expect(Object.values(row).map(String).join('|')).not.toContain('9073166');
    const lookup = await t.as(agentA, { method: 'GET', url: '/api/customers/lookup?phone=15907316642' });
    expect(lookup.json().customers.map((c: { id: string }) => c.id)).toEqual([oldId]);
    expect(await foundIds('7316642')).toEqual([oldId]);
    const reveal = await t.as(agentA, { method: 'POST', url: `/api/customers/${oldId}/reveal`, payload: { field: 'phones', reason: '核对旧档' } });
    expect(reveal.json().phones[0].phone).toBe('+8615907316642');
  });
});
