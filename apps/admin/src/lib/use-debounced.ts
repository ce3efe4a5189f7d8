import { useEffect, useState } from 'react';

/** The value after it stopped changing for `ms` (search boxes that query the server). */
export function useDebouncedValue<V>(value: V, ms = 250): V {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
