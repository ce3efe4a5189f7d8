import { STAFF_ROLES, type StaffRole } from '@qiaoliang/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import type { World } from './world.js';

export type Where = 'in' | 'out';

/**
 * One endpoint of the access matrix. `url` and `body` build a request against a record in
 * the caller's scope ('in': project A, city company C1) or outside it ('out': project B, C2).
 */
export interface EndpointCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  url: (w: World, where: Where) => string;
  body?: (w: World, where: Where, n: number) => unknown;
  /** Makes the records the URL names (e.g. a ticket to act on) before each call; `username` is the caller (null: no session). */
  prepare?: (t: TestApp, where: Where, username: string | null) => Promise<void>;
  /** Sends If-Match with the current version of the record (for versioned updates). */
  version?: (t: TestApp, where: Where) => Promise<number>;
  /** The roles that may call the endpoint. */
  allowed: readonly StaffRole[];
  /** Which user plays each role; defaults to `<role>_a` (scoped to project A). */
  userFor?: Partial<Record<StaffRole, string>>;
  /** For lists without a record in the URL: true when the response shows something out of scope. */
  leaks?: (res: LightMyRequestResponse, w: World) => boolean;
  /** Lists whose 'out' form cannot name another scope (e.g. /api/auth/me): skip the out-of-scope call. */
  noOutOfScope?: boolean;
}

/**
 * Runs the endpoint × role × in/out-of-scope matrix: every role not allowed gets 403; an
 * allowed role is let through in scope and gets 403/404 out of scope (never data); nobody
 * signed in gets 401. Later modules add their endpoints by calling this with their cases.
 */
export function accessMatrix(title: string, cases: EndpointCase[]): void {
  describe(`access matrix: ${title}`, () => {
    let t: TestApp;
    const cookies = new Map<string, string>();
    let n = 0;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => t.close());

    const cookieFor = async (username: string) => {
      if (!cookies.has(username)) cookies.set(username, await t.login(username));
      return cookies.get(username)!;
    };
    const call = async (c: EndpointCase, username: string | null, where: Where) => {
      const headers: Record<string, string> = {};
      if (c.prepare) await c.prepare(t, where, username);
      if (c.version) headers['if-match'] = `"${await c.version(t, where)}"`;
      const cookie = username ? await cookieFor(username) : null;
      return t.as(cookie, { method: c.method, url: c.url(t.world, where), headers, ...(c.body ? { payload: c.body(t.world, where, ++n) as object } : {}) });
    };

    for (const c of cases) {
      describe(`${c.method} ${c.path}`, () => {
        it('401 without a session', async () => {
          const res = await call(c, null, 'in');
          expect(res.statusCode, res.body).toBe(401);
        });
        for (const role of STAFF_ROLES) {
          const allowed = c.allowed.includes(role);
          it(`${role}: ${allowed ? 'allowed in scope, denied out of scope' : '403'}`, async () => {
            const user = c.userFor?.[role] ?? `${role}_a`;
            const inRes = await call(c, user, 'in');
            if (!allowed) {
              expect(inRes.statusCode, inRes.body).toBe(403);
              return;
            }
            expect([401, 403, 404], `${inRes.statusCode} ${inRes.body}`).not.toContain(inRes.statusCode);
            expect(inRes.statusCode, inRes.body).toBeLessThan(500);
            if (c.leaks) expect(c.leaks(inRes, t.world), `leak in ${inRes.body}`).toBe(false);
            if (c.noOutOfScope || c.leaks) return;
            const outRes = await call(c, user, 'out');
            expect([403, 404], `${outRes.statusCode} ${outRes.body}`).toContain(outRes.statusCode);
          });
        }
      });
    }
  });
}

/** True when a JSON response mentions any of the ids. */
export const mentions = (res: LightMyRequestResponse, ...ids: string[]): boolean => ids.some((id) => res.body.includes(id));

/** Reads a record's version for If-Match. */
export async function versionOf(t: TestApp, table: 'projects' | 'buildings' | 'units' | 'common_areas' | 'departments' | 'city_companies' | 'users', id: string): Promise<number> {
  const row = await t.deps.db.selectFrom(table as 'projects').select('version').where('id', '=', id).executeTakeFirstOrThrow();
  return row.version;
}
