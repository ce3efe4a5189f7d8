import type { MenuProps } from 'antd';

type Item = Required<MenuProps>['items'][number];

/** The text label of the menu entry with this key, searched through the submenus. */
export function menuLabelOf(items: Item[], key: string): string | null {
  for (const item of items) {
    if (!item || !('key' in item)) continue;
    if (item.key === key && 'label' in item && typeof item.label === 'string') return item.label;
    if ('children' in item && Array.isArray(item.children)) {
      const found = menuLabelOf(item.children as Item[], key);
      if (found) return found;
    }
  }
  return null;
}
