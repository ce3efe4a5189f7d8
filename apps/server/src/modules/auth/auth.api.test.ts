import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import pino from 'pino';
import { Writable } from 'node:stream';
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

  it('fails with a wrong password as 401 problem+json in Chinese, without a tries-left hint, and audits the failure', async () => {
    const res = await loginReq('supervisor_a', 'wrong-password1');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: 'auth.invalid_credentials', title: '用户名或密码错误' });
    expect(res.body).not.toContain('还可尝试');
    expect(res.body).not.toContain('锁定');
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.login_failed').where('entity_id', '=', t.world.users.supervisor_a!).execute();
    expect(audit).toHaveLength(1);
  });

  it('answers an unknown user like a wrong password (no user enumeration)', async () => {
    const res = await loginReq('nobody', 'whatever123');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.invalid_credentials');
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

describe('login throttling instead of a lockout (security finding 5)', () => {
  const withoutRequestId = (res: { body: string; json(): { requestId: string } }) => res.body.replace(res.json().requestId, '<id>');
  const from = (ip: string) => ({ remoteAddress: ip });
  const loginFrom = (ip: string, username: string, password: string) =>
    t.as(null, { method: 'POST', url: '/api/auth/login', payload: { username, password }, ...from(ip) });

  it('gives a known and an unknown user the same failure, byte for byte, every time', async () => {
    for (let i = 0; i < 7; i++) {
      const known = await loginFrom('10.5.0.1', 'handler_b', `wrong-pass-${i}`);
      const unknown = await loginFrom('10.5.0.2', 'no_such_user', `wrong-pass-${i}`);
      expect(unknown.statusCode, `attempt ${i + 1}`).toBe(known.statusCode);
      expect(withoutRequestId(unknown), `attempt ${i + 1}`).toBe(withoutRequestId(known));
      expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
      expect(unknown.headers['retry-after']).toBe(known.headers['retry-after']);
      expect(known.body).not.toContain('还可尝试');
      // Past five failures both are delayed alike; the clock moves on to the next allowed try.
      if (known.statusCode === 429) t.clock.advance(Number(known.headers['retry-after']) * 1000);
    }
  });

  it('takes as long for an unknown user as for a wrong password (scrypt against a dummy hash)', async () => {
    const time = async (username: string) => {
      const started = process.hrtime.bigint();
      await loginFrom('10.5.0.3', username, 'wrong-pass-x1');
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('target_b'));
      unknown.push(await time(`ghost_${i}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
    await t.deps.db.deleteFrom('login_throttles').execute();
  });

  it('after 5 wrong passwords from one address the right one from another is delayed (429 + Retry-After), then logs in', async () => {
    for (let i = 0; i < 5; i++) expect((await loginFrom('10.6.0.1', 'manager_a', `bad-pass-${i}`)).statusCode).toBe(401);
    const early = await loginFrom('10.6.0.2', 'manager_a', TEST_PASSWORD);
    expect(early.statusCode).toBe(429);
    expect(early.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(early.json().code).toBe('auth.throttled');
    const wait = Number(early.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(early.headers['set-cookie']).toBeUndefined();
    t.clock.advance(wait * 1000);
    const ok = await loginFrom('10.6.0.2', 'manager_a', TEST_PASSWORD);
    expect(ok.statusCode).toBe(200);
    // A success ends the streak: the next typo is an ordinary 401 again.
    expect((await loginFrom('10.6.0.2', 'manager_a', 'bad-pass-x')).statusCode).toBe(401);
    expect((await loginFrom('10.6.0.2', 'manager_a', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('grows the delay with each further failure, up to a cap of 15 minutes', async () => {
    for (let i = 0; i < 5; i++) await loginFrom('10.7.0.1', 'supervisor_b', `bad-pass-${i}`);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await loginFrom('10.7.0.1', 'supervisor_b', 'bad-pass-again');
      expect(res.statusCode).toBe(429);
      const wait = Number(res.headers['retry-after']);
      waits.push(wait);
      t.clock.advance(wait * 1000);
      expect((await loginFrom('10.7.0.1', 'supervisor_b', 'bad-pass-again')).statusCode).toBe(401);
    }
    for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits[1]).toBe(waits[0]! * 2);
    expect(Math.max(...waits)).toBe(15 * 60);
    const res = await loginFrom('10.7.0.9', 'supervisor_b', TEST_PASSWORD);
    expect(res.statusCode).toBe(429);
    t.clock.advance(Number(res.headers['retry-after']) * 1000);
    expect((await loginFrom('10.7.0.9', 'supervisor_b', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('forgets a streak an hour after its last failure', async () => {
    for (let i = 0; i < 4; i++) await loginFrom('10.8.0.1', 'executive_a', 'bad-pass-' + i);
    t.clock.advance(61 * 60_000);
    for (let i = 0; i < 4; i++) expect((await loginFrom('10.8.0.1', 'executive_a', 'bad-pass-' + i)).statusCode).toBe(401);
    expect((await loginFrom('10.8.0.1', 'executive_a', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('throttles an address that fails for many accounts (password spraying); other addresses are not affected', async () => {
    let res;
    let n = 0;
    do {
      res = await loginFrom('10.9.0.1', `sprayed_${n++}`, 'Spring2026!');
    } while (res.statusCode === 401 && n < 200);
    expect(res.statusCode).toBe(429);
    expect(n).toBeGreaterThan(20);
    expect((await loginFrom('10.9.0.1', 'admin_c1', TEST_PASSWORD)).statusCode).toBe(429);
    expect((await loginFrom('10.9.0.2', 'admin_c1', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('alerts the administrators in the app once per account and streak, and logs it without the user name or address', async () => {
    const lines: string[] = [];
    const saved = t.deps.log;
    t.deps.log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } }));
    try {
      for (let i = 0; i < 5; i++) await loginFrom('10.10.0.1', 'target_a', `bad-pass-${i}`);
      t.clock.advance(60_000);
      for (let i = 0; i < 2; i++) {
        const res = await loginFrom('10.10.0.1', 'target_a', `bad-pass-more-${i}`);
        t.clock.advance(Number(res.headers['retry-after'] ?? 0) * 1000 + 1000);
      }
    } finally {
      t.deps.log = saved;
    }
    const admins = await t.deps.db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id').where('r.role', '=', 'admin').where('u.active', '=', 1).execute();
    const alerts = await t.deps.db.selectFrom('outbox').selectAll().where('channel', '=', 'in_app').where('subject', '=', '疑似密码猜测').where('body', 'like', '%target_a%').execute();
    expect(alerts.map((a) => a.recipient).sort()).toEqual(admins.map((a) => a.id).sort());
    const logged = lines.filter((l) => l.includes('auth.login_throttled'));
    expect(logged.length).toBeGreaterThanOrEqual(1);
    for (const l of logged) {
      expect(l).not.toContain('target_a');
      expect(l).not.toContain('10.10.0.1');
    }
  });

  it('an administrator\'s password reset ends the delay at once', async () => {
    for (let i = 0; i < 6; i++) await loginFrom('10.11.0.1', 'handler_a', `bad-pass-${i}`);
    expect((await loginFrom('10.11.0.2', 'handler_a', TEST_PASSWORD)).statusCode).toBe(429);
    const root = await t.login('root');
    const reset = await t.as(root, { method: 'POST', url: `/api/users/${t.world.users.handler_a}/reset-password`, payload: { newPassword: 'Quiet-harbour-42' } });
    expect(reset.statusCode, reset.body).toBe(204);
    expect((await loginFrom('10.11.0.2', 'handler_a', 'Quiet-harbour-42')).statusCode).toBe(200);
  });
});
