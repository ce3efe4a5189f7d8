import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { T } from '../../../lib/texts';

/** The centred card of the sign-in and password pages. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', background: 'linear-gradient(160deg, #e6f4ff 0%, #f5f5f5 60%)' }}>
      <Card style={{ width: 400, maxWidth: 'calc(100vw - 32px)' }}>
        <Flex vertical align="center" style={{ marginBottom: 24 }}>
          <img src="/favicon.svg" alt="" width={48} height={48} />
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            {T.app.name}
          </Typography.Title>
          <Typography.Text type="secondary">{subtitle ?? title}</Typography.Text>
        </Flex>
        {children}
      </Card>
    </Flex>
  );
}
