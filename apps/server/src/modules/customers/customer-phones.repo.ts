import { sql, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { maskPhone } from '@qiaoliang/shared';
import type { DB } from '../../db/schema.js';
import { toFlag } from '../../db/dialect.js';
import { decryptField, encryptField, keyedHash } from '../../platform/crypto.js';

/**
 * The only reader and writer of `customer_phones` (issue #21 finding 11). A customer's number
 * is stored AES-256-GCM encrypted (`phone_enc`) with two keyed blind indexes: `phone_hash` of
 * the E.164 number for exact lookup, `phone_last4_hash` of the last 4 digits for suffix
 * search, plus `phone_masked` for display. Both hash keys are derived from the field key with
 * their own labels, so a phone hash can't be matched against an ID-number hash or against the
 * other phone index, and neither key decrypts anything.
 *
 * Out of scope: `calls.phone` and `call_back_tasks.phone` (the telephony log) and
 * `users.phone` (staff) stay in clear.
 */

export type PhoneRow = Omit<DB['customer_phones'], 'phone'> & { phone: string };

interface PhoneKeys { full: Buffer; last4: Buffer }
const keysByFieldKey = new WeakMap<Buffer, PhoneKeys>();
function phoneKeys(fieldKey: Buffer): PhoneKeys {
  let k = keysByFieldKey.get(fieldKey);
  if (!k) {
    k = {
      full: Buffer.from(keyedHash(fieldKey, 'qiaoliang:phone-hash:v1'), 'hex'),
      last4: Buffer.from(keyedHash(fieldKey, 'qiaoliang:phone-last4-hash:v1'), 'hex'),
    };
    keysByFieldKey.set(fieldKey, k);
  }
  return k;
}

/** The blind index of a full E.164 number. */
export const phoneHash = (fieldKey: Buffer, e164: string): string => keyedHash(phoneKeys(fieldKey).full, e164);
/** The blind index of a number's last 4 digits. */
export const phoneLast4Hash = (fieldKey: Buffer, digits: string): string => keyedHash(phoneKeys(fieldKey).last4, digits.replace(/\D/g, '').slice(-4));

/** The stored columns of one E.164 number: encrypted, indexed, masked; no clear digits. */
export function sealPhone(fieldKey: Buffer, e164: string) {
  return {
    phone: null, phone_rev: null,
    phone_enc: encryptField(fieldKey, e164), phone_hash: phoneHash(fieldKey, e164), phone_last4_hash: phoneLast4Hash(fieldKey, e164), phone_masked: maskPhone(e164),
  };
}

/** The clear number of a stored row (a row the start-up conversion has not reached yet is still clear). */
export function openPhone(fieldKey: Buffer, row: Pick<DB['customer_phones'], 'phone' | 'phone_enc'>): string {
  if (row.phone_enc) return decryptField(fieldKey, row.phone_enc);
  if (row.phone) return row.phone;
  throw new Error('customer phone row has neither a sealed nor a clear number');
}

/** A phone to store for a customer. */
export interface NewPhone { id: string; phone: string; label: string | null; primary: boolean; createdAt: number }

/** Adds phones to a customer. */
export async function insertPhones(db: Kysely<DB>, fieldKey: Buffer, customerId: string, phones: NewPhone[]): Promise<void> {
  if (!phones.length) return;
  await db.insertInto('customer_phones').values(phones.map((p) => ({
    id: p.id, customer_id: customerId, ...sealPhone(fieldKey, p.phone), label: p.label, is_primary: toFlag(p.primary), created_at: p.createdAt,
  }))).execute();
}

/** Replaces all phones of a customer. */
export async function replacePhones(db: Kysely<DB>, fieldKey: Buffer, customerId: string, phones: NewPhone[]): Promise<void> {
  await db.deleteFrom('customer_phones').where('customer_id', '=', customerId).execute();
  await insertPhones(db, fieldKey, customerId, phones);
}

/** Phones of several customers, primary first, decrypted. */
export async function phonesOf(db: Kysely<DB>, fieldKey: Buffer, customerIds: string[]): Promise<PhoneRow[]> {
  if (!customerIds.length) return [];
  const rows = await db.selectFrom('customer_phones').selectAll().where('customer_id', 'in', customerIds)
    .orderBy('is_primary', 'desc').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ ...r, phone: openPhone(fieldKey, r) }));
}

/** Whether a customer has any phone. */
export async function hasPhone(db: Kysely<DB>, customerId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('customer_phones').select('id').where('customer_id', '=', customerId).limit(1).executeTakeFirst());
}

/** How many customers hold each of these E.164 numbers. */
export async function sharedPhoneCounts(db: Kysely<DB>, fieldKey: Buffer, phones: string[]): Promise<Map<string, number>> {
  if (!phones.length) return new Map();
  const byHash = new Map(phones.map((p) => [phoneHash(fieldKey, p), p]));
  const rows = await db.selectFrom('customer_phones').select(['phone_hash', (eb) => eb.fn.count<number>('customer_id').distinct().as('n')])
    .where('phone_hash', 'in', [...byHash.keys()]).groupBy('phone_hash').execute();
  return new Map(rows.map((r) => [byHash.get(r.phone_hash!)!, Number(r.n)]));
}

