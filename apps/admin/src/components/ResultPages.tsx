import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { T } from '../lib/texts';

/** 403: the user lacks the role for this page. */
export function ForbiddenPage() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={T.result.forbiddenTitle}
      subTitle={T.result.forbidden}
      extra={<Button type="primary" onClick={() => navigate('/')}>{T.result.backHome}</Button>}
    />
  );
}

/** 404: no page at this address, or a record outside the user's scope. */
export function NotFoundPage({ subTitle }: { subTitle?: string }) {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={T.result.notFoundTitle}
      subTitle={subTitle ?? T.result.notFound}
      extra={<Button type="primary" onClick={() => navigate('/')}>{T.result.backHome}</Button>}
    />
  );
}
