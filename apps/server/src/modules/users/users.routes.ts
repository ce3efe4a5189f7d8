import type { FastifyInstance } from 'fastify';
import { IdParams, IfMatchHeader, Page, ResetPasswordBody, User, UserCreate, UserListQuery, UserUpdate } from '@qiaoliang/shared';
import Type from 'typebox';
import type { Deps } from '../../deps.js';
import { actorOf, auditCtx } from '../../http/access.js';
import { expectedVersion, setEtag } from '../../http/versioning.js';
import * as users from './users.service.js';

const ADMIN = ['admin'] as const;
const tags = ['users'];

/** Staff users: admins create, edit, deactivate and reset passwords within their scope. */
export async function usersRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<{ Querystring: UserListQuery }>('/api/users', { config: { access: ADMIN }, schema: { tags, summary: '用户列表', querystring: UserListQuery, response: { 200: Page(User) } } },
    async (req) => users.listUsers(deps, actorOf(req), req.query));
  app.post<{ Body: UserCreate }>('/api/users', { config: { access: ADMIN }, schema: { tags, summary: '新建用户', body: UserCreate, response: { 201: User } } },
    async (req, reply) => reply.status(201).send(await users.createUser(deps, actorOf(req), auditCtx(req), req.body)));
  app.get<{ Params: IdParams }>('/api/users/:id', { config: { access: ADMIN }, schema: { tags, summary: '用户详情', params: IdParams, response: { 200: User } } },
    async (req, reply) => {
      const u = await users.getUser(deps, actorOf(req), req.params.id);
      setEtag(reply, u.version);
      return u;
    });
  app.patch<{ Params: IdParams; Body: UserUpdate }>('/api/users/:id', { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary: '修改用户', params: IdParams, body: UserUpdate, response: { 200: User } } },
    async (req, reply) => {
      const u = await users.updateUser(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), req.body);
      setEtag(reply, u.version);
      return u;
    });
  for (const [path, active, summary] of [['deactivate', false, '停用用户'], ['activate', true, '启用用户']] as const) {
    app.post<{ Params: IdParams }>(`/api/users/:id/${path}`, { config: { access: ADMIN }, schema: { headers: IfMatchHeader, tags, summary, params: IdParams, response: { 200: User } } },
      async (req, reply) => {
        const u = await users.setUserActive(deps, actorOf(req), auditCtx(req), req.params.id, expectedVersion(req), active);
        setEtag(reply, u.version);
        return u;
      });
  }
  app.post<{ Params: IdParams; Body: ResetPasswordBody }>('/api/users/:id/reset-password', { config: { access: ADMIN }, schema: { tags, summary: '重置密码', params: IdParams, body: ResetPasswordBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await users.resetPassword(deps, actorOf(req), auditCtx(req), req.params.id, req.body.newPassword);
      return reply.status(204).send();
    });
}
