import { Empty } from 'antd';

/** The empty state of a list, with its Chinese explanation. */
export function EmptyState({ description }: { description: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description} />;
}
