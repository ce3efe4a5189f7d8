import { Tag } from 'antd';
import { SATISFACTION_LABELS } from '@qiaoliang/shared';

const COLORS: Record<number, string> = { 5: 'success', 4: 'green', 3: 'default', 2: 'orange', 1: 'error' };

/** 非常满意 … 非常不满意 on the 5-point scale (nothing when not rated). */
export function SatisfactionTag({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return null;
  return <Tag color={COLORS[value]}>{SATISFACTION_LABELS[value] ?? value}</Tag>;
}

/** The scale from very satisfied (5) down to very dissatisfied (1), for radio groups. */
export const SATISFACTION_SCALE = [5, 4, 3, 2, 1] as const;
