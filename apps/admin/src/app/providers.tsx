import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { QueryClientProvider } from '@tanstack/react-query';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState, type ReactNode } from 'react';
import { setUnauthorizedHandler } from '../lib/api';
import { qk } from '../lib/query-keys';
import { createQueryClient } from './query-client';
import { appTheme } from './theme';

dayjs.locale('zh-cn');

/** Locale, theme, message context and the query client. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);

  // A 401 on any call means the session is gone: forget the user, the guard shows the login.
  useEffect(() => {
    setUnauthorizedHandler(() => queryClient.setQueryData(qk.me, null));
    return () => setUnauthorizedHandler(null);
  }, [queryClient]);

  return (
    <ConfigProvider locale={zhCN} theme={appTheme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
