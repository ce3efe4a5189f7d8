import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Skeleton, Tabs } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { NotFoundPage } from '../../../components/ResultPages';
import { isApiError } from '../../../lib/api';
import { orDash } from '../../../lib/format';
import { useIsAdmin } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useDisclosure } from '../../../lib/use-disclosure';
import { useProject } from '../api/projects';
import { BuildingsUnitsTab } from '../components/BuildingsUnitsTab';
import { CommonAreasTab } from '../components/CommonAreasTab';
import { DepartmentTable } from '../components/DepartmentTable';
import { ProjectFormModal } from '../components/ProjectFormModal';

const TABS = ['units', 'common-areas', 'departments'] as const;

/** 项目详情: the project's facts and its tabs 楼栋与房屋 / 公共部位 / 部门. */
export function ProjectDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const isAdmin = useIsAdmin();
  const [params, setParams] = useSearchParams();
  const { data: project, isLoading, error, refetch } = useProject(id);
  useDocumentTitle(project ? UI.titles.project(project.name) : null);
  const editor = useDisclosure();
  const tab = TABS.find((t) => t === params.get('tab')) ?? 'units';

  if (isApiError(error, 404) || isApiError(error, 403) || isApiError(error, 400)) return <NotFoundPage subTitle={T.projects.notFound} />;
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !project) return <Skeleton active />;

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8}>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={T.common.back} onClick={() => navigate('/projects')} />
            {project.name}
          </Flex>
        }
        extra={isAdmin ? <Button icon={<EditOutlined />} onClick={editor.show}>{T.projects.edit}</Button> : null}
      />
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginBottom: 8 }}
        items={[
          { key: 'code', label: T.projects.code, children: project.code },
          { key: 'city', label: T.projects.cityCompany, children: project.cityCompanyName },
          { key: 'address', label: T.projects.address, children: orDash(project.address) },
          { key: 'buildings', label: T.projects.buildingCount, children: project.buildingCount },
          { key: 'units', label: T.projects.unitCount, children: project.unitCount },
        ]}
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={[
          { key: 'units', label: T.projects.tabUnits, children: <BuildingsUnitsTab projectId={project.id} canEdit={isAdmin} /> },
          { key: 'common-areas', label: T.projects.tabCommonAreas, children: <CommonAreasTab projectId={project.id} canEdit={isAdmin} /> },
          { key: 'departments', label: T.projects.tabDepartments, children: <DepartmentTable projectId={project.id} canEdit={isAdmin} /> },
        ]}
      />
      <ProjectFormModal open={editor.open} record={project} onClose={editor.hide} />
    </>
  );
}
