import { Card, DatePicker, Form, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import { catalogues } from '../../../../i18n/index.js';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { beijingDays } from '../../../shared/periods.js';
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
  actionName: string;
  actorLabel: string | null;
  targetLabel: string | null;
}

// Every audit action with a name in the catalogue (`audit.<action>` keys, added by each domain).
const actions = Object.keys(catalogues['zh-CN'])
  .filter((k) => k.startsWith('audit.'))
  .map((k) => k.slice('audit.'.length));

/** Picks a user by typing part of their username or name (`GET /api/users?q=`). */
function UserSearch(props: { value?: string; onChange?: (id: string | undefined) => void }) {
  const tr = useT();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    const timer = setTimeout(() => {
      api<{ items: { id: string; username: string; displayName: string }[] }>(
        `/api/users${queryString({ q: q.trim(), pageSize: 20 })}`,
      )
        .then((r) =>
          setOptions(r.items.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))),
        )
        .catch(() => setOptions([]));
    }, 300);
    return () => clearTimeout(timer);
  }, [q]);
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      options={options}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      placeholder={tr('ui.audit.actorSearch')}
      style={{ width: 220 }}
    />
  );
}

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
            actorId: all.actorId || undefined,
            targetType: all.targetType || undefined,
            ...beijingDays(all.range, { inclusive: true }),
          });
        }}
      >
        <Form.Item name="action" label={tr('ui.audit.action')}>
          <Select
            allowClear
            style={{ width: 200 }}
            showSearch
            optionFilterProp="label"
            options={actions.map((a) => ({ value: a, label: tr(`audit.${a}`) }))}
          />
        </Form.Item>
        <Form.Item name="actorId" label={tr('ui.audit.actorFilter')}>
          <UserSearch />
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
          // Named by the server: the person with their roles, the action and the record in Chinese.
          { title: tr('ui.audit.actor'), dataIndex: 'actorLabel', render: (v) => v ?? '-' },
          { title: tr('ui.audit.action'), dataIndex: 'actionName' },
          { title: tr('ui.audit.target'), dataIndex: 'targetLabel', render: (v) => v ?? '-' },
          { title: tr('ui.audit.summary'), dataIndex: 'summary' },
          { title: tr('ui.ip'), dataIndex: 'ip' },
        ]}
      />
    </Card>
  );
}
