import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Col, Empty, Input, Row, Space, Statistic, Tabs, Tag, Tree } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { GridMap, gridColors } from '../../../shared/GridMap.js';
import { useT } from '../../../shared/i18n.js';
import { BuildingList, GridList } from './lists.js';
import { DivisionImportButton, UnitActions, type UnitSummary } from './OrgActions.js';

interface UnitNode {
  id: string;
  code: string;
  name: string;
  /** A grid with its community: search hits stand outside the tree. */
  label: string;
  kind: string;
  subtype: string | null;
  hasChildren: boolean;
}

interface TreeNode {
  key: string;
  title: string;
  isLeaf: boolean;
  children?: TreeNode[];
}

const toNode = (u: UnitNode): TreeNode => ({
  key: u.id,
  title: u.name,
  isLeaf: !u.hasChildren || u.kind === 'grid',
});

function insertChildren(nodes: TreeNode[], key: string, children: TreeNode[]): TreeNode[] {
  return nodes.map((n) =>
    n.key === key
      ? { ...n, children }
      : n.children
        ? { ...n, children: insertChildren(n.children, key, children) }
        : n,
  );
}

/** The org tree browser: lazy tree with search on the left, the selected unit's counts, map and lists on the right. */
export default function OrgPage() {
  const tr = useT();
  const [tree, setTree] = useState<TreeNode[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [version, setVersion] = useState(0);
  useQuery({
    queryKey: ['org-roots'],
    queryFn: async () => {
      const r = await api<{ items: UnitNode[] }>('/api/org-units');
      setTree(r.items.map(toNode));
      // A fresh tree component: antd remembers which nodes it loaded and would not load them again.
      setVersion((v) => v + 1);
      if (!selected && r.items[0]) setSelected(r.items[0].id);
      return r;
    },
  });
  const found = useQuery({
    queryKey: ['org-search', search],
    enabled: search.length > 0,
    queryFn: () => api<{ items: UnitNode[] }>(`/api/org-units?q=${encodeURIComponent(search)}&pageSize=50`),
  });
  const loadData = async (node: { key: React.Key }) => {
    const r = await api<{ items: UnitNode[] }>(`/api/org-units?parentId=${node.key}&pageSize=1000`);
    setTree((t) =>
      insertChildren(t ?? [], String(node.key), r.items.filter((u) => u.kind !== 'building').map(toNode)),
    );
  };

  return (
    <Row gutter={16}>
      <Col xs={24} md={7} lg={6}>
        <Card size="small" title={tr('ui.org.tree')} extra={<DivisionImportButton />}>
          <Input.Search
            allowClear
            placeholder={tr('ui.org.search')}
            onSearch={setSearch}
            style={{ marginBottom: 8 }}
          />
          {search ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              {(found.data?.items ?? []).map((u) => (
                <Button key={u.id} type="link" size="small" onClick={() => setSelected(u.id)}>
                  {u.label} <Tag>{tr(`org.kind.${u.kind}`)}</Tag>
                </Button>
              ))}
              {found.data?.items.length === 0 && <Empty description={tr('ui.org.noMatch')} />}
            </Space>
          ) : (
            tree && (
              <Tree
                key={version}
                treeData={tree}
                loadData={loadData}
                selectedKeys={selected ? [selected] : []}
                onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
                height={620}
              />
            )
          )}
        </Card>
      </Col>
      <Col xs={24} md={17} lg={18}>
        {selected ? <UnitView id={selected} onSelect={setSelected} /> : <Empty />}
      </Col>
    </Row>
  );
}

interface UnitDetail extends UnitSummary {
  parentId: string | null;
  breadcrumbs: { id: string; name: string }[];
}

function UnitView({ id, onSelect }: { id: string; onSelect: (id: string) => void }) {
  const tr = useT();
  const unit = useQuery({
    queryKey: ['org-unit', id],
    queryFn: () => api<UnitDetail>(`/api/org-units/${id}`),
    // The previous unit stays on screen while the next loads, so its map is kept, not re-made.
    placeholderData: keepPreviousData,
  });
  const stats = useQuery({
    queryKey: ['org-stats', id],
    queryFn: () =>
      api<{ byKind: Record<string, number>; gridsByType: Record<string, number> }>(
        `/api/org-units/${id}/stats`,
      ),
    placeholderData: keepPreviousData,
  });
  if (!unit.data) return <Card loading />;
  const u = unit.data;
  const s = stats.data;
  return (
    <Card
      extra={
        <UnitActions
          unit={u}
          onChanged={(deleted) => {
            stats.refetch();
            if (deleted && u.parentId) onSelect(u.parentId);
          }}
        />
      }
      title={
        <Space direction="vertical" size={0}>
          <Breadcrumb
            items={[
              ...u.breadcrumbs.map((b) => ({
                title: (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, height: 'auto' }}
                    onClick={() => onSelect(b.id)}
                  >
                    {b.name}
                  </Button>
                ),
              })),
              { title: u.name },
            ]}
          />
          <span>
            {u.name} <Tag>{u.subtype ?? tr(`org.kind.${u.kind}`)}</Tag> <Tag color="default">{u.code}</Tag>
          </span>
        </Space>
      }
    >
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {['street', 'community', 'grid', 'building'].map((k) => (
          <Col key={k} span={6}>
            <Statistic title={tr(`org.kind.${k}`)} value={s?.byKind[k] ?? 0} loading={!s} />
          </Col>
        ))}
      </Row>
      {s && Object.keys(s.gridsByType).length > 0 && (
        <Space style={{ marginBottom: 16 }} wrap>
          {Object.entries(s.gridsByType).map(([type, n]) => (
            <Tag key={type} color={gridColors[type]}>
              {tr(`org.gridType.${type}`)} {n}
            </Tag>
          ))}
        </Space>
      )}
      <Tabs
        items={[
          { key: 'map', label: tr('ui.org.map'), children: <GridMap orgUnitId={id} /> },
          {
            key: 'grids',
            label: tr('ui.org.grids'),
            children: <GridList orgUnitId={id} unitKind={u.kind} />,
          },
          { key: 'buildings', label: tr('ui.org.buildings'), children: <BuildingList orgUnitId={id} /> },
        ]}
      />
    </Card>
  );
}
