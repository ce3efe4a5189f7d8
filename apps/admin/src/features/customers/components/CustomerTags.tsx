import { CrownFilled } from '@ant-design/icons';
import { Flex, Tag } from 'antd';
import { CUSTOMER_KIND_LABELS, type CustomerKind } from '@qiaoliang/shared';
import { T } from '../../../lib/texts';

const KIND_COLORS: Record<CustomerKind, string> = {
  owner: 'blue',
  prospective_owner: 'geekblue',
  co_owner: 'cyan',
  family: 'purple',
  tenant: 'orange',
  other: 'default',
};

/** 业主 / 准业主 / … as a coloured tag. */
export function KindTag({ kind }: { kind: CustomerKind }) {
  return (
    <Tag color={KIND_COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {CUSTOMER_KIND_LABELS[kind] ?? kind}
    </Tag>
  );
}

/** The VIP mark. */
export function VipTag() {
  return (
    <Tag color="gold" icon={<CrownFilled />} style={{ marginInlineEnd: 0 }}>
      {T.customers.vip}
    </Tag>
  );
}

/** 完整/缺失 and 有效/过期: the two halves of a K4 archive. */
export function ArchiveBadges({ complete, current }: { complete: boolean; current: boolean }) {
  return (
    <Flex gap={4} wrap>
      <Tag color={complete ? 'success' : 'error'} style={{ marginInlineEnd: 0 }}>
        {complete ? T.customers.archiveComplete : T.customers.archiveIncomplete}
      </Tag>
      <Tag color={current ? 'success' : 'warning'} style={{ marginInlineEnd: 0 }}>
        {current ? T.customers.archiveCurrent : T.customers.archiveStale}
      </Tag>
    </Flex>
  );
}
