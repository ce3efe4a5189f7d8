import { Tag } from 'antd';
import { ROLE_LABELS, type Role } from '@qiaoliang/shared';

const ROLE_COLORS: Partial<Record<Role, string>> = {
  admin: 'red',
  manager: 'purple',
  supervisor: 'blue',
  agent: 'cyan',
  handler: 'orange',
  executive: 'gold',
};

/** The user's roles as coloured tags with their Chinese names. */
export function RoleTags({ roles }: { roles: readonly Role[] }) {
  return (
    <>
      {roles.map((r) => (
        <Tag key={r} color={ROLE_COLORS[r]} style={{ marginInlineEnd: 4 }}>
          {ROLE_LABELS[r] ?? r}
        </Tag>
      ))}
    </>
  );
}
