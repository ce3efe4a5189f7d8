import { Card, Descriptions, Tag, Typography } from 'antd';
import { SCOPE_KIND_LABELS, type Me } from '@qiaoliang/shared';
import { RoleTags } from '../../../components/RoleTags';
import { nameMap, useCityCompanies, useDepartments, useProjectOptions } from '../../../lib/lookups';
import { useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';

/** The names of the organizations the user's scope names. */
function ScopeNames({ me }: { me: Me }) {
  const cityCompanies = useCityCompanies();
  const projects = useProjectOptions();
  if (me.scopeKind === 'group') return <Tag color="blue">{T.home.scopeGroup}</Tag>;
  if (!me.scopeIds.length) return <Typography.Text type="secondary">{T.home.scopeMissing}</Typography.Text>;
  const names = me.scopeKind === 'city_company' ? nameMap(cityCompanies.data) : nameMap(projects.data?.items);
  return (
    <>
      <Tag>{SCOPE_KIND_LABELS[me.scopeKind]}</Tag>
      {me.scopeIds.map((id) => (
        <Tag key={id} color="blue">
          {names.get(id) ?? '…'}
        </Tag>
      ))}
    </>
  );
}

function DepartmentName({ id }: { id: string | null }) {
  const departments = useDepartments();
  if (!id) return <Typography.Text type="secondary">{T.home.noDepartment}</Typography.Text>;
  return <>{departments.data?.find((d) => d.id === id)?.name ?? '…'}</>;
}

/** 工作台: who the user is and what they may see; the ticket widgets arrive with their modules. */
export function HomePage() {
  const { data: me } = useMe();
  if (!me) return null;
  return (
    <>
      <Typography.Title level={3}>{T.home.welcome(me.displayName)}</Typography.Title>
      <Typography.Paragraph type="secondary">{T.home.intro}</Typography.Paragraph>
      <Card title={T.home.account} style={{ maxWidth: 720 }}>
        <Descriptions
          column={1}
          items={[
            { key: 'username', label: T.home.username, children: me.username },
            { key: 'roles', label: T.home.roles, children: <RoleTags roles={me.roles} /> },
            { key: 'scope', label: T.home.scope, children: <ScopeNames me={me} /> },
            { key: 'department', label: T.home.department, children: <DepartmentName id={me.departmentId} /> },
          ]}
        />
      </Card>
    </>
  );
}
