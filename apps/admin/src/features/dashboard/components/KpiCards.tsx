import { RightOutlined } from '@ant-design/icons';
import { Card, Col, Flex, Progress, Row, Tag, Typography } from 'antd';
import type { KpiSet } from '@qiaoliang/shared';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { DATE, percent, periodQuery, reached } from '../../../lib/period';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { GREEN, RED } from './Chart';

type Key = 'k1' | 'k2' | 'k3' | 'k4';

/** The days of [from, to] and of the year they start in, as the server's pro-rata target counts them. */
function periodDays(from: string, to: string): { days: number; year: number } {
  const days = dayjs(to).diff(dayjs(from), 'day') + 1;
  const y = dayjs(from).year();
  return { days, year: (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365 };
}

const TAG = { fontSize: 15, lineHeight: '24px', paddingInline: 8 };

/** A link inside a card that opens a narrower list than the card itself. */
function Sub({ to, children, danger }: { to: string; children: ReactNode; danger?: boolean }) {
  return (
    <Link to={to} onClick={(e) => e.stopPropagation()} style={{ fontSize: 16, color: danger ? RED : undefined }}>
      {children}
    </Link>
  );
}

function KpiCard({ k, rate, target, targetText, parts, extra, to, note, digits = 1 }: {
  k: Key;
  /** Decimals of the rate and the gap: a small pro-rata target needs two, or 0.98% vs 0.99% reads "1.0%, 差 0.0". */
  digits?: number;
  rate: number | null;
  target: number;
  targetText: string;
  parts: string;
  extra: ReactNode;
  to: string;
  note?: string;
}) {
  const navigate = useNavigate();
  const ok = reached(rate, target);
  const color = rate === null ? '#595959' : ok ? GREEN : RED;
  const name = T.kpis.names[k]!;
  return (
    <Card
      hoverable
      onClick={() => navigate(to)}
      style={{ height: '100%', borderTop: `4px solid ${color}` }}
      styles={{ body: { padding: 20 } }}
      data-kpi={k}
    >
      <Flex justify="space-between" align="center" gap={8}>
        <Link to={to} style={{ fontSize: 18, fontWeight: 600, color: '#1f1f1f' }} aria-label={T.kpis.open(name)}>
          {name}
        </Link>
        <RightOutlined style={{ color: '#595959' }} />
      </Flex>
      <Flex align="baseline" gap={12} wrap style={{ marginTop: 8 }}>
        <span style={{ fontSize: 52, lineHeight: 1.1, fontWeight: 700, color, fontVariantNumeric: 'tabular-nums' }}>{percent(rate, digits)}</span>
        {rate === null ? (
          <Tag style={TAG}>{T.kpis.noData}</Tag>
        ) : ok ? (
          <Tag color="success" style={TAG}>{T.kpis.onTarget}</Tag>
        ) : (
          <Tag color="error" style={TAG}>{T.kpis.below(((target - rate) * 100).toFixed(digits))}</Tag>
        )}
      </Flex>
      <Progress aria-label={UI.a11y.towardsTarget(name)} percent={rate === null || target <= 0 ? 0 : Math.min(100, Math.round((rate / target) * 1000) / 10)} showInfo={false} strokeColor={color} style={{ margin: '8px 0' }} />
      <Typography.Text style={{ fontSize: 16 }}>{targetText}</Typography.Text>
      <div style={{ fontSize: 18, fontVariantNumeric: 'tabular-nums', marginTop: 4 }}>{parts}</div>
      <Flex gap={16} wrap style={{ marginTop: 6, minHeight: 24 }}>
        {extra}
      </Flex>
      {note ? <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }}>{note}</Typography.Text> : null}
    </Card>
  );
}

/**
 * The four service goals against target, large enough for a projector. Each card opens the
 * records behind it; the smaller links open the late, dissatisfied or unreachable ones.
 */
