import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ROLES } from '@qiaoliang/shared';
import { accessMatrix } from '../../test/access-matrix.js';
import { createTestApp, type TestApp } from '../../test/app.js';

/** The development SMS sink: admins only (it may show sign-in codes in development). */
accessMatrix('portal: development SMS sink', [
  { method: 'GET', path: '/api/dev/sms', url: () => '/api/dev/sms', allowed: ['admin'], noOutOfScope: true },
]);

const uuid = '01900000-0000-7000-8000-000000000000';
/** Every owner route: only an owner session opens them; no staff role ever does. */
const OWNER_ROUTES = [
  { method: 'POST', path: '/api/portal/auth/logout' },
  { method: 'GET', path: '/api/portal/me' },
  { method: 'GET', path: '/api/portal/categories' },
  { method: 'GET', path: '/api/portal/common-areas' },
  { method: 'POST', path: '/api/portal/photos' },
  { method: 'GET', path: '/api/portal/photos/:id' },
  { method: 'POST', path: '/api/portal/matters' },
  { method: 'GET', path: '/api/portal/matters' },
  { method: 'GET', path: '/api/portal/matters/:id' },
  { method: 'POST', path: '/api/portal/matters/:id/rating' },
  { method: 'GET', path: '/api/portal/notices' },
  { method: 'POST', path: '/api/portal/notices/read' },
] as const;

describe('access: owner routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('answer 401 to no session and to every staff role; an owner session gets past access', async () => {
    const staff = await Promise.all(STAFF_ROLES.map((r) => t.login(`${r}_a`)));
    await t.as(null, { method: 'POST', url: '/api/portal/auth/code', payload: { phone: '13900000001' } });
    const msg = t.deps.notifier.smsSender.recent()[0]!;
    const login = await t.as(null, { method: 'POST', url: '/api/portal/auth/login', payload: { phone: '13900000001', code: msg.text.match(/\d{6}/)![0] } });
    const raw = login.headers['set-cookie'];
    const owner = (Array.isArray(raw) ? raw[0]! : String(raw)).split(';')[0]!;
    const wrong: string[] = [];
    for (const r of OWNER_ROUTES) {
      const url = r.path.replace(':id', uuid);
      for (const cookie of [null, ...staff]) {
        const res = await t.as(cookie, { method: r.method, url, payload: r.method === 'POST' ? {} : undefined });
        if (res.statusCode !== 401) wrong.push(`${r.method} ${r.path} as ${cookie ? 'staff' : 'nobody'} → ${res.statusCode}`);
      }
      if (r.path === '/api/portal/auth/logout') continue;
      const res = await t.as(owner, { method: r.method, url, payload: r.method === 'POST' ? {} : undefined });
      if ([401, 403].includes(res.statusCode)) wrong.push(`${r.method} ${r.path} as owner → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
