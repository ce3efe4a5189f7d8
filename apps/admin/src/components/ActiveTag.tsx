import { Tag } from 'antd';
import { T } from '../lib/texts';

/** 启用 / 停用 status tag. */
export function ActiveTag({ active }: { active: boolean }) {
  return active ? <Tag color="success">{T.common.active}</Tag> : <Tag>{T.common.inactive}</Tag>;
}