/** A subquery of the ids of customers holding this E.164 number, for `where('c.id', 'in', …)`. */
export function customersWithPhone(db: Kysely<DB>, fieldKey: Buffer, e164: string) {
  return db.selectFrom('customer_phones').select('customer_id').where('phone_hash', '=', phoneHash(fieldKey, e164));
}

/**
 * Ids of customers with a number ending in these digits (4 or more): the last-4 blind index
 * narrows to candidates, and for longer suffixes the candidates are decrypted and compared.
 */
export async function customerIdsByPhoneSuffix(db: Kysely<DB>, fieldKey: Buffer, digits: string): Promise<string[]> {
  const d = digits.replace(/\D/g, '');
  if (d.length < 4) throw new Error('a phone suffix needs at least 4 digits');
  const rows = await db.selectFrom('customer_phones').select(['customer_id', 'phone', 'phone_enc']).where('phone_last4_hash', '=', phoneLast4Hash(fieldKey, d)).execute();
  const ids = new Set<string>();
  for (const r of rows) if (d.length === 4 || openPhone(fieldKey, r).replace(/\D/g, '').endsWith(d)) ids.add(r.customer_id);
  return [...ids];
}

/** Number and customer of every phone with this exact number (for imports matching a sheet to the archive). */
export async function phoneOwners(db: Kysely<DB>, fieldKey: Buffer, e164s: string[]): Promise<{ phone: string; customerId: string }[]> {
  const out: { phone: string; customerId: string }[] = [];
  for (let i = 0; i < e164s.length; i += 500) {
    const byHash = new Map(e164s.slice(i, i + 500).map((p) => [phoneHash(fieldKey, p), p]));
    const rows = await db.selectFrom('customer_phones').select(['phone_hash', 'customer_id']).where('phone_hash', 'in', [...byHash.keys()]).execute();
    for (const r of rows) out.push({ phone: byHash.get(r.phone_hash!)!, customerId: r.customer_id });
  }
  return out;
}

/** The first number of each customer (primary first), decrypted; `mobileOnly` keeps Chinese mobiles (+861…). */
export async function firstPhoneOf(db: Kysely<DB>, fieldKey: Buffer, customerIds: string[], mobileOnly = false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < customerIds.length; i += 500) {
    let q = db.selectFrom('customer_phones').select(['customer_id', 'phone', 'phone_enc']).where('customer_id', 'in', customerIds.slice(i, i + 500));
    if (mobileOnly) q = q.where(mobileMasked);
    const rows = await q.orderBy('is_primary', 'desc').orderBy('created_at').orderBy('id').execute();
    for (const r of rows) if (!out.has(r.customer_id)) out.set(r.customer_id, openPhone(fieldKey, r));
  }
  return out;
}

/**
 * A filter on Chinese mobile numbers (+861…) without decrypting: their masked form starts with
 * the first digit of the national number, `1` (maskPhone drops +86; other countries keep `+`).
 */
const mobileMasked = (eb: ExpressionBuilder<DB, 'customer_phones'>) => eb('phone_masked', 'like', '1%');

/** A scalar subquery: the masked primary phone of the customer in `customerIdColumn` (e.g. 't.customer_id'), for lists. */
export const primaryPhoneMasked = (customerIdColumn: string) =>
  sql<string | null>`(select ph.phone_masked from customer_phones ph where ph.customer_id = ${sql.ref(customerIdColumn)} order by ph.is_primary desc, ph.id limit 1)`;

/** Whether the customer in `customerIdColumn` has a mainland mobile number (an SMS reaches them). */
export const hasMobilePhone = (customerIdColumn: string) =>
  sql<SqlBool>`exists (select 1 from customer_phones ph where ph.customer_id = ${sql.ref(customerIdColumn)} and ph.phone_masked like '1%')`;

/** Removes one phone row. */
export async function deletePhone(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('customer_phones').where('id', '=', id).execute();
}

/** Moves one phone row to another customer, as a secondary number (merge). */
export async function movePhone(db: Kysely<DB>, id: string, customerId: string): Promise<void> {
  await db.updateTable('customer_phones').set({ customer_id: customerId, is_primary: 0 }).where('id', '=', id).execute();
}

/**
 * Encrypts phones still stored in clear (rows written before the 2026-12-03-1400 migration),
 * in batches, and sets their clear columns to NULL. Resumable and idempotent: each batch is
 * its own transaction and only picks rows without a hash, so a restart continues where it
 * stopped and two processes starting together write equivalent values. Returns rows converted.
 */
export async function convertClearPhones(db: Kysely<DB>, fieldKey: Buffer, batchSize = 500): Promise<number> {
  let converted = 0;
  for (;;) {
    const rows = await db.selectFrom('customer_phones').select(['id', 'phone']).where('phone_hash', 'is', null).where('phone', 'is not', null).orderBy('id').limit(batchSize).execute();
    if (!rows.length) return converted;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        await trx.updateTable('customer_phones').set(sealPhone(fieldKey, r.phone!)).where('id', '=', r.id).where('phone_hash', 'is', null).execute();
      }
    });
    converted += rows.length;
  }
}
