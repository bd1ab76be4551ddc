import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, validValues } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';

interface UserView {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'resident';
  status: 'active' | 'disabled' | 'pending';
  lastLoginAt: string | null;
  createdAt: string;
  assignments: { id: string; role: string; orgName: string | null; orgPath: string | null }[];
}

const fmt = (v: string | null) =>
  v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '-';

const staffRoles = [
  'systemAdmin',
  'cityAdmin',
  'districtStaff',
  'streetStaff',
  'communitySecretary',
  'communityWorker',
  'gridLeader',
  'gridWorker',
  'buildingLeader',
  'departmentStaff',
  'partySecretary',
  'partyRecorder',
];

/** Staff accounts within the admin's subtree: create, roles at org units, disable, reset password. */
export default function Users() {
  const tr = useT();
  const { can, me } = useSession();
  const { modal, message } = App.useApp();
  const [filters, setFilters] = useState<Record<string, unknown>>({});
  const { tableProps, query, resetPage } = useServerList<UserView>('/api/users', filters);
  const [creating, setCreating] = useState(false);
  const [addingRoleTo, setAddingRoleTo] = useState<UserView | null>(null);
  const manage = can('user.manage');
  const roleOptions = staffRoles.map((r) => ({ value: r, label: tr(`role.${r}`) }));
  const allRoleOptions = [...staffRoles, 'partyMember', 'volunteer', 'resident'].map((r) => ({
    value: r,
    label: tr(`role.${r}`),
  }));

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await query.refetch();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Card
      title={tr('ui.nav.users')}
      extra={
        manage && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {tr('ui.users.create')}
          </Button>
        )
      }
    >
      <Form
        name="userFilters"
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onValuesChange={(_, all) => {
          resetPage();
          setFilters({ q: all.q || undefined, status: all.status, role: all.role, orgUnitId: all.orgUnitId });
        }}
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={tr('ui.users.q')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="status" label={tr('ui.users.status')}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={['active', 'disabled', 'pending'].map((s) => ({
              value: s,
              label: tr(`ui.status.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="role" label={tr('ui.users.role')}>
          <Select allowClear style={{ width: 200 }} options={allRoleOptions} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={tr('ui.users.orgFilter')}>
          <OrgUnitPicker style={{ width: 260 }} />
        </Form.Item>
      </Form>
      <ServerTable<UserView>
        {...tableProps}
        columns={[
          { title: tr('ui.users.username'), dataIndex: 'username', sorter: true },
          { title: tr('ui.users.displayName'), dataIndex: 'displayName', sorter: true },
          {
            title: tr('ui.users.kind'),
            dataIndex: 'kind',
            render: (k) => tr(`ui.users.kind.${k}`),
          },
          {
            title: tr('ui.users.roles'),
            render: (_, u) => (
              <Space wrap size={4}>
                {u.assignments.map((a) => (
                  <Tag
                    key={a.id}
                    closable={manage && u.id !== me.id}
                    onClose={(e) => {
                      e.preventDefault();
                      modal.confirm({
                        title: tr('ui.users.revokeRole'),
                        onOk: () => act(() => api(`/api/users/${u.id}/roles/${a.id}`, { method: 'DELETE' })),
                      });
                    }}
                  >
                    <span title={a.orgPath ?? undefined}>
                      {tr(`role.${a.role}`)} · {a.orgName ?? tr('ui.shell.wholeSystem')}
                    </span>
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: tr('ui.users.status'),
            dataIndex: 'status',
            render: (s) => (
              <Tag color={s === 'active' ? 'green' : s === 'pending' ? 'gold' : 'default'}>
                {tr(`ui.status.${s}`)}
              </Tag>
            ),
          },
          {
            title: tr('ui.users.lastLogin'),
            dataIndex: 'lastLoginAt',
            sorter: true,
            render: fmt,
          },
          { title: tr('ui.users.createdAt'), dataIndex: 'createdAt', sorter: true, render: fmt },
          ...(manage
            ? [
                {
                  title: tr('ui.actions'),
                  fixed: 'right' as const,
                  render: (_: unknown, u: UserView) =>
                    u.id !== me.id && (
                      <Space size={4} wrap>
                        <Button size="small" onClick={() => setAddingRoleTo(u)}>
                          {tr('ui.users.addRole')}
                        </Button>
                        {u.status === 'disabled' ? (
                          <Button
                            size="small"
                            onClick={() =>
                              act(() =>
                                api(`/api/users/${u.id}`, { method: 'PATCH', json: { status: 'active' } }),
                              )
                            }
                          >
                            {tr('ui.users.enable')}
                          </Button>
                        ) : (
                          <Popconfirm
                            title={tr('ui.users.disableConfirm', { name: u.displayName })}
                            onConfirm={() =>
                              act(() =>
                                api(`/api/users/${u.id}`, { method: 'PATCH', json: { status: 'disabled' } }),
                              )
                            }
                          >
                            <Button size="small" danger>
                              {tr('ui.users.disable')}
                            </Button>
                          </Popconfirm>
                        )}
                        <Popconfirm
                          title={tr('ui.users.resetPassword')}
                          onConfirm={() =>
                            act(async () => {
                              const r = await api<{ password: string }>(`/api/users/${u.id}/reset-password`, {
                                method: 'POST',
                              });
                              modal.info({
                                title: u.username,
                                content: (
                                  <>
                                    <Typography.Paragraph
                                      copyable={{ text: r.password }}
                                      data-testid="new-password"
                                    >
                                      {tr('ui.users.newPassword', { password: r.password })}
                                    </Typography.Paragraph>
                                    <Typography.Text type="secondary">
                                      {tr('ui.users.passwordOnce')}
                                    </Typography.Text>
                                  </>
                                ),
                              });
                            })
                          }
                        >
                          <Button size="small">{tr('ui.users.resetPassword')}</Button>
                        </Popconfirm>
                        <Button
                          size="small"
                          onClick={() =>
                            act(async () => {
                              const r = await api<{ revoked: number }>(`/api/users/${u.id}/sessions`, {
                                method: 'DELETE',
                              });
                              message.success(tr('ui.users.revokeSessionsDone', { count: r.revoked }));
                            })
                          }
                        >
                          {tr('ui.users.revokeSessions')}
                        </Button>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {creating && (
        <CreateUser
          roleOptions={roleOptions}
          onClose={(changed) => {
            setCreating(false);
            if (changed) query.refetch();
          }}
        />
      )}
      {addingRoleTo && (
        <AddRole
          user={addingRoleTo}
          roleOptions={roleOptions}
          onClose={(changed) => {
            setAddingRoleTo(null);
            if (changed) query.refetch();
          }}
        />
      )}
    </Card>
  );
}

function CreateUser({
  roleOptions,
  onClose,
}: {
  roleOptions: { value: string; label: string }[];
  onClose: (changed: boolean) => void;
}) {
  const tr = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm();
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    try {
      const created = await api<{ username: string; initialPassword: string | null }>('/api/users', {
        method: 'POST',
        json: { ...v, password: v.password || undefined, orgUnitId: v.orgUnitId ?? null },
      });
      onClose(true);
      modal.success({
        title: tr('ui.users.created', { username: created.username }),
        content: created.initialPassword && (
          <>
            <Typography.Paragraph copyable={{ text: created.initialPassword }} data-testid="new-password">
              {tr('ui.users.initialPassword', { password: created.initialPassword })}
            </Typography.Paragraph>
            <Typography.Text type="secondary">{tr('ui.users.passwordOnce')}</Typography.Text>
          </>
        ),
      });
    } catch (err) {
      if (!applyFieldErrors(form, err)) modal.error({ title: (err as Error).message });
    }
  };
  return (
    <Modal
      open
      title={tr('ui.users.create')}
      onOk={submit}
      onCancel={() => onClose(false)}
      okText={tr('ui.save')}
      cancelText={tr('ui.cancel')}
    >
      <Form form={form} name="createUser" layout="vertical">
        <Form.Item
          name="username"
          label={tr('ui.users.username')}
          rules={[{ required: true, message: tr('validation.required') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={tr('ui.users.displayName')}
          rules={[{ required: true, message: tr('validation.required') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="password" label={tr('ui.users.password')} extra={tr('ui.users.passwordHint')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="role"
          label={tr('ui.users.role')}
          rules={[{ required: true, message: tr('validation.required') }]}
        >
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={tr('ui.users.orgUnit')} extra={tr('ui.users.wholeSystemHint')}>
          <OrgUnitPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddRole({
  user,
  roleOptions,
  onClose,
}: {
  user: UserView;
  roleOptions: { value: string; label: string }[];
  onClose: (changed: boolean) => void;
}) {
  const tr = useT();
  const [form] = Form.useForm();
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    try {
      await api(`/api/users/${user.id}/roles`, {
        method: 'POST',
        json: { role: v.role, orgUnitId: v.orgUnitId ?? null },
      });
      onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err)) form.setFields([{ name: 'role', errors: [(err as Error).message] }]);
    }
  };
  return (
    <Modal
      open
      title={`${tr('ui.users.addRole')} · ${user.displayName}`}
      onOk={submit}
      onCancel={() => onClose(false)}
      okText={tr('ui.save')}
      cancelText={tr('ui.cancel')}
    >
      <Form form={form} name="addRole" layout="vertical">
        <Form.Item
          name="role"
          label={tr('ui.users.role')}
          rules={[{ required: true, message: tr('validation.required') }]}
        >
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={tr('ui.users.orgUnit')} extra={tr('ui.users.wholeSystemHint')}>
          <OrgUnitPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
