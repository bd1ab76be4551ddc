import { KeyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, validValues } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';

interface KeyRow {
  id: string;
  name: string;
  keyPrefix: string;
  orgUnitName: string | null;
  createdByName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const fmt = (v: string | null) =>
  v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '-';

/**
 * Open311 API keys: issue one (the key is shown once, in a dialog, and never again — only its hash
 * is kept), see when each was last used, revoke one.
 */
export default function KeysPage() {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ name: string; key: string } | null>(null);
  const keys = useQuery({ queryKey: ['open311-keys'], queryFn: () => api<KeyRow[]>('/api/open311/keys') });

  const create = async () => {
    const values = await validValues(form);
    if (!values) return;
    try {
      const made = await api<KeyRow & { key: string }>('/api/open311/keys', {
        method: 'POST',
        json: { name: values.name, orgUnitId: values.orgUnitId || undefined },
      });
      setCreating(false);
      form.resetFields();
      setIssued({ name: made.name, key: made.key });
      await keys.refetch();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error((err as Error).message);
    }
  };

  const revoke = async (row: KeyRow) => {
    try {
      await api(`/api/open311/keys/${row.id}/revoke`, { method: 'POST', json: {} });
      message.success(tr('ui.open311.revoked'));
    } catch (err) {
      message.error((err as Error).message);
    }
    await keys.refetch();
  };

  return (
    <Card
      title={tr('ui.nav.open311Keys')}
      extra={
        <Button type="primary" icon={<KeyOutlined />} onClick={() => setCreating(true)}>
          {tr('ui.open311.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {tr('ui.open311.intro', { url: `${window.location.origin}/open311/v2/discovery.json` })}
      </Typography.Paragraph>
      {keys.error && <Alert type="error" showIcon title={(keys.error as Error).message} />}
      <Table<KeyRow>
        rowKey="id"
        loading={keys.isLoading}
        dataSource={keys.data ?? []}
        pagination={false}
        columns={[
          { title: tr('ui.open311.name'), dataIndex: 'name' },
          {
            title: tr('ui.open311.prefix'),
            dataIndex: 'keyPrefix',
            render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
          },
          {
            title: tr('ui.open311.scope'),
            dataIndex: 'orgUnitName',
            render: (v) => v ?? tr('ui.open311.allUnits'),
          },
          { title: tr('ui.open311.createdBy'), dataIndex: 'createdByName', render: (v) => v ?? '-' },
          { title: tr('ui.open311.createdAt'), dataIndex: 'createdAt', render: fmt },
          { title: tr('ui.open311.lastUsedAt'), dataIndex: 'lastUsedAt', render: fmt },
          {
            title: tr('ui.open311.status'),
            dataIndex: 'revokedAt',
            render: (v: string | null) =>
              v ? (
                <Tag>{tr('ui.open311.revokedAt', { at: fmt(v) })}</Tag>
              ) : (
                <Tag color="green">{tr('ui.open311.active')}</Tag>
              ),
          },
          {
            title: '',
            key: 'actions',
            render: (_, row) =>
              row.revokedAt ? null : (
                <Popconfirm
                  title={tr('ui.open311.revokeConfirm', { name: row.name })}
                  onConfirm={() => revoke(row)}
                >
                  <Button danger size="small">
                    {tr('ui.open311.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={tr('ui.open311.create')}
        okText={tr('ui.open311.create')}
        onOk={create}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="open311Key">
          <Form.Item
            name="name"
            label={tr('ui.open311.name')}
            rules={[{ required: true, message: tr('ui.open311.nameRequired') }]}
          >
            <Input maxLength={60} placeholder={tr('ui.open311.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="orgUnitId" label={tr('ui.open311.scope')} extra={tr('ui.open311.scopeHelp')}>
            <OrgUnitPicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!issued}
        title={tr('ui.open311.issued', { name: issued?.name ?? '' })}
        onOk={() => setIssued(null)}
        onCancel={() => setIssued(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
        okText={tr('ui.open311.saved')}
      >
        <Alert type="warning" showIcon title={tr('ui.open311.showOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: issued?.key }} code data-testid="open311-key">
          {issued?.key}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
