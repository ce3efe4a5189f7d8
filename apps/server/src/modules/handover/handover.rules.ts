import { addWorkingDays, type WorkCalendar } from '../calendar/calendar.rules.js';

/** 一般 / 严重 / 影响入住. */
export const DEFECT_SEVERITIES = ['minor', 'serious', 'blocking'] as const;
export type DefectSeverity = (typeof DEFECT_SEVERITIES)[number];
export const DEFECT_SEVERITY_LABELS: Record<DefectSeverity, string> = { minor: '一般', serious: '严重', blocking: '影响入住' };

/** 待分配 → 待整改 → 整改中 → 待销项 → 已销项 (or 已取消, 争议), after 龙湖 longjian (references-round2 §1). */
export const DEFECT_STATUSES = ['unassigned', 'to_rectify', 'in_progress', 'to_verify', 'closed', 'cancelled', 'disputed'] as const;
export type DefectStatus = (typeof DEFECT_STATUSES)[number];
export const DEFECT_STATUS_LABELS: Record<DefectStatus, string> = {
  unassigned: '待分配', to_rectify: '待整改', in_progress: '整改中', to_verify: '待销项', closed: '已销项', cancelled: '已取消', disputed: '争议',
};

export const DEFECT_ACTIONS = ['assign', 'start', 'report_fix', 'reinspect_pass', 'reinspect_fail', 'cancel', 'dispute'] as const;
export type DefectAction = (typeof DEFECT_ACTIONS)[number];

const OPEN: readonly DefectStatus[] = ['unassigned', 'to_rectify', 'in_progress', 'to_verify', 'disputed'];

/** Where each action may start and where it leads. Closing needs a passed re-inspection: there is no other way into 已销项. */
const TRANSITIONS: Record<DefectAction, { from: readonly DefectStatus[]; to: DefectStatus }> = {
  assign: { from: ['unassigned', 'to_rectify', 'in_progress', 'disputed'], to: 'to_rectify' },
  start: { from: ['to_rectify'], to: 'in_progress' },
  report_fix: { from: ['to_rectify', 'in_progress'], to: 'to_verify' },
  reinspect_pass: { from: ['to_verify'], to: 'closed' },
  reinspect_fail: { from: ['to_verify'], to: 'to_rectify' },
  cancel: { from: OPEN, to: 'cancelled' },
  dispute: { from: ['unassigned', 'to_rectify', 'in_progress', 'to_verify'], to: 'disputed' },
};

/** The state after an action, or null when the action is not allowed from that state. */
export function nextDefectStatus(from: DefectStatus, action: DefectAction): DefectStatus | null {
  const t = TRANSITIONS[action];
  return t.from.includes(from) ? t.to : null;
}

/** Still to be worked on (counts as open in the reports and blocks nothing else). */
export const isOpenDefect = (s: string): boolean => (OPEN as readonly string[]).includes(s);

/** Working days to rectify per severity; the "policy per severity". */
export type RectificationPolicy = Record<DefectSeverity, number>;
export const DEFAULT_RECTIFICATION_POLICY: RectificationPolicy = { minor: 10, serious: 5, blocking: 2 };

/** The rectification deadline: N working days of the Chinese calendar after registration (the SLA engine's `addWorkingDays`). */
export function rectificationDueAt(registeredAt: number, severity: DefectSeverity, cal: WorkCalendar, policy: RectificationPolicy = DEFAULT_RECTIFICATION_POLICY): number {
  return addWorkingDays(cal, registeredAt, policy[severity]);
}

/** 按期完成 / 超期完成 / 超期未完成 / 未设置期限, plus 未到期 for open defects still within their deadline. */
export type DeadlineBucket = 'on_time' | 'late_done' | 'overdue_open' | 'no_deadline' | 'pending';
export const DEADLINE_BUCKET_LABELS: Record<DeadlineBucket, string> = {
  on_time: '按期完成', late_done: '超期完成', overdue_open: '超期未完成', no_deadline: '未设置期限', pending: '未到期',
};

