import { Button, Form, Input, Select, Space, Tag } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { gridColors } from '../../../shared/GridMap.js';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';

const GridEditor = lazy(() => import('./GridEditor.js'));

interface GridRow {
  id: string;
  code: string;
  name: string;
  type: string;
  communityName: string | null;
  targetHouseholds: number | null;
  buildingCount: number;
}

export function GridList({ orgUnitId, unitKind }: { orgUnitId: string; unitKind: string }) {
  const tr = useT();
  const { can } = useSession();
  const [filters, setFilters] = useState<Record<string, unknown>>({});
  const [creating, setCreating] = useState(false);
  const { tableProps, query, resetPage } = useServerList<GridRow>('/api/grids', { ...filters, orgUnitId });
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Form
          name="gridFilters"
          layout="inline"
          onValuesChange={(_, all) => {
            resetPage();
            setFilters({ type: all.type, q: all.q || undefined });
          }}
        >
          <Form.Item name="q">
            <Input.Search allowClear placeholder={tr('ui.org.search')} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="type" label={tr('ui.org.gridType')}>
            <Select
              allowClear
              style={{ width: 120 }}
              options={['basic', 'exclusive', 'micro', 'total'].map((t) => ({
                value: t,
                label: tr(`org.gridType.${t}`),
              }))}
            />
          </Form.Item>
        </Form>
        {can('org.write') && ['community', 'grid'].includes(unitKind) && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {tr('ui.org.newGrid')}
          </Button>
        )}
      </Space>
      <ServerTable<GridRow>
        {...tableProps}
        columns={[
          { title: tr('ui.org.code'), dataIndex: 'code', sorter: true },
          { title: tr('ui.org.gridName'), dataIndex: 'name', sorter: true },
          {
            title: tr('ui.org.gridType'),
            dataIndex: 'type',
            render: (t) => <Tag color={gridColors[t]}>{tr(`org.gridType.${t}`)}</Tag>,
          },
          { title: tr('org.kind.community'), dataIndex: 'communityName' },
          { title: tr('ui.org.households'), dataIndex: 'targetHouseholds' },
          { title: tr('org.kind.building'), dataIndex: 'buildingCount' },
        ]}
      />
      {creating && (
        <Suspense>
          <GridEditor
            parentId={orgUnitId}
            onClose={(changed) => {
              setCreating(false);
              if (changed) query.refetch();
            }}
          />
        </Suspense>
      )}
    </>
  );
}

interface BuildingRow {
  id: string;
  code: string;
  name: string;
  address: string | null;
  gridName: string | null;
  units: number;
  floors: number;
}

export function BuildingList({ orgUnitId }: { orgUnitId: string }) {
  const tr = useT();
  const [q, setQ] = useState('');
  const { tableProps } = useServerList<BuildingRow>('/api/buildings', { orgUnitId, q: q || undefined });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={tr('ui.org.searchBuilding')}
          onSearch={setQ}
          style={{ width: 240 }}
        />
        <Button href={`/org/qr?orgUnitId=${orgUnitId}`} target="_blank">
          {tr('ui.org.printQr')}
        </Button>
      </Space>
      <ServerTable<BuildingRow>
        {...tableProps}
        columns={[
          { title: tr('ui.org.code'), dataIndex: 'code' },
          { title: tr('ui.org.buildingName'), dataIndex: 'name' },
          { title: tr('ui.org.address'), dataIndex: 'address' },
          { title: tr('org.kind.grid'), dataIndex: 'gridName' },
          {
            title: tr('ui.org.layout'),
            render: (_, b) => tr('ui.org.layoutValue', { units: b.units, floors: b.floors }),
          },
          {
            title: 'QR',
            render: (_, b) => (
              <img alt={b.code} src={`/api/buildings/${b.id}/qr.svg`} width={48} height={48} loading="lazy" />
            ),
          },
        ]}
      />
    </>
  );
}
