import Type from 'typebox';
import { STAFF_ROLES, SCOPE_KINDS } from '../roles.js';
import { Id } from './common.js';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Type.Static<typeof LoginBody>;

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200, description: '至少 10 位，含字母和数字，不含用户名，不是常见密码' }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Type.Static<typeof ChangePasswordBody>;

export const StaffRoleSchema = Type.Enum(STAFF_ROLES);
export const ScopeKindSchema = Type.Enum(SCOPE_KINDS);

/** The logged-in user as the UI needs it. */
export const Me = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(StaffRoleSchema),
  scopeKind: ScopeKindSchema,
  scopeIds: Type.Array(Id),
  departmentId: Type.Union([Id, Type.Null()]),
  /** The hotline extension the screen pop follows. */
  extension: Type.Union([Type.String(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
  /** Whether the privacy settings let this user reveal full phone numbers / ID numbers. */
  canRevealPhones: Type.Boolean(),
  canRevealIdNumber: Type.Boolean(),
});
export type Me = Type.Static<typeof Me>;
