import { PhoneOutlined } from '@ant-design/icons';
import { App, Button, Flex, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import type { ScreenPopEvent, ServerEvent } from '@qiaoliang/shared';
import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { formatPhone } from '../../../lib/format';
import { qk } from '../../../lib/query-keys';
import { T } from '../../../lib/texts';
import { hotlineStore } from '../state';

/** How long to wait before reopening a stream the server refused (e.g. while it restarts). */
const RECONNECT_MS = 10_000;
const HOTLINE_PATH = '/hotline';

function popDescription(pop: ScreenPopEvent): string {
  if (!pop.customers.length) return T.hotline.popUnknown;
  return T.hotline.popKnown(
    pop.customers
      .map(({ customer }) => [customer.name, customer.units[0] ? `${customer.units[0].projectName}${customer.units[0].unitLabel}` : ''].filter(Boolean).join(' '))
      .join('、'),
  );
}

/**
 * Listens to the user's live events (GET /api/events/stream) on every page: a screen pop is
 * kept for the hotline console and, on other pages, announced with a notification linking to
 * it; call updates, in-app notifications and the end of the session are handled too.
 */
export function ScreenPopListener() {
  const { notification } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const pathRef = useRef(location.pathname);
  const navigateRef = useRef(navigate);
  useEffect(() => {
    pathRef.current = location.pathname;
    navigateRef.current = navigate;
  }, [location.pathname, navigate]);

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;

    const announce = (pop: ScreenPopEvent) => {
      if (pathRef.current === HOTLINE_PATH) return;
      const key = `pop-${pop.call.id}`;
      notification.open({
        key,
        icon: <PhoneOutlined style={{ color: '#1677ff' }} />,
        title: T.hotline.popTitle(formatPhone(pop.call.caller)),
        description: popDescription(pop),
        duration: 0,
        placement: 'topRight',
        role: 'alert',
        actions: (
          <Flex gap={8}>
            <Button
              type="primary"
              size="small"
              onClick={() => {
                notification.destroy(key);
                navigateRef.current(HOTLINE_PATH);
              }}
            >
              {T.hotline.popOpen}
            </Button>
          </Flex>
        ),
      });
    };

    const onEvent = (event: ServerEvent) => {
      switch (event.type) {
        case 'screen_pop':
          hotlineStore.pushPop(event);
          void queryClient.invalidateQueries({ queryKey: qk.calls });
          announce(event);
          break;
        case 'call_update':
          hotlineStore.updateCall(event.call);
          void queryClient.invalidateQueries({ queryKey: qk.calls });
          if (event.call.status === 'ended' || event.call.status === 'missed') {
            notification.destroy(`pop-${event.call.id}`);
            if (event.call.status === 'missed') void queryClient.invalidateQueries({ queryKey: qk.callBacks });
          }
          break;
        case 'notification':
          void queryClient.invalidateQueries({ queryKey: qk.notifications });
          notification.info({
            key: event.id ?? undefined,
            title: event.title,
            description: (
              <Typography.Paragraph ellipsis={{ rows: 3 }} style={{ margin: 0 }}>
                {event.body}
              </Typography.Paragraph>
            ),
            duration: 8,
            actions: event.link?.startsWith('/') ? (
              <Button size="small" type="link" onClick={() => navigateRef.current(event.link!)}>
                {T.common.view}
              </Button>
            ) : undefined,
          });
          break;
        case 'session_ended':
          stopped = true;
          source?.close();
          hotlineStore.reset();
          queryClient.setQueryData(qk.me, null);
          break;
      }
    };

    const connect = () => {
      if (stopped) return;
      hotlineStore.setConnection('connecting');
      const es = new EventSource('/api/events/stream');
      source = es;
      es.onopen = () => hotlineStore.setConnection('open');
      es.onmessage = (m: MessageEvent<string>) => {
        try {
          onEvent(JSON.parse(m.data) as ServerEvent);
        } catch {
          // A malformed message must not stop the stream.
        }
      };
      es.onerror = () => {
        hotlineStore.setConnection('retrying');
        // The browser retries network failures itself; a refused stream (401, 5xx) is closed.
        if (es.readyState === EventSource.CLOSED && !stopped) {
          void queryClient.invalidateQueries({ queryKey: qk.me });
          retry = setTimeout(connect, RECONNECT_MS);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
      hotlineStore.reset();
    };
  }, [notification, queryClient]);

  return null;
}