/** The deadline bucket of one defect at an instant ("done" = the fix was reported; cancelled defects are not bucketed). */
export function deadlineBucket(d: { due_at: number | null; fixed_at: number | null; status: string }, now: number): DeadlineBucket {
  if (d.due_at === null) return 'no_deadline';
  if (d.fixed_at !== null && (d.status === 'closed' || d.status === 'to_verify')) return d.fixed_at <= d.due_at ? 'on_time' : 'late_done';
  return now > d.due_at ? 'overdue_open' : 'pending';
}

/** A second failed re-inspection is flagged for the manager. */
export const isFlagged = (reinspectFailures: number): boolean => reinspectFailures >= 2;

/** Age buckets of open defects, in calendar days since registration. */
export const AGE_BUCKETS = [
  { key: 'd0_7', label: '7 天内', max: 7 },
  { key: 'd8_15', label: '8–15 天', max: 15 },
  { key: 'd16_30', label: '16–30 天', max: 30 },
  { key: 'd30p', label: '30 天以上', max: Infinity },
] as const;

/** The age bucket key of an open defect. */
export function ageBucket(registeredAt: number, now: number): (typeof AGE_BUCKETS)[number]['key'] {
  const days = Math.floor((now - registeredAt) / 86_400_000);
  return AGE_BUCKETS.find((b) => days <= b.max)!.key;
}

/** 一次收楼率 etc.: a share rounded to 4 decimals, null when nothing to divide by. */
export const share = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

/** A checklist line: room × item with its acceptance criterion, warranty component and responsible trade. */
export interface ChecklistItem { room: string; item: string; criterion: string; warrantyComponent: string; trade: string }

/** Problems with a template's items (empty when fine): every field filled, no room × item twice. */
export function checklistErrors(items: ChecklistItem[]): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!items.length) errors.push({ field: 'items', message: '至少需要一个检查项' });
  const seen = new Set<string>();
  items.forEach((it, i) => {
    for (const k of ['room', 'item', 'criterion', 'warrantyComponent', 'trade'] as const) {
      if (!it[k]?.trim()) errors.push({ field: `items[${i}].${k}`, message: '不能为空' });
    }
    const key = `${it.room}|${it.item}`;
    if (seen.has(key)) errors.push({ field: `items[${i}]`, message: `${it.room}·${it.item} 重复` });
    seen.add(key);
  });
  return errors;
}

const ROOMS = ['客厅', '卧室', '厨房', '卫生间', '阳台'] as const;
const ITEMS: Record<string, { criterion: string; warrantyComponent: string; trade: string }> = {
  墙面: { criterion: '平整无空鼓、开裂、渗水痕迹', warrantyComponent: 'decoration', trade: '土建' },
  地面: { criterion: '平整无空鼓、起砂、裂缝', warrantyComponent: 'decoration', trade: '土建' },
  门窗: { criterion: '开关灵活、密封严密、五金齐全、玻璃无破损', warrantyComponent: 'doors_windows', trade: '门窗' },
  给排水: { criterion: '管道无渗漏、排水通畅', warrantyComponent: 'plumbing', trade: '水电' },
  电气: { criterion: '开关插座通电正常、回路标识清晰', warrantyComponent: 'electrical', trade: '水电' },
  防水: { criterion: '闭水试验无渗漏', warrantyComponent: 'waterproofing', trade: '防水' },
};
const ROOM_ITEMS: Record<(typeof ROOMS)[number], string[]> = {
  客厅: ['墙面', '地面', '门窗', '电气'],
  卧室: ['墙面', '地面', '门窗', '电气'],
  厨房: ['墙面', '地面', '门窗', '给排水', '电气', '防水'],
  卫生间: ['墙面', '地面', '门窗', '给排水', '电气', '防水'],
  阳台: ['墙面', '地面', '门窗', '给排水', '防水'],
};

/** The checklist that ships with the product (template code `default`, version 1). */
export const DEFAULT_CHECKLIST: ChecklistItem[] = ROOMS.flatMap((room) => ROOM_ITEMS[room].map((item) => ({ room, item, ...ITEMS[item]! })));
