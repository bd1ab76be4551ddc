import { Alert, Card, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { Due, fmt, StatusTag, type Whistle, type WorkOrderSummary } from './common.js';
import { WhistleTable } from './parts.js';

type BoardRow = WorkOrderSummary & { whistles: Whistle[] };

/**
 * 吹哨报到: work orders with a department that has not replied yet, each with who has and has not
 * reported in (the whistled queue carries each row's whistles). A department sees its own.
 */
export default function WhistleBoard() {
  const tr = useT();
  const { tableProps } = useServerList<BoardRow>('/api/work-orders', { queue: 'whistled' });
  const rows = (tableProps.dataSource ?? []) as BoardRow[];

  return (
    <Card title={tr('ui.wo.board.title')}>
      <Alert type="info" showIcon title={tr('ui.wo.board.hint')} style={{ marginBottom: 16 }} />
      <ServerTable<BoardRow>
        {...tableProps}
        data-testid="whistle-board"
        onRow={(r) => ({ 'data-number': r.number }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowKeys: rows.map((r) => r.id),
          showExpandColumn: false,
          expandedRowRender: (r) => <WhistleTable whistles={r.whistles} />,
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
              const waiting = r.whistles.filter((x) => !x.repliedAt);
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
