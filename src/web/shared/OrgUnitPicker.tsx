import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { api } from './api.js';

interface UnitNode {
  id: string;
  code: string;
  name: string;
  kind: string;
  hasChildren: boolean;
}

interface TreeNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
}

const toNode = (u: UnitNode, pId: string | null): TreeNode => ({
  id: u.id,
  pId,
  value: u.id,
  title: `${u.name}（${u.code}）`,
  isLeaf: !u.hasChildren,
});

/** Picks an org unit from the caller's own subtree; children load as branches open. */
export function OrgUnitPicker(props: {
  value?: string;
  onChange?: (id: string) => void;
  placeholder?: string;
}) {
  const [nodes, setNodes] = useState<TreeNode[]>([]);
  useEffect(() => {
    api<{ items: UnitNode[] }>('/api/org-units').then((r) => setNodes(r.items.map((u) => toNode(u, null))));
  }, []);
  const loadData = async (node: { id?: string }) => {
    if (!node.id) return;
    const r = await api<{ items: UnitNode[] }>(`/api/org-units?parentId=${node.id}`);
    setNodes((prev) => [
      ...prev.filter((n) => n.pId !== node.id),
      ...r.items.map((u) => toNode(u, node.id!)),
    ]);
  };
  return (
    <TreeSelect
      treeDataSimpleMode
      treeData={nodes}
      loadData={loadData as any}
      value={props.value}
      onChange={props.onChange}
      placeholder={props.placeholder}
      showSearch
      treeNodeFilterProp="title"
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
      allowClear
    />
  );
}
