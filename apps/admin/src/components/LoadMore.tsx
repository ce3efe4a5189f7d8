import { Button, Flex, Typography } from 'antd';
import { T } from '../lib/texts';

/** The parts of an infinite (keyset-paged) query the foot of its list needs. */
export interface PagedList {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * The foot of a keyset-paged list: how many rows it shows ("已加载 N 条，还有更多" / "共 N 条")
 * and 加载更多 while the server has more. Nothing while the list is empty (its empty state says so).
 */
export function LoadMore({ list, count, compact }: { list: PagedList; count: number; compact?: boolean }) {
  if (!count && !list.hasNextPage) return null;
  return (
    <Flex justify="center" align="center" gap={12} style={compact ? undefined : { marginTop: 12 }}>
      <Typography.Text type="secondary">{T.common.loaded(count, list.hasNextPage)}</Typography.Text>
      {list.hasNextPage ? (
        <Button size={compact ? 'small' : undefined} onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {T.common.loadMore}
        </Button>
      ) : null}
    </Flex>
  );
}
