import { Card, DatePicker, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';

interface AuditView {
  id: string;
  at: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  summary: string | null;
  ip: string | null;
}

const actions = [
  'auth.login',
  'auth.loginFailed',
  'auth.locked',
  'auth.logout',
  'user.passwordChanged',
  'auth.sessionRevoked',
];

export default function Audit() {
  const tr = useT();
  const [filters, setFilters] = useState<Record<string, unknown>>({});
  const { tableProps, resetPage } = useServerList<AuditView>('/api/audit-events', filters);
  return (
    <Card title={tr('ui.nav.audit')}>
      <Form
        name="auditFilters"
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onValuesChange={(_, all) => {
          resetPage();
          setFilters({
            action: all.action || undefined,
            targetType: all.targetType || undefined,
            from: all.range?.[0]?.startOf('day').toISOString(),
            to: all.range?.[1]?.endOf('day').toISOString(),
          });
        }}
      >
        <Form.Item name="action" label={tr('ui.audit.action')}>
          <Select
            allowClear
            style={{ width: 200 }}
            options={actions.map((a) => ({ value: a, label: tr(`audit.${a}`) }))}
          />
        </Form.Item>
        <Form.Item name="targetType" label={tr('ui.audit.targetType')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="range" label={tr('ui.audit.period')}>
          <DatePicker.RangePicker />
        </Form.Item>
      </Form>
      <ServerTable<AuditView>
        {...tableProps}
        columns={[
          {
            title: tr('ui.audit.at'),
            dataIndex: 'at',
            render: (v) => new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
          },
          { title: tr('ui.audit.actor'), dataIndex: 'actorName' },
          { title: tr('ui.audit.action'), dataIndex: 'action', render: (v) => tr(`audit.${v}`) },
          {
            title: tr('ui.audit.target'),
            render: (_, r) => (r.targetType ? `${r.targetType} ${r.targetId ?? ''}` : '-'),
          },
          { title: tr('ui.audit.summary'), dataIndex: 'summary' },
          { title: 'IP', dataIndex: 'ip' },
        ]}
      />
    </Card>
  );
}
