import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createFirstAdmin } from './users.service.js';

let t: TestApp;
let adminA: string;
beforeAll(async () => {
  t = await createTestApp();
  adminA = await t.login('admin_a');
});
afterAll(async () => t.close());

const newUser = (over: Record<string, unknown> = {}) => ({
  username: 'wangfang', displayName: '王芳', password: 'Start-2026-go', phone: '138 0013 8001', roles: ['agent'], scopeKind: 'project', scopeIds: [t.world.projectA], extension: '8101', ...over,
});

describe('staff users', () => {
  it('creates a project-scoped agent who then sees only that project and must change the password', async () => {
    const res = await t.as(adminA, { method: 'POST', url: '/api/users', payload: newUser() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ username: 'wangfang', phone: '+8613800138001', roles: ['agent'], scopeIds: [t.world.projectA], active: true });
    const row = await t.deps.db.selectFrom('users').selectAll().where('username', '=', 'wangfang').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.must_change_password).toBe(1);
    const audit = await t.deps.db.selectFrom('audit_log').select('after_json').where('action', '=', 'user.created').where('entity_id', '=', row.id).executeTakeFirstOrThrow();
    expect(audit.after_json).not.toContain('scrypt');
    expect(audit.after_json).not.toContain('13800138001');

    const cookie = await t.login('wangfang', 'Start-2026-go');
    const me = await t.as(cookie, { method: 'GET', url: '/api/auth/me' });
    expect(me.json().mustChangePassword).toBe(true);
    // Nothing but the password change answers until the start password is replaced.
    expect((await t.as(cookie, { method: 'GET', url: '/api/projects' })).statusCode).toBe(403);
    expect((await t.as(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'Start-2026-go', newPassword: 'own-secret-42' } })).statusCode).toBe(204);
    const projects = await t.as(cookie, { method: 'GET', url: '/api/projects' });
    expect(projects.json().items.map((p: { id: string }) => p.id)).toEqual([t.world.projectA]);
    expect((await t.as(cookie, { method: 'GET', url: `/api/projects/${t.world.projectB}` })).statusCode).toBe(404);
  });

  it('refuses a duplicate username with 409 on the field', async () => {
    const res = await t.as(adminA, { method: 'POST', url: '/api/users', payload: newUser() });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('username');
  });

  it('refuses granting a scope beyond the admin’s own, a handler without department, an invalid phone, a weak password', async () => {
    const beyond = await t.as(adminA, { method: 'POST', url: '/api/users', payload: newUser({ username: 'u1', scopeIds: [t.world.projectB] }) });
    expect(beyond.statusCode).toBe(403);
    const group = await t.as(adminA, { method: 'POST', url: '/api/users', payload: newUser({ username: 'u2', scopeKind: 'group', scopeIds: [] }) });
    expect(group.statusCode).toBe(403);
    const handler = await t.as(adminA, { method: 'POST', url: '/api/users', payload: newUser({ username: 'u3', roles: ['handler'] }) });
    expect(handler.statusCode).toBe(400);
    expect(handler.json().errors[0].field).toBe('departmentId');
    const phone = await t.as(adminA, { method: 'POST', url: '/api/users', payload: newUser({ username: 'u4', phone: '12345' }) });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().errors[0].field).toBe('phone');
    const weak = await t.as(adminA, { method: 'POST', url: '/api/users', payload: newUser({ username: 'u5', password: 'password' }) });
    expect(weak.statusCode).toBe(400);
    expect(await t.deps.db.selectFrom('users').select('id').where('username', 'in', ['u1', 'u2', 'u3', 'u4', 'u5']).execute()).toHaveLength(0);
  });

  it('deactivates instead of deleting: the user’s sessions end and login is refused; activation restores', async () => {
    const cookie = await t.login('target_a');
    const id = t.world.users.target_a!;
    const off = await t.as(adminA, { method: 'POST', url: `/api/users/${id}/deactivate`, headers: { 'if-match': '"1"' } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await t.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'target_a', password: 'test1234' } })).statusCode).toBe(403);
    expect(await t.deps.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined();
    const on = await t.as(adminA, { method: 'POST', url: `/api/users/${id}/activate`, headers: { 'if-match': '"2"' } });
    expect(on.json().active).toBe(true);
  });

  it('an admin cannot deactivate themselves', async () => {
    const res = await t.as(adminA, { method: 'POST', url: `/api/users/${t.world.users.admin_a}/deactivate`, headers: { 'if-match': '"1"' } });
    expect(res.statusCode).toBe(403);
  });

  it('resets a password: old sessions end, the new password works and must be changed', async () => {
    const cookie = await t.login('agent_a');
    const res = await t.as(adminA, { method: 'POST', url: `/api/users/${t.world.users.agent_a}/reset-password`, payload: { newPassword: 'Reset-9876-xy' } });
    expect(res.statusCode).toBe(204);
    expect((await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const again = await t.login('agent_a', 'Reset-9876-xy');
    expect((await t.as(again, { method: 'GET', url: '/api/auth/me' })).json().mustChangePassword).toBe(true);
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'user.password_reset').execute()).toHaveLength(1);
  });

  it('edits roles and scope with If-Match and lists with filters', async () => {
    const id = t.world.users.executive_a!;
    const res = await t.as(adminA, { method: 'PATCH', url: `/api/users/${id}`, headers: { 'if-match': '"1"' }, payload: { roles: ['executive', 'supervisor'], displayName: '李总' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ displayName: '李总', version: 2 });
    expect(res.json().roles.sort()).toEqual(['executive', 'supervisor']);
    const list = await t.as(adminA, { method: 'GET', url: '/api/users?role=supervisor' });
    const names = list.json().items.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['executive_a', 'supervisor_a']));
    expect(names).not.toContain('supervisor_b');
  });
});

describe('the first administrator (npm run admin:create)', () => {
  it('gets a one-time password that works once and must be changed before anything else', async () => {
    const { password } = await createFirstAdmin(t.deps, 'first.admin', '首位管理员');
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const cookie = await t.login('first.admin', password);
    const me = (await t.as(cookie, { method: 'GET', url: '/api/auth/me' })).json();
    expect(me).toMatchObject({ username: 'first.admin', roles: ['admin'], mustChangePassword: true });
    expect((await t.as(cookie, { method: 'GET', url: '/api/users' })).statusCode).toBe(403);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'actor_name']).where('entity_type', '=', 'user').where('action', '=', 'user.created').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe('命令行 admin:create');
  });

  it('refuses a bad or taken user name and creates nothing', async () => {
    const before = await t.deps.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(createFirstAdmin(t.deps, 'x', '名字')).rejects.toMatchObject({ status: 400 });
    await expect(createFirstAdmin(t.deps, 'root', '名字')).rejects.toMatchObject({ status: 409 });
    const after = await t.deps.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
