import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../shared/api.js';
import { useT } from '../shared/i18n.js';

interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** The header bell: unread count (polled every 30 s), the latest messages, mark read on open. */
export function NotificationBell() {
  const tr = useT();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api<{ unread: number }>('/api/notifications/unread-count'),
    refetchInterval: 30_000,
  });
  const latest = useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: () => api<{ items: Notification[] }>('/api/notifications?pageSize=8'),
    enabled: false,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });
  const open = async (n: Notification) => {
    if (!n.readAt) await api(`/api/notifications/${n.id}/read`, { method: 'POST' }).catch(() => {});
    await refresh();
    if (n.link) navigate(n.link);
  };
  const readAll = async () => {
    await api('/api/notifications/read-all', { method: 'POST' });
    await refresh();
  };
  const count = unread.data?.unread ?? 0;
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      onOpenChange={(visible) => visible && latest.refetch()}
      title={
        <span style={{ display: 'flex', justifyContent: 'space-between', gap: 16 }}>
          {tr('ui.notifications.title')}
          {count > 0 && (
            <Button type="link" size="small" onClick={readAll}>
              {tr('ui.notifications.readAll')}
            </Button>
          )}
        </span>
      }
      content={
        <div style={{ width: 340, maxHeight: 420, overflow: 'auto' }}>
          {latest.data?.items.length ? (
            <List
              size="small"
              dataSource={latest.data.items}
              renderItem={(n) => (
                <List.Item style={{ cursor: 'pointer' }} onClick={() => open(n)}>
                  <List.Item.Meta
                    title={<Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>}
                    description={
                      <>
                        {n.body && <div>{n.body}</div>}
                        {new Date(n.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tr('ui.notifications.empty')} />
          )}
        </div>
      }
    >
      <Badge count={count} size="small" offset={[-4, 4]}>
        <Button type="text" icon={<BellOutlined />} aria-label={tr('ui.notifications.title')} />
      </Badge>
    </Popover>
  );
}
