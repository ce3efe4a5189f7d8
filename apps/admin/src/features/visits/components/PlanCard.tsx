import { SettingOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Flex, Popconfirm, Progress, Row, Statistic, Typography } from 'antd';
import type { KpiSet, VisitPlan } from '@qiaoliang/shared';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format';
import { percent, reached } from '../../../lib/period';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useGenerateVisitTasks } from '../api/visits';
import { RulesModal } from './RulesModal';

/**
 * The project's annual visit plan: the 120% target, the customers in scope, the tasks done,
 * the year's K3 so far; leads edit the rules and generate the tasks.
 */
export function PlanCard({ plan, projectName, coverage }: { plan: VisitPlan; projectName: string; coverage: KpiSet['k3'] | undefined }) {
  const { data: me } = useMe();
  const isLead = hasRole(me, 'supervisor', 'manager');
  const generate = useGenerateVisitTasks();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const targetVisits = Math.ceil(plan.customersInScope * plan.targetRate);
  const taskPct = plan.tasks ? Math.round((plan.done / plan.tasks) * 1000) / 10 : 0;
  const k3Ok = coverage ? reached(coverage.rate, coverage.target) : false;
  const { rules } = plan;

  return (
    <Card
      title={<span style={{ fontSize: 18 }}>{T.visits.planTitle(projectName, plan.year)}</span>}
      extra={
        isLead ? (
          <Flex gap={8}>
            <Button icon={<SettingOutlined />} onClick={() => setEditing(true)}>{T.visits.editRules}</Button>
            <Popconfirm
              title={T.visits.generate}
              description={<div style={{ maxWidth: 300 }}>{T.visits.generateConfirm}</div>}
              okText={T.common.confirm}
              cancelText={T.common.cancel}
              onConfirm={() =>
                generate.mutate(
                  { projectId: plan.projectId, year: plan.year },
                  { onSuccess: (r) => void message.success(T.visits.generated(r.added)), onError: (e) => onError(e) },
                )
              }
            >
              <Button type="primary" icon={<ThunderboltOutlined />} loading={generate.isPending}>{T.visits.generate}</Button>
            </Popconfirm>
          </Flex>
        ) : null
      }
      style={{ marginBottom: 16 }}
    >
      <Row gutter={[24, 16]}>
        <Col xs={12} lg={5}>
          <Statistic title={T.visits.target} value={T.visits.targetValue(percent(plan.targetRate, 0), targetVisits)} styles={{ content: { fontSize: 24 } }} />
        </Col>
        <Col xs={12} lg={4}>
          <Statistic title={T.visits.inScope} value={plan.customersInScope} suffix={T.visits.householdUnit} styles={{ content: { fontSize: 24 } }} />
        </Col>
        <Col xs={24} lg={7}>
          <Typography.Text type="secondary">{T.visits.tasks}</Typography.Text>
          {plan.tasks ? (
            <>
              <div style={{ fontSize: 24, fontVariantNumeric: 'tabular-nums' }}>{T.visits.tasksDone(plan.done, plan.tasks)}</div>
              <Progress aria-label={T.visits.tasks} percent={taskPct} size="small" />
            </>
          ) : (
            <div style={{ fontSize: 14, marginTop: 6 }}>{T.console.k3NoTasks}</div>
          )}
        </Col>
        <Col xs={24} lg={8}>
          <Typography.Text type="secondary">{T.visits.coverage}</Typography.Text>
          <div style={{ fontSize: 24, fontVariantNumeric: 'tabular-nums', color: coverage?.rate == null ? undefined : k3Ok ? '#389e0d' : '#cf1322' }}>
            {percent(coverage?.rate)}
            <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
              {coverage ? T.kpis.target(percent(coverage.target)) : ''}
            </Typography.Text>
          </div>
          {coverage ? <Typography.Text type="secondary">{T.visits.coverageParts(coverage.numerator, coverage.denominator)}</Typography.Text> : null}
        </Col>
      </Row>
      <Flex gap={24} wrap style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">
          {T.visits.rules}：{T.visits.ruleSummary(rules.vipExtra, rules.complainerExtra, rules.newHandoverExtra, rules.complainerDays)}
        </Typography.Text>
        <Typography.Text type="secondary">
          {T.visits.generatedAt}：{plan.generatedAt ? formatDateTime(plan.generatedAt) : T.visits.notGenerated}
        </Typography.Text>
      </Flex>
      {isLead ? <RulesModal plan={plan} open={editing} onClose={() => setEditing(false)} /> : null}
    </Card>
  );
}