export function KpiCards({ kpis, filters }: { kpis: KpiSet; filters: { from: string; to: string; projectId?: string | undefined; departmentId?: string | undefined } }) {
  const { k1, k2, k3, k4 } = kpis;
  const q = periodQuery(filters);
  const qNoDept = periodQuery({ ...filters, departmentId: undefined });
  const withParam = (base: string, key: string, value: string) => `${base}${base.includes('?') ? '&' : '?'}${key}=${value}`;
  // The server says which filters each KPI honours; a chosen filter a KPI ignores is said on its card.
  const ignored = (k: Key) => (filters.departmentId && !kpis.filters[k].includes('department') ? T.dashboard.notByDepartment : undefined);
  // K4 is a state at the end of the period, never later than today.
  const today = dayjs().format(DATE);
  const k4Date = kpis.to > today ? today : kpis.to;
  // K3 is compared with the annual 120% pro rata for the days of the period (month to date in 本月).
  const k3Days = periodDays(kpis.from, kpis.to);
  const k3Digits = k3.target < 0.1 ? 2 : 1;
  const k4Link = `/archive-rate${periodQuery({ date: k4Date, projectId: filters.projectId })}`;
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      <Col xs={24} md={12} xl={6}>
        <KpiCard
          k="k1"
          rate={k1.rate}
          target={k1.target}
          targetText={T.kpis.target(percent(k1.target, 0))}
          parts={T.kpis.k1Parts(k1.numerator, k1.denominator)}
          to={`/kpis/k1${q}`}
          extra={
            <>
              <Sub to={withParam(`/kpis/k1${q}`, 'verdict', 'late')} danger={k1.denominator - k1.numerator > 0}>{T.kpis.k1Late(k1.denominator - k1.numerator)}</Sub>
              <Sub to={withParam(`/kpis/k1${q}`, 'verdict', 'not_due')}>{T.kpis.k1NotDue(k1.notDue)}</Sub>
            </>
          }
        />
      </Col>
      <Col xs={24} md={12} xl={6}>
        <KpiCard
          k="k2"
          rate={k2.rate}
          target={k2.target}
          targetText={T.kpis.target(percent(k2.target, 0))}
          parts={T.kpis.k2Parts(k2.numerator, k2.denominator)}
          to={`/kpis/k2${q}`}
          extra={
            <>
              <Sub to={withParam(`/kpis/k2${q}`, 'which', 'dissatisfied')} danger={k2.denominator - k2.numerator > 0}>{T.kpis.k2Dissatisfied(k2.denominator - k2.numerator)}</Sub>
              <Sub to={withParam(`/kpis/k2${q}`, 'which', 'unreachable')}>{T.kpis.k2Unreachable(k2.unreachable)}</Sub>
            </>
          }
        />
      </Col>
      <Col xs={24} md={12} xl={6}>
        <KpiCard
          k="k3"
          rate={k3.rate}
          target={k3.target}
          digits={k3Digits}
          targetText={T.console.k3Compare(percent(k3.target, k3Digits), k3Days.days, k3Days.year)}
          parts={T.kpis.k3Parts(k3.numerator, k3.denominator)}
          to={`/kpis/k3${qNoDept}`}
          extra={<Sub to={`/kpis/k3${qNoDept}`}>{T.visitAttempt.beside(k3.unsuccessful)}</Sub>}
          note={ignored('k3')}
        />
      </Col>
      <Col xs={24} md={12} xl={6}>
        <KpiCard
          k="k4"
          rate={k4.rate}
          target={k4.target}
          targetText={`${T.kpis.target(percent(k4.target, 0))} · ${T.kpis.k4AsOf(k4Date)}`}
          parts={T.kpis.k4Parts(k4.numerator, k4.denominator)}
          to={k4Link}
          extra={<Sub to={k4Link} danger={k4.denominator - k4.numerator > 0}>{T.kpis.k4Missing(k4.denominator - k4.numerator)}</Sub>}
          note={ignored('k4')}
        />
      </Col>
    </Row>
  );
}
