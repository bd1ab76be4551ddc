import { LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Layout, Menu, type MenuProps, Select, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../shared/api.js';
import { useT } from '../shared/i18n.js';
import { LanguageSwitch } from '../shared/LanguageSwitch.js';
import { NotificationBell } from './NotificationBell.js';
import { groupOrder, nav } from './nav.js';
import { type Me, useSession } from './session.js';

/** The app shell: menu by permission, header with who you are, where, in which role, and logout. */
export default function Shell({ children }: { children: ReactNode }) {
  const tr = useT();
  const { me, can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = App.useApp();

  const visible = nav.filter((n) => !n.hidden && can(n.permission));
  const items: NonNullable<MenuProps['items']> = [];
  const groups = new Map<string, { key: string; label: string; type: 'group'; children: any[] }>();
  for (const n of visible) {
    const entry = { key: n.path.replace(/\/\*$/, ''), icon: n.icon, label: tr(n.labelKey) };
    if (!n.group) items.push(entry);
    else {
      if (!groups.has(n.group))
        groups.set(n.group, { key: n.group, label: tr(n.group), type: 'group', children: [] });
      groups.get(n.group)!.children.push(entry);
    }
  }
  const rank = (g: string) => {
    const i = groupOrder.indexOf(g);
    return i >= 0 ? i : groupOrder.indexOf('ui.group.admin') - 0.5;
  };
  items.push(...[...groups.values()].sort((a, b) => rank(a.key) - rank(b.key)));
  const selected = visible
    .map((n) => n.path.replace(/\/\*$/, ''))
    .filter((p) => p === location.pathname || (p !== '/' && location.pathname.startsWith(p)))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);

  const logout = async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
    qc.clear();
    qc.setQueryData(['me'], null);
    navigate('/');
  };

  const actAs = async (assignmentId: string | null) => {
    const next = await api<Me>('/api/auth/act-as', { method: 'POST', json: { assignmentId } });
    qc.setQueryData(['me'], next);
    await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    message.success(tr('ui.shell.switched'));
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={220}
        breakpoint="lg"
        collapsedWidth={0}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <div style={{ padding: '16px 20px', fontWeight: 700, fontSize: 17, color: '#c0392b' }}>
          {tr('ui.appName')}
        </div>
        <Menu
          mode="inline"
          selectedKeys={selected}
          items={items}
          onClick={(e) => navigate(e.key)}
          style={{ borderInlineEnd: 0 }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space size="middle">
            {me.assignments.length > 1 && (
              <Select
                aria-label={tr('ui.shell.actAs')}
                style={{ minWidth: 260 }}
                value={me.actingAssignmentId ?? ''}
                onChange={(v) => actAs(v || null)}
                options={[
                  { value: '', label: tr('ui.shell.allRoles') },
                  ...me.assignments.map((a) => ({
                    value: a.id,
                    label: `${tr(`role.${a.role}`)} · ${a.orgName ?? tr('ui.shell.wholeSystem')}`,
                  })),
                ]}
              />
            )}
            {me.assignments.length === 1 && (
              <Typography.Text type="secondary">
                {tr(`role.${me.assignments[0].role}`)} ·{' '}
                {me.assignments[0].orgName ?? tr('ui.shell.wholeSystem')}
              </Typography.Text>
            )}
            <Typography.Text strong data-testid="current-user">
              {me.displayName}
            </Typography.Text>
            <NotificationBell />
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={logout}>
              {tr('ui.shell.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
