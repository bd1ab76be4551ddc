import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { api, queryString } from './api.js';
import { useT } from './i18n.js';

/** One row of `GET /api/org-units` (roots of the caller's scope, children of `parentId`, or search hits). */
export interface UnitNode {
  id: string;
  code: string;
  name: string;
  /** The name people tell it apart by: a grid with its community ("吉劳庆社区 第5网格"). */
  label: string;
  kind: string;
  hasChildren: boolean;
}

interface TreeNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  /** Shown once chosen, away from the tree: with the community for a grid. */
  label: string;
  kind: string;
  isLeaf: boolean;
}

/** In the tree a grid sits under its community; a search hit or a chosen unit stands alone and is named by its label. */
const toNode = (u: UnitNode, pId: string | null, leaf = !u.hasChildren, alone = false): TreeNode => ({
  id: u.id,
  pId,
  value: u.id,
  title: `${alone ? u.label : u.name}（${u.code}）`,
  label: `${u.label}（${u.code}）`,
  kind: u.kind,
  isLeaf: leaf,
});

/**
 * Picks an org unit from the caller's own subtree. The roots come first; children load as a branch
 * opens (`?parentId=`); typing searches the whole subtree on the server (`?q=`).
 */
export function OrgUnitPicker(props: {
  value?: string;
  /** With the unit's kind (grid, building …), for forms that ask different things of each. */
  onChange?: (id: string | undefined, unit?: { kind: string; title: string }) => void;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
}) {
  const tr = useT();
  const [nodes, setNodes] = useState<TreeNode[]>([]);
  const [search, setSearch] = useState('');
  const [hits, setHits] = useState<TreeNode[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<TreeNode | null>(null);

  useEffect(() => {
    api<{ items: UnitNode[] }>('/api/org-units')
      .then((r) => setNodes(r.items.map((u) => toNode(u, null))))
      .catch((e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    const q = search.trim();
    if (!q) {
      setHits(null);
      return;
    }
    const timer = setTimeout(() => {
      api<{ items: UnitNode[] }>(`/api/org-units${queryString({ q, pageSize: 50 })}`)
        .then((r) => setHits(r.items.map((u) => toNode(u, null, true, true))))
        .catch((e: Error) => setError(e.message));
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);

  const loadData = async (node: { id?: string }) => {
    const parentId = node.id;
    if (!parentId) return;
    const r = await api<{ items: UnitNode[] }>(`/api/org-units${queryString({ parentId })}`);
    setNodes((prev) => [
      ...prev.filter((n) => n.pId !== parentId),
      ...r.items.map((u) => toNode(u, parentId)),
    ]);
  };

  // A unit given from outside (a form's starting value, an address) is named, not shown as its id.
  const known = !props.value || picked?.value === props.value || nodes.some((n) => n.value === props.value);
  useEffect(() => {
    if (known || !props.value) return;
    let live = true;
    api<UnitNode>(`/api/org-units/${props.value}`)
      .then((u) => live && setPicked(toNode(u, null, true, true)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [known, props.value]);

  // Keep the chosen unit's label when it came from a search hit that is not in the loaded tree.
  const extra = picked && picked.value === props.value && !nodes.some((n) => n.id === picked.id);
  const treeData = hits ?? (extra ? [...nodes, { ...picked, pId: null }] : nodes);

  return (
    <TreeSelect
      id={props.id}
      treeDataSimpleMode
      treeData={treeData}
      treeNodeLabelProp="label"
      loadData={hits ? undefined : (loadData as never)}
      value={props.value}
      onChange={(v) => {
        const hit = hits?.find((h) => h.value === v);
        if (hit) setPicked(hit);
        setSearch('');
        const node = hit ?? nodes.find((n) => n.value === v);
        props.onChange?.(v ?? undefined, node && { kind: node.kind, title: node.label });
      }}
      placeholder={props.placeholder ?? tr('ui.orgPicker.placeholder')}
      showSearch
      searchValue={search}
      onSearch={setSearch}
      filterTreeNode={false}
      notFoundContent={error ?? tr('ui.orgPicker.none')}
      style={{ width: '100%', ...props.style }}
      popupMatchSelectWidth={false}
      allowClear
    />
  );
}
