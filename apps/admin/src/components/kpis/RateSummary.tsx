import { Card, Flex, Progress, Tag, Typography } from 'antd';
import { percent, reached } from '../../lib/period';
import { T } from '../../lib/texts';

/**
 * A KPI's rate against its target: the dial fills as the rate approaches the target, with
 * the target and how far off it is; used at the top of the KPI records pages.
 */
export function RateSummary({ name, rate, target, targetText }: { name: string; rate: number | null | undefined; target: number; targetText?: string }) {
  const ok = reached(rate, target);
  const hasRate = rate !== null && rate !== undefined;
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Flex align="center" gap={24}>
        <Progress
          type="dashboard"
          aria-label={name}
          percent={hasRate && target > 0 ? Math.min(100, Math.round((rate / target) * 1000) / 10) : 0}
          format={() => percent(rate)}
          status={ok ? 'success' : hasRate ? 'exception' : 'normal'}
          size={140}
        />
        <Flex vertical gap={4} align="flex-start">
          <Typography.Text type="secondary">{name}</Typography.Text>
          <Typography.Text>{targetText ?? T.kpis.target(percent(target))}</Typography.Text>
          {hasRate ? (
            ok ? <Tag color="success">{T.kpis.onTarget}</Tag> : <Tag color="error">{T.kpis.below(((target - rate) * 100).toFixed(1))}</Tag>
          ) : (
            <Typography.Text type="secondary">{T.kpis.noData}</Typography.Text>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}

/** A count on a KPI records page; with `onPick` it filters the list below. */
export function CountCard({ title, value, active, onPick, danger }: { title: string; value: number | undefined; active?: boolean; onPick?: () => void; danger?: boolean }) {
  const body = (
    <>
      <Typography.Text type="secondary">{title}</Typography.Text>
      <div style={{ fontSize: 30, fontWeight: 600, fontVariantNumeric: 'tabular-nums', color: danger && value ? '#cf1322' : undefined }}>{value ?? 0}</div>
    </>
  );
  if (!onPick) return <Card size="small" style={{ height: '100%' }}>{body}</Card>;
  return (
    <Card
      size="small"
      hoverable
      onClick={onPick}
      role="button"
      aria-pressed={active}
      aria-label={`${title} ${value ?? 0}`}
      style={{ height: '100%', borderColor: active ? '#0958d9' : undefined }}
    >
      {body}
    </Card>
  );
}
