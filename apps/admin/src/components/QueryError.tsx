import { Alert, Button } from 'antd';
import { isApiError } from '../lib/api';
import { T } from '../lib/texts';

/** Shows why a list or record failed to load, with a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const text = isApiError(error) ? error.text : T.errors.unknown;
  return (
    <Alert
      type="error"
      showIcon
      title={T.errors.loadFailed}
      description={text}
      action={onRetry ? <Button size="small" onClick={onRetry}>{T.errors.retry}</Button> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
