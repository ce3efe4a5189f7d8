import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Progress, Select, Table, Tag, type TableColumnsType } from 'antd';
import { SURVEY_STATUS_LABELS, SURVEY_STATUSES, type SurveyStatus, type SurveySummary } from '@qiaoliang/shared';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime } from '../../../lib/format';
import { useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { intParam, useUrlParams } from '../../../lib/use-url-params';
import { useSurveys } from '../api/surveys';

const FILTERS = ['projectId', 'status', 'page', 'pageSize'] as const;
const STATUS_COLOR: Record<SurveyStatus, string> = { draft: 'default', sent: 'processing', closed: 'success' };

/** 满意度调查: the surveys of the projects in scope, by project and status. */
export function SurveysPage() {
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlParams(FILTERS);
  const page = intParam(filters.page, 1);
  const pageSize = intParam(filters.pageSize, 20);
  const status = SURVEY_STATUSES.find((s) => s === filters.status);
  const projects = useProjectOptions();
  const { data, isFetching, error, refetch } = useSurveys({ page, pageSize, projectId: filters.projectId, status });

  const columns: TableColumnsType<SurveySummary> = [
    { title: T.surveys.name, dataIndex: 'title', render: (title: string, r) => <Link to={`/surveys/${r.id}`}>{title}</Link> },
    { title: T.surveys.project, dataIndex: 'projectName', width: 120 },
    { title: T.surveys.status, dataIndex: 'status', width: 90, render: (s: SurveyStatus) => <Tag color={STATUS_COLOR[s]}>{SURVEY_STATUS_LABELS[s]}</Tag> },
    { title: T.surveys.questions, dataIndex: 'questionCount', width: 70, align: 'right' },
    { title: T.surveys.invited, dataIndex: 'invitationCount', width: 90, align: 'right', render: (n: number, r) => (r.status === 'draft' ? '—' : n) },
    { title: T.surveys.responses, dataIndex: 'responseCount', width: 90, align: 'right', render: (n: number, r) => (r.status === 'draft' ? '—' : n) },
    {
      title: T.surveys.rate, key: 'rate', width: 150,
      render: (_, r) => (r.status === 'draft' || !r.invitationCount ? '—' : <Progress aria-label={UI.a11y.responseRate(r.title)} percent={Math.round((r.responseCount / r.invitationCount) * 1000) / 10} size="small" />),
    },
    { title: T.surveys.sentAt, dataIndex: 'sentAt', width: 150, render: formatDateTime },
    { title: T.surveys.createdBy, dataIndex: 'createdByName', width: 100 },
    {
      title: T.common.actions, key: 'actions', width: 100,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => navigate(`/surveys/${r.id}`)}>
          {r.status === 'draft' ? T.surveys.edit : T.surveys.results}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={T.surveys.title}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(filters.projectId ? `/surveys/new?projectId=${filters.projectId}` : '/surveys/new')}>
            {T.surveys.create}
          </Button>
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select<string>
          placeholder={T.surveys.allProjects}
          aria-label={T.surveys.project}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={filters.projectId}
          onChange={(v?: string) => setFilters({ projectId: v, page: undefined })}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 200 }}
        />
        <Select<SurveyStatus>
          placeholder={T.surveys.allStatuses}
          aria-label={T.surveys.status}
          allowClear
          value={status}
          onChange={(v?: SurveyStatus) => setFilters({ status: v, page: undefined })}
          options={SURVEY_STATUSES.map((s) => ({ value: s, label: SURVEY_STATUS_LABELS[s] }))}
          style={{ width: 140 }}
        />
      </Flex>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<SurveySummary>
        rowKey="id"
        columns={columns}
        dataSource={data?.items}
        loading={isFetching}
        locale={{ emptyText: <EmptyState description={T.surveys.empty} /> }}
        pagination={{
          current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: T.common.total,
          onChange: (p, ps) => setFilters({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }),
        }}
      />
    </>
  );
}
