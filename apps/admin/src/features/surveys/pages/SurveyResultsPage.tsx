import { DownloadOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Descriptions, Flex, List, Popconfirm, Row, Statistic, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { QUESTION_KIND_LABELS, SURVEY_CHANNEL_LABELS, SURVEY_STATUS_LABELS, type QuestionResult, type Survey, type SurveyQuestion, type SurveyResponseItem } from '@qiaoliang/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { formatDateTime } from '../../../lib/format';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useCloseSurvey, useExportResults, useSurveyResponses, useSurveyResults } from '../api/surveys';
import { chartRows, QuestionChart } from '../components/QuestionChart';
import { SurveyForm } from '../components/SurveyForm';

const R = T.surveyResults;
const STATUS_COLOR = { draft: 'default', sent: 'processing', closed: 'success' } as const;

const percent = (n: number, of: number) => (of ? `${Math.round((n / of) * 1000) / 10}%` : '—');

/** The counts beside a chart, in large type: option, people, share of those who answered. */
const CELL = { padding: '6px 10px', borderBottom: '1px solid #f0f0f0', fontSize: 16 } as const;
const NUM = { ...CELL, textAlign: 'right', fontVariantNumeric: 'tabular-nums' } as const;
function CountsTable({ result }: { result: QuestionResult }) {
  const rows = chartRows(result);
  return (
    <table aria-label={`${result.text} ${R.count}`} style={{ borderCollapse: 'collapse', width: '100%' }}>
      <thead>
        <tr style={{ background: '#fafafa' }}>
          <th style={{ ...CELL, textAlign: 'left' }}>{R.option}</th>
          <th style={NUM}>{R.count}</th>
          <th style={NUM}>{R.share}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <td style={CELL}>{row.label}</td>
            <td style={{ ...NUM, fontWeight: 600 }}>{row.count}</td>
            <td style={NUM}>{percent(row.count, result.answered)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function QuestionCard({ result, index }: { result: QuestionResult; index: number }) {
  const title = `Q${index + 1} ${result.text}`;
  return (
    <Card
      size="small"
      title={<Typography.Text strong style={{ fontSize: 18 }}>{title}</Typography.Text>}
      extra={
        <Flex gap={8} align="center">
          <Tag>{QUESTION_KIND_LABELS[result.kind]}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 15 }}>{R.answered(result.answered)}</Typography.Text>
        </Flex>
      }
      style={{ marginBottom: 16 }}
    >
      {result.kind === 'text' ? (
        <List
          size="small"
          dataSource={result.texts ?? []}
          locale={{ emptyText: <EmptyState description={R.noAnswers} /> }}
          pagination={(result.texts?.length ?? 0) > 8 ? { pageSize: 8, size: 'small', showTotal: () => R.texts(result.texts?.length ?? 0) } : false}
          renderItem={(t) => (
            <List.Item>
              <Flex justify="space-between" gap={16} style={{ width: '100%' }}>
                <Typography.Text style={{ fontSize: 16 }}>{t.text}</Typography.Text>
                <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(t.submittedAt)}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      ) : (
        <Flex gap={24} wrap align="center">
          <div style={{ flex: '1 1 460px', minWidth: 320 }}>
            {result.answered ? <QuestionChart result={result} title={title} /> : <EmptyState description={R.noAnswers} />}
          </div>
          <Flex vertical gap={12} style={{ flex: '0 1 340px', minWidth: 260 }}>
            {result.kind === 'scale' ? (
              <Statistic
                title={R.average}
                value={result.average ?? '—'}
                precision={result.average === null ? undefined : 2}
                suffix={`/ ${result.scaleMax ?? 5}`}
                styles={{ content: { fontSize: 40, fontWeight: 600, color: '#0958d9' }, suffix: { marginInlineStart: 8, fontSize: 24, color: '#595959' } }}
              />
            ) : null}
            <CountsTable result={result} />
          </Flex>
        </Flex>
      )}
    </Card>
  );
}

function answerText(q: SurveyQuestion, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.join('、');
  return q.kind === 'scale' ? R.score(Number(value)) : String(value);
}

function ResponsesTab({ survey }: { survey: Survey }) {
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const { data, isFetching, error, refetch } = useSurveyResponses(survey.id, page);
  const columns: TableColumnsType<SurveyResponseItem> = [
    { title: R.submittedAt, dataIndex: 'submittedAt', render: formatDateTime, width: 150, fixed: 'left' },
    { title: R.customer, dataIndex: 'customerName', width: 110, fixed: 'left', render: (name: string, r) => <Link to={`/customers/${r.customerId}`}>{name}</Link> },
    ...survey.questions.map((q, i) => ({
      title: `Q${i + 1} ${q.text}`,
      key: q.id,
      width: q.kind === 'text' ? 260 : 140,
      ellipsis: true,
      render: (_: unknown, r: SurveyResponseItem) => answerText(q, r.answers[q.id]),
    })),
  ];
  return (
    <>
      {error ? <QueryError error={error} onRetry={() => void refetch()} /> : null}
      <Table<SurveyResponseItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyState description={R.responsesEmpty} /> }}
        pagination={{
          current: page.page, pageSize: page.pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: T.common.total,
          onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
        }}
      />
    </>
  );
}

/** Results of a sent or closed survey: response rate, a chart per question, the answers, export, closing. */
export function SurveyResultsPage({ survey }: { survey: Survey }) {
  const running = survey.status === 'sent';
  const results = useSurveyResults(survey.id, running);
  const close = useCloseSurvey();
  const exportResults = useExportResults();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const data = results.data;

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8} wrap>
            {survey.title}
            <Tag color={STATUS_COLOR[survey.status]}>{SURVEY_STATUS_LABELS[survey.status]}</Tag>
          </Flex>
        }
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void results.refetch()} loading={results.isFetching}>{R.refresh}</Button>
            <Button
              icon={<DownloadOutlined />}
              loading={exportResults.isPending}
              onClick={() => exportResults.mutate({ id: survey.id }, { onSuccess: () => void message.success(T.exportJobs.requested), onError: (e) => onError(e) })}
            >
              {R.export}
            </Button>
            {running ? (
              <Popconfirm
                title={R.closeConfirm}
                okText={T.common.confirm}
                cancelText={T.common.cancel}
                onConfirm={() => close.mutate({ id: survey.id, version: survey.version }, {
                  onSuccess: () => {
                    void message.success(R.closed);
                    void results.refetch();
                  },
                  onError: (e) => onError(e),
                })}
              >
                <Button danger icon={<StopOutlined />} loading={close.isPending}>{R.close}</Button>
              </Popconfirm>
            ) : null}
          </>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 4 }} style={{ marginTop: 12 }} items={[
          { key: 'project', label: T.surveys.project, children: survey.projectName },
          { key: 'sentAt', label: R.sentAt, children: formatDateTime(survey.sentAt) },
          { key: 'channel', label: R.channel, children: survey.channel ? SURVEY_CHANNEL_LABELS[survey.channel] : '—' },
          { key: 'closedAt', label: R.closedAt, children: formatDateTime(survey.closedAt) },
        ]} />
      </PageHeader>
      {results.error ? <QueryError error={results.error} onRetry={() => void results.refetch()} /> : null}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {[
          { key: 'invited', title: R.invited, value: data?.invitations ?? survey.invitationCount },
          { key: 'responses', title: R.responses, value: data?.responses ?? survey.responseCount },
          { key: 'rate', title: R.rate, value: data ? `${Math.round(data.responseRate * 1000) / 10}%` : '—' },
        ].map((s) => (
          <Col key={s.key} xs={24} md={8}>
            <Card size="small">
              <Statistic title={<span style={{ fontSize: 16 }}>{s.title}</span>} value={s.value} styles={{ content: { fontSize: 40, fontWeight: 600 } }} />
            </Card>
          </Col>
        ))}
      </Row>
      {running ? <Typography.Paragraph type="secondary">{R.autoRefresh}</Typography.Paragraph> : null}
      <Tabs
        items={[
          {
            key: 'results',
            label: R.tabResults,
            children: (data?.questions ?? []).map((q, i) => <QuestionCard key={q.id} result={q} index={i} />),
          },
          { key: 'responses', label: R.tabResponses, children: <ResponsesTab survey={survey} /> },
          {
            key: 'questions',
            label: R.tabQuestions,
            children: (
              <div style={{ maxWidth: 640 }}>
                <SurveyForm title={survey.title} intro={survey.intro} projectName={survey.projectName} questions={survey.questions} />
              </div>
            ),
          },
        ]}
      />
    </>
  );
}
