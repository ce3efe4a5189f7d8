import { Input } from 'antd';
import { useState } from 'react';

/**
 * The search box of a list whose filters live in the address: it edits its own text and
 * hands the trimmed query over on Enter, the search button or clear (×).
 */
export function SearchFilter({ label, value, onSearch, width = 260 }: { label: string; value?: string; onSearch: (q: string) => void; width?: number }) {
  const [text, setText] = useState(value ?? '');
  return (
    <Input.Search
      placeholder={label}
      aria-label={label}
      allowClear
      value={text}
      onChange={(e) => setText(e.target.value)}
      onSearch={(q) => onSearch(q.trim())}
      style={{ width }}
    />
  );
}
