import Type from 'typebox';
import { Id, Instant, PageQuery } from './common.js';
import { ScopeKindSchema, StaffRoleSchema } from './auth.js';

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  /** Masked unless the caller may see phones. */
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(StaffRoleSchema),
  scopeKind: ScopeKindSchema,
  scopeIds: Type.Array(Id),
  departmentId: Type.Union([Id, Type.Null()]),
  extension: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Instant,
  lastLoginAt: Type.Union([Instant, Type.Null()]),
});
export type User = Type.Static<typeof User>;

/** Login names: 2–32 letters, digits or _ . - (the form, the API and admin:create check the same). */
export const USERNAME_PATTERN = '^[A-Za-z0-9_.-]{2,32}$';
const Username = Type.String({ minLength: 2, maxLength: 32, pattern: USERNAME_PATTERN });

export const UserCreate = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    password: Type.String({ minLength: 1, maxLength: 200, description: '至少 10 位，含字母和数字，不含用户名，不是常见密码' }),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
    email: Type.Optional(Type.Union([Type.String({ maxLength: 120, format: 'email' }), Type.Null()])),
    roles: Type.Array(StaffRoleSchema, { minItems: 1, uniqueItems: true }),
    scopeKind: ScopeKindSchema,
    scopeIds: Type.Array(Id, { uniqueItems: true, maxItems: 500 }),
    departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
    extension: Type.Optional(Type.Union([Type.String({ maxLength: 20, pattern: '^[0-9]+$' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type UserCreate = Type.Static<typeof UserCreate>;

export const UserUpdate = Type.Partial(Type.Omit(UserCreate, ['username', 'password']), { additionalProperties: false });
export type UserUpdate = Type.Static<typeof UserUpdate>;

export const ResetPasswordBody = Type.Object(
  { newPassword: Type.String({ minLength: 1, maxLength: 200, description: '至少 10 位，含字母和数字，不含用户名，不是常见密码' }) },
  { additionalProperties: false },
);
export type ResetPasswordBody = Type.Static<typeof ResetPasswordBody>;

export const UserListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(Type.String({ maxLength: 100 })),
    role: Type.Optional(StaffRoleSchema),
    active: Type.Optional(Type.Boolean()),
  }),
]);
export type UserListQuery = Type.Static<typeof UserListQuery>;
