import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import { api } from '../../shared/api.js';
import { useT } from '../../shared/i18n.js';
import { PasswordForm } from '../PasswordForm.js';

interface SessionView {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

const fmt = (s: string) => new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });

/** Change password; see and end one's own sessions. */
export default function Account() {
  const tr = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const sessions = useQuery({
    queryKey: ['my-sessions'],
    queryFn: () => api<SessionView[]>('/api/auth/sessions'),
  });

  const revoke = async (id: string) => {
    try {
      await api(`/api/auth/sessions/${id}`, { method: 'DELETE' });
    } catch (err) {
      message.error((err as Error).message);
    }
    qc.invalidateQueries({ queryKey: ['my-sessions'] });
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={tr('ui.account.changePassword')} style={{ maxWidth: 520 }}>
        <PasswordForm onChanged={() => qc.invalidateQueries({ queryKey: ['my-sessions'] })} />
      </Card>
      <Card title={tr('ui.account.sessions')}>
        <Table<SessionView>
          rowKey="id"
          size="small"
          loading={sessions.isLoading}
          dataSource={sessions.data ?? []}
          pagination={false}
          columns={[
            {
              title: tr('ui.account.device'),
              dataIndex: 'userAgent',
              ellipsis: true,
              render: (v, r) => (
                <>
                  {v ?? '-'} {r.current && <Tag color="green">{tr('ui.account.thisDevice')}</Tag>}
                </>
              ),
            },
            { title: tr('ui.ip'), dataIndex: 'ip' },
            { title: tr('ui.account.signedIn'), dataIndex: 'createdAt', render: fmt },
            { title: tr('ui.account.lastSeen'), dataIndex: 'lastSeenAt', render: fmt },
            {
              title: '',
              render: (_, r) =>
                !r.current && (
                  <Popconfirm title={tr('ui.account.revokeConfirm')} onConfirm={() => revoke(r.id)}>
                    <Button size="small" danger>
                      {tr('ui.account.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
