import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { TEST_PASSWORD } from '../../test/world.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const loginReq = (username: string, password: string, headers: Record<string, string> = {}) =>
  t.as(null, { method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

describe('login', () => {
  it('succeeds with the right password, sets an HttpOnly SameSite=Lax cookie and audits the login', async () => {
    const res = await loginReq('agent_a', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'agent_a', roles: ['agent'], scopeKind: 'project', scopeIds: [t.world.projectA] });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^ql_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').where('actor_id', '=', t.world.users.agent_a!).execute();
    expect(audit).toHaveLength(1);
    const me = await t.as(cookie.split(';')[0]!, { method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('agent_a');
  });

  it('fails with a wrong password as 401 problem+json in Chinese, and audits the failure', async () => {
    const res = await loginReq('supervisor_a', 'wrong-password1');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: 'auth.invalid_credentials', title: '用户名或密码错误' });
    expect(res.json().detail).toContain('还可尝试 4 次');
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.login_failed').where('entity_id', '=', t.world.users.supervisor_a!).execute();
    expect(audit).toHaveLength(1);
  });

  it('answers an unknown user like a wrong password (no user enumeration)', async () => {
    const res = await loginReq('nobody', 'whatever123');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.invalid_credentials');
  });

  it('locks the account after 5 failures in 15 minutes, even for the right password, and unlocks after the window', async () => {
    for (let i = 0; i < 5; i++) expect((await loginReq('manager_a', 'bad-pass-' + i)).statusCode).toBe(401);
    const locked = await loginReq('manager_a', TEST_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('auth.locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await loginReq('manager_a', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('does not count failures older than 15 minutes', async () => {
    for (let i = 0; i < 4; i++) await loginReq('executive_a', 'bad-pass-' + i);
    t.clock.advance(16 * 60_000);
    for (let i = 0; i < 4; i++) await loginReq('executive_a', 'bad-pass-' + i);
    expect((await loginReq('executive_a', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses a deactivated user', async () => {
    await t.deps.db.updateTable('users').set({ active: 0 }).where('username', '=', 'executive_b').execute();
    const res = await loginReq('executive_b', TEST_PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.inactive');
  });

  it('rejects malformed bodies with field errors and no session', async () => {
    const res = await t.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'agent_a', password: 1, extra: true } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['password', 'extra']));
    expect(res.headers['set-cookie']).toBeUndefined();
    const bad = await t.as(null, { method: 'POST', url: '/api/auth/login', payload: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('request.malformed_json');
  });
});

describe('sessions', () => {
  it('expire after 30 idle minutes', async () => {
    const cookie = await t.login('agent_b');
    t.clock.advance(29 * 60_000);
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    t.clock.advance(30 * 60_000);
    const res = await t.as(cookie, { method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.session_expired');
  });

  it('expire 12 hours after login even when active', async () => {
    const cookie = await t.login('supervisor_b');
    for (let h = 0; h < 23; h++) {
      t.clock.advance(30 * 60_000 - 1000);
      expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    }
    t.clock.advance(30 * 60_000);
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });

  it('end at logout', async () => {
    const cookie = await t.login('handler_a');
    expect((await t.as(cookie, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });

  it('answer 401 without a cookie', async () => {
    const res = await t.as(null, { method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.unauthenticated');
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without X-Requested-With', async () => {
    const cookie = await t.login('root');
    const res = await t.app.inject({ method: 'POST', url: '/api/city-companies', headers: { cookie }, payload: { name: '三号城市公司', code: 'C3' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('request.csrf');
    expect(await t.deps.db.selectFrom('city_companies').select('id').where('code', '=', 'C3').executeTakeFirst()).toBeUndefined();
  });

  it('refuses a cross-origin request even with the header', async () => {
    const cookie = await t.login('root');
    const res = await t.as(cookie, { method: 'POST', url: '/api/city-companies', headers: { origin: 'https://evil.example', host: 'localhost:3000' }, payload: { name: '三号城市公司', code: 'C3' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('request.csrf');
  });

  it('accepts a same-origin request', async () => {
    const cookie = await t.login('root');
    const res = await t.as(cookie, { method: 'POST', url: '/api/city-companies', headers: { origin: 'http://localhost:3000', host: 'localhost:3000' }, payload: { name: '三号城市公司', code: 'C3' } });
    expect(res.statusCode).toBe(201);
  });
});

describe('change password', () => {
  it('requires the current password and a strong new one, then works with the new one only', async () => {
    const cookie = await t.login('agent_a');
    const wrong = await t.as(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'nope12345', newPassword: 'Lamp-7-orchard' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('auth.wrong_password');
    const weak = await t.as(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'abcdefgh' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('auth.weak_password');
    const ok = await t.as(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'Lamp-7-orchard' } });
    expect(ok.statusCode).toBe(204);
    expect((await loginReq('agent_a', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await loginReq('agent_a', 'Lamp-7-orchard')).statusCode).toBe(200);
  });
});

describe('rate limit per IP', () => {
  it('answers 429 problem+json with Retry-After once an IP exceeds the login limit', async () => {
    const limited = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await limited.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'agent_a', password: TEST_PASSWORD } });
        codes.push(last.statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429]);
      expect(last!.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(last!.json().code).toBe('request.rate_limited');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      // Another IP is not affected.
      const other = await limited.as(null, { method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.9.9', payload: { username: 'agent_a', password: TEST_PASSWORD } });
      expect(other.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('forced password change (security finding 4)', () => {
  it('until the password is changed only me, logout and the password change answer; afterwards everything does', async () => {
    const user = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'agent_b').executeTakeFirstOrThrow();
    await t.deps.db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', user.id).execute();
    const cookie = await t.login('agent_b');
    for (const url of ['/api/tickets', '/%61pi/tickets', '/api/customers', '/api/notifications']) {
      const res = await t.as(cookie, { method: 'GET', url });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('auth.password_change_required');
    }
    const write = await t.as(cookie, { method: 'POST', url: '/api/tickets', payload: {} });
    expect(write.statusCode).toBe(403);
    const me = await t.as(cookie, { method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().mustChangePassword).toBe(true);
    const changed = await t.as(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'Qz7-harbour-lantern' } });
    expect(changed.statusCode).toBe(204);
    expect((await t.as(cookie, { method: 'GET', url: '/api/tickets' })).statusCode).toBe(200);
  });
});

describe('password strength (security finding 7)', () => {
  it('refuses password1, qiaoliang1 and the user name plus a digit with 400 on the field, and keeps the old password', async () => {
    const cookie = await t.login('manager_b');
    for (const newPassword of ['password1', 'qiaoliang1', 'manager_b1', 'Manager_b2026']) {
      const res = await t.as(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword } });
      expect(res.statusCode, newPassword).toBe(400);
      expect(res.json().code).toBe('auth.weak_password');
      expect(res.json().errors[0].field).toBe('newPassword');
    }
    expect((await loginReq('manager_b', TEST_PASSWORD)).statusCode).toBe(200);
  });
});
