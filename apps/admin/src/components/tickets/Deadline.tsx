import { ClockCircleOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import dayjs from 'dayjs';
import { formatDateTime } from '../../lib/format';
import { T } from '../../lib/texts';
import { useNow } from '../../lib/use-now';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Deadlines closer than this are shown in orange. */
export const DUE_SOON_MS = 4 * HOUR;

/** 2 天 3 小时 / 5 小时 20 分 / 12 分钟. */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.abs(ms));
  if (abs >= DAY) return T.deadline.days(Math.floor(abs / DAY), Math.floor((abs % DAY) / HOUR));
  if (abs >= HOUR) return T.deadline.hours(Math.floor(abs / HOUR), Math.floor((abs % HOUR) / MINUTE));
  return T.deadline.minutes(Math.max(1, Math.floor(abs / MINUTE)));
}

export type DeadlineState = 'none' | 'met' | 'paused' | 'ok' | 'soon' | 'over';

/** Where a deadline stands now. */
export function deadlineState(due: string | null, now: number, opts: { met?: boolean; paused?: boolean } = {}): DeadlineState {
  if (!due) return 'none';
  if (opts.met) return 'met';
  if (opts.paused) return 'paused';
  const left = dayjs(due).valueOf() - now;
  if (left < 0) return 'over';
  return left < DUE_SOON_MS ? 'soon' : 'ok';
}

/**
 * A deadline with its countdown: 剩余 3 小时 (orange when close), 超时 2 天 (red), 计时暂停
 * while waiting on the customer; `compact` puts the date under the countdown (tables).
 */
export function Deadline({
  due,
  met,
  metAt,
  paused,
  compact,
}: {
  due: string | null;
  met?: boolean;
  metAt?: string | null;
  paused?: boolean;
  compact?: boolean;
}) {
  const now = useNow();
  const state = deadlineState(due, now, { met: met || !!metAt, paused });
  if (state === 'none' || !due) return <Typography.Text type="secondary">{T.deadline.none}</Typography.Text>;
  const date = formatDateTime(due);
  if (state === 'met') {
    // Finished without the instant it was met (lists): the deadline, no longer running.
    if (!metAt) return <Typography.Text type="secondary">{date}</Typography.Text>;
    const late = dayjs(metAt).isAfter(due);
    return <Typography.Text type={late ? 'danger' : 'success'}>{late ? T.deadline.metLate(formatDateTime(metAt)) : T.deadline.met(formatDateTime(metAt))}</Typography.Text>;
  }
  const left = dayjs(due).valueOf() - now;
  const label =
    state === 'paused' ? (
      <Typography.Text type="warning">
        <PauseCircleOutlined /> {T.deadline.paused}
      </Typography.Text>
    ) : state === 'over' ? (
      <Typography.Text type="danger" strong>
        <ClockCircleOutlined /> {T.deadline.over(formatDuration(left))}
      </Typography.Text>
    ) : (
      <Typography.Text type={state === 'soon' ? 'warning' : undefined} strong={state === 'soon'}>
        <ClockCircleOutlined /> {T.deadline.left(formatDuration(left))}
      </Typography.Text>
    );
  if (compact) {
    return (
      <div style={{ lineHeight: 1.4 }}>
        <div style={{ whiteSpace: 'nowrap' }}>{label}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
          {date}
        </Typography.Text>
      </div>
    );
  }
  return (
    <span>
      {label}
      <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
        {date}
      </Typography.Text>
    </span>
  );
}
