import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from './api';
import { TX } from './texts';

/** Loading, error and empty states without pulling a component library into the first chunk. */
export function Loading() {
  return <div className="state" role="status" aria-live="polite">{TX.loading}</div>;
}

export function Failed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const text = error instanceof ApiError ? error.message : TX.loadFailed;
  return (
    <div className="state" role="alert">
      <p>{text}</p>
      <button type="button" className="btn" onClick={onRetry}>{TX.retry}</button>
    </div>
  );
}

export function Empty({ text }: { text: string }) {
  return <div className="state empty">{text}</div>;
}

/** Loads data; a 401 sends the owner to sign in. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const navigate = useNavigate();
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const run = useCallback(() => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then((data) => setState({ data, loading: false }), (error) => {
      if (error instanceof ApiError && error.status === 401) navigate('/login', { replace: true });
      else setState({ error, loading: false });
    });
  }, deps); // the caller names what the load depends on
  useEffect(run, [run]);
  return { ...state, reload: run };
}
