import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Form, Input, Select, Space, Tabs, Tag, TreeSelect } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { beijingDays } from '../../../shared/periods.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import {
  categoryTree,
  channels,
  Due,
  fmt,
  StatusTag,
  statuses,
  UrgencyTag,
  useCategories,
  type WorkOrderSummary,
} from './common.js';
import { IntakeDialog } from './IntakeDialog.js';

/** Each tab is a server queue (`?queue=`), shown only to those whose work it is. */
const queueTabs: { key: string; permission?: string }[] = [
  { key: 'triage', permission: 'workOrder.triage' },
  { key: 'dispatch', permission: 'workOrder.dispatch' },
  { key: 'mine', permission: 'workOrder.handle' },
  { key: 'overdue' },
  { key: 'whistled' },
  { key: 'verify', permission: 'workOrder.verify' },
  { key: 'followUp', permission: 'workOrder.followUp' },
  { key: 'problem' },
  { key: 'all' },
];

/** The work-order queues: tabs, filters, a server-paged table, and 登记工单 (代录). */
export default function WorkOrdersPage() {
  const tr = useT();
  const { can } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tabs = queueTabs.filter((q) => can(q.permission));
  const queue = tabs.some((q) => q.key === params.get('queue')) ? params.get('queue')! : tabs[0].key;
  const [filters, setFilters] = useState<Record<string, unknown>>({});
  const { tableProps, query } = useServerList<WorkOrderSummary>('/api/work-orders', {
    ...filters,
    queue: queue === 'all' ? undefined : queue,
  });
  const categories = useCategories();
  const [creating, setCreating] = useState(false);

  return (
    <Card
      title={tr('ui.nav.workOrders')}
      extra={
        can('workOrder.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {tr('ui.wo.create')}
          </Button>
        )
      }
    >
      <Tabs
        activeKey={queue}
        onChange={(k) => setParams({ queue: k })}
        items={tabs.map((q) => ({ key: q.key, label: tr(`ui.wo.queue.${q.key}`) }))}
      />
      <Form
        name="workOrderFilters"
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onValuesChange={(_, all) =>
          setFilters({
            q: all.q?.trim() || undefined,
            status: all.status,
            categoryId: all.categoryId,
            channel: all.channel,
            orgUnitId: all.orgUnitId,
            ...beijingDays(all.range),
          })
        }
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={tr('ui.wo.keyword')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="status" label={tr('ui.wo.status')}>
          <Select
            allowClear
            style={{ width: 140 }}
            options={statuses.map((s) => ({ value: s, label: tr(`workOrder.status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="categoryId" label={tr('ui.wo.category')}>
          <TreeSelect
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 180 }}
            popupMatchSelectWidth={false}
            treeData={categoryTree(categories.data ?? [])}
          />
        </Form.Item>
        <Form.Item name="channel" label={tr('ui.wo.channel')}>
          <Select
            allowClear
            style={{ width: 130 }}
            options={channels.map((c) => ({ value: c, label: tr(`workOrder.channel.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="orgUnitId" label={tr('ui.wo.orgUnit')}>
          <OrgUnitPicker style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="range" label={tr('ui.wo.period')}>
          <DatePicker.RangePicker />
        </Form.Item>
      </Form>
      <ServerTable<WorkOrderSummary>
        {...tableProps}
        data-testid="work-order-table"
        onRow={(r) => ({ 'data-number': r.number }) as React.HTMLAttributes<HTMLElement>}
        // Fits 1366 px beside the menu: where and when it came in sit next to the title; long names
        // (a grid with its community, a department) are cut with an ellipsis rather than pushing
        // columns out of view.
        columns={[
          {
            title: tr('ui.wo.number'),
            dataIndex: 'number',
            width: 150,
            render: (n, r) => <Link to={`/work-orders/${r.id}`}>{n}</Link>,
          },
          {
            title: tr('ui.wo.title'),
            dataIndex: 'title',
            ellipsis: true,
            width: 220,
            render: (t, r) => (
              <Space size={4}>
                {r.urgency !== 'normal' && <UrgencyTag urgency={r.urgency} />}
                {r.problem && <Tag color="magenta">{tr('ui.wo.problemTag')}</Tag>}
                {t}
              </Space>
            ),
          },
          {
            title: tr('ui.wo.channel'),
            dataIndex: 'channel',
            width: 80,
            render: (c) => tr(`workOrder.channel.${c}`),
          },
          { title: tr('ui.wo.createdAt'), dataIndex: 'createdAt', width: 140, sorter: true, render: fmt },
          { title: tr('ui.wo.category'), dataIndex: 'categoryName', width: 100, ellipsis: true },
          {
            title: tr('ui.wo.place'),
            dataIndex: 'placeName',
            width: 150,
            ellipsis: true,
            render: (p, r) => p ?? r.address ?? '-',
          },
          {
            title: tr('ui.wo.status'),
            dataIndex: 'status',
            width: 110,
            render: (s) => <StatusTag status={s} />,
          },
          {
            title: tr('ui.wo.dueAt'),
            dataIndex: 'dueAt',
            width: 150,
            sorter: true,
            render: (d, r) => <Due at={d} overdue={r.overdue} />,
          },
          {
            title: tr('ui.wo.handler'),
            dataIndex: 'handlerName',
            width: 140,
            ellipsis: true,
            render: (h) => h ?? '-',
          },
        ]}
      />
      {creating && (
        <IntakeDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            query.refetch();
            navigate(`/work-orders/${id}`);
          }}
        />
      )}
    </Card>
  );
}
