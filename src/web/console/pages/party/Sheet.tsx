import { useQuery } from '@tanstack/react-query';
import { Alert, App, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useSession } from '../../session.js';
import { type Catalog, type CatalogItem, type QuarterStatus, QuarterTag } from './common.js';

interface SheetData {
  org: { id: string; name: string };
  month: string;
  quarterStatus: QuarterStatus;
  catalog: Catalog;
  members: { id: string; name: string }[];
  entries: { memberId: string; itemId: string; points: number; status: string }[];
}

/**
 * 月记表: the branch's members × the catalogue's items for one month. A recorder types points into a
 * cell and presses Enter (Tab moves on): one entry is recorded; the cell shows the month's total.
 */
export function Sheet({ orgId, month }: { orgId: string; month: string }) {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const sheet = useQuery({
    queryKey: ['party-sheet', orgId, month],
    queryFn: () => api<SheetData>(`/api/party/orgs/${orgId}/sheet?month=${month}`),
  });
  const [drafts, setDrafts] = useState<Record<string, number | null>>({});
  if (sheet.error) return <Alert type="warning" showIcon title={sheet.error.message} />;
  const data = sheet.data;
  const writable = can('party.record') && data?.quarterStatus === 'open';
  const total = (memberId: string, itemId?: string) =>
    (data?.entries ?? [])
      .filter((e) => e.memberId === memberId && (!itemId || e.itemId === itemId) && e.status === 'confirmed')
      .reduce((s, e) => s + e.points, 0);

  const record = async (memberId: string, item: CatalogItem, points: number) => {
    const cell = `${memberId}:${item.id}`;
    try {
      await api('/api/party/entries', {
        method: 'POST',
        json: { partyOrgId: orgId, memberId, itemId: item.id, month, points },
      });
      message.success(tr('ui.party.recorded', { item: item.name, points }));
      setDrafts((d) => ({ ...d, [cell]: null }));
      await sheet.refetch();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  const itemColumn = (item: CatalogItem) => ({
    key: item.id,
    width: 120,
    title: (
      <Space direction="vertical" size={0}>
        <span>{item.name}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {tr(`ui.party.category.${item.category}`)} {item.points > 0 ? `+${item.points}` : item.points} ·{' '}
          {tr('ui.party.cap', { cap: item.capPerQuarter })}
        </Typography.Text>
      </Space>
    ),
    render: (_: unknown, m: { id: string; name: string }) => {
      const sum = total(m.id, item.id);
      return (
        <Space size={4}>
          <span style={{ minWidth: 24, display: 'inline-block' }}>{sum || ''}</span>
          {writable && (
            <InputNumber
              size="small"
              style={{ width: 64 }}
              placeholder={String(item.points)}
              precision={0}
              value={drafts[`${m.id}:${item.id}`] ?? null}
              onChange={(v) => setDrafts((d) => ({ ...d, [`${m.id}:${item.id}`]: v }))}
              aria-label={tr('ui.party.cellLabel', { member: m.name, item: item.name })}
              onPressEnter={() => void record(m.id, item, drafts[`${m.id}:${item.id}`] ?? item.points)}
            />
          )}
        </Space>
      );
    },
  });

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {data && <QuarterTag status={data.quarterStatus} />}
        {data && (
          <Typography.Text type="secondary">
            {tr('ui.party.catalogVersion', { version: data.catalog.version })}
            {writable ? ` · ${tr('ui.party.sheetHint')}` : ''}
          </Typography.Text>
        )}
      </Space>
      <Table
        data-testid="points-sheet"
        size="small"
        bordered
        rowKey="id"
        loading={sheet.isFetching}
        pagination={false}
        scroll={{ x: 'max-content', y: 560 }}
        dataSource={data?.members ?? []}
        columns={[
          { title: tr('ui.party.name'), dataIndex: 'name', fixed: 'left', width: 90 },
          ...(data?.catalog.items ?? []).map(itemColumn),
          {
            title: tr('ui.party.monthTotal'),
            key: 'total',
            fixed: 'right',
            width: 80,
            render: (_, m) => total(m.id),
          },
        ]}
      />
    </>
  );
}
