import { useQueries } from '@tanstack/react-query';
import { Alert, Card, Space, Spin, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { Due, fmt, StatusTag, type WorkOrderDetail, type WorkOrderSummary } from './common.js';
import { WhistleTable } from './parts.js';

/**
 * 吹哨报到: work orders with a department that has not replied yet, each with who has and has not
 * reported in. The list route carries no whistles, so each row's come from its detail (a page at a time).
 */
export default function WhistleBoard() {
  const tr = useT();
  const { tableProps } = useServerList<WorkOrderSummary>('/api/work-orders', { queue: 'whistled' });
  const rows = (tableProps.dataSource ?? []) as WorkOrderSummary[];
  const details = useQueries({
    queries: rows.map((r) => ({
      queryKey: ['work-order', r.id],
      queryFn: () => api<WorkOrderDetail>(`/api/work-orders/${r.id}`),
    })),
  });
  const whistlesOf = (id: string) => details.find((d) => d.data?.id === id)?.data?.whistles;

  return (
    <Card title={tr('ui.wo.board.title')}>
      <Alert type="info" showIcon title={tr('ui.wo.board.hint')} style={{ marginBottom: 16 }} />
      <ServerTable<WorkOrderSummary>
        {...tableProps}
        data-testid="whistle-board"
        onRow={(r) => ({ 'data-number': r.number }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowKeys: rows.map((r) => r.id),
          showExpandColumn: false,
          expandedRowRender: (r) => {
            const w = whistlesOf(r.id);
            return w ? <WhistleTable whistles={w} /> : <Spin size="small" />;
          },
        }}
        columns={[
          {
            title: tr('ui.wo.number'),
            dataIndex: 'number',
            render: (n, r) => <Link to={`/work-orders/${r.id}`}>{n}</Link>,
          },
          { title: tr('ui.wo.title'), dataIndex: 'title', ellipsis: true, width: 300 },
          { title: tr('ui.wo.place'), dataIndex: 'placeName' },
          { title: tr('ui.wo.status'), dataIndex: 'status', render: (s) => <StatusTag status={s} /> },
          {
            title: tr('ui.wo.board.pending'),
            render: (_, r) => {
              const w = whistlesOf(r.id);
              if (!w) return '-';
              const waiting = w.filter((x) => !x.repliedAt);
              const late = waiting.filter((x) => new Date(x.dueAt).getTime() < Date.now());
              return (
                <Space size={4}>
                  <Typography.Text type={late.length ? 'danger' : undefined}>
                    {waiting.map((x) => x.departmentName).join('、') || '-'}
                  </Typography.Text>
                </Space>
              );
            },
          },
          {
            title: tr('ui.wo.dueAt'),
            dataIndex: 'dueAt',
            sorter: true,
            render: (d, r) => <Due at={d} overdue={r.overdue} />,
          },
          { title: tr('ui.wo.createdAt'), dataIndex: 'createdAt', sorter: true, render: fmt },
        ]}
      />
    </Card>
  );
}
