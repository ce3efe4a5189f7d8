import { useCallback, useState } from 'react';

/** Open/closed state of a create-or-edit dialog and the record it edits (none: create). */
export function useEditor<R>() {
  const [state, setState] = useState<{ open: boolean; record: R | null }>({ open: false, record: null });
  const create = useCallback(() => setState({ open: true, record: null }), []);
  const edit = useCallback((record: R) => setState({ open: true, record }), []);
  const close = useCallback(() => setState((s) => ({ ...s, open: false })), []);
  return { open: state.open, record: state.record, create, edit, close };
}
