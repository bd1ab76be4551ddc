import { useQuery } from '@tanstack/react-query';
import { Select, Tag, TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { quarterOf } from '../../../../modules/party/rules.js';
import { localMonth } from '../../../../platform/calendar/local-time.js';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';

/** One row of GET /api/party/orgs: organisations of the caller's subtree, parents first. */
export interface PartyOrg {
  id: string;
  kind: 'committee' | 'workCommittee' | 'generalBranch' | 'branch' | 'group';
  name: string;
  parentId: string | null;
  orgUnitId: string;
  orgUnitName: string;
  orgPath: string;
  foundedOn: string | null;
  secretaryName: string | null;
  secretaryMemberId: string | null;
  memberCount: number;
}

/** One row of the roster (GET /api/party/members). */
export interface Member {
  id: string;
  residentId: string;
  name: string;
  gender: string;
  userId: string | null;
  partyOrgId: string;
  partyOrgName: string;
  joinedOn: string | null;
  standing: 'full' | 'probationary';
  inService: boolean;
  workplace: string | null;
  workplaceOrg: string | null;
  mobile: boolean;
  mobileWhere: string | null;
  balance: number;
}

export interface CatalogItem {
  id: string;
  category: string;
  name: string;
  points: number;
  capPerQuarter: number;
}

export interface Catalog {
  id: string;
  version: number;
  items: CatalogItem[];
}

export type QuarterStatus = 'open' | 'reviewed' | 'published' | 'final';

/** The organisations the caller can see, loaded once per page. */
export function usePartyOrgs() {
  return useQuery({ queryKey: ['party-orgs'], queryFn: () => api<PartyOrg[]>('/api/party/orgs') });
}

/** The organisations as a tree for antd's Tree/TreeSelect: a parent outside the caller's view makes a root. */
export function orgTree(orgs: PartyOrg[], tr: (k: string) => string) {
  const ids = new Set(orgs.map((o) => o.id));
  return orgs.map((o) => ({
    id: o.id,
    pId: o.parentId && ids.has(o.parentId) ? o.parentId : null,
    value: o.id,
    key: o.id,
    title: `${o.name}（${tr(`ui.party.kind.${o.kind}`)}）`,
  }));
}

/** Picks one of the caller's party organisations from the tree. */
export function PartyOrgSelect(props: {
  value?: string;
  onChange?: (id: string | undefined) => void;
  id?: string;
  style?: React.CSSProperties;
  placeholder?: string;
}) {
  const tr = useT();
  const orgs = usePartyOrgs();
  return (
    <TreeSelect
      id={props.id}
      data-testid="party-org-select"
      treeDataSimpleMode
      treeDefaultExpandAll
      showSearch
      allowClear
      treeNodeFilterProp="title"
      popupMatchSelectWidth={false}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      treeData={orgTree(orgs.data ?? [], tr)}
      placeholder={props.placeholder ?? tr('ui.party.pickOrg')}
      notFoundContent={orgs.error ? orgs.error.message : tr('ui.party.noOrgs')}
      style={{ width: 260, ...props.style }}
    />
  );
}

/** A member found by name on the server (the roster is far too long to load). */
export function MemberSelect(props: {
  value?: string;
  onChange?: (id: string | undefined) => void;
  id?: string;
  partyOrgId?: string;
}) {
  const tr = useT();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Member[]>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const query = queryString({ q: q.trim() || undefined, partyOrgId: props.partyOrgId, pageSize: 20 });
      api<{ items: Member[] }>(`/api/party/members${query}`)
        .then((r) => live && setFound(r.items))
        .catch(() => live && setFound([]));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, props.partyOrgId]);
  const options = found.map((m) => ({
    value: m.id,
    label: tr('ui.party.memberOption', { name: m.name, org: m.partyOrgName, balance: m.balance }),
  }));
  return (
    <Select
      id={props.id}
      data-testid="member-select"
      showSearch
      allowClear
      filterOption={false}
      value={props.value}
      onChange={props.onChange}
      onSearch={setQ}
      options={options}
      placeholder={tr('ui.party.pickMember')}
      notFoundContent={tr('ui.party.noMembers')}
    />
  );
}

const statusColour: Record<QuarterStatus, string> = {
  open: 'blue',
  reviewed: 'orange',
  published: 'red',
  final: 'green',
};

export function QuarterTag({ status }: { status: QuarterStatus }) {
  const tr = useT();
  return <Tag color={statusColour[status]}>{tr(`party.quarter.${status}`)}</Tag>;
}

/** This Beijing month (`YYYY-MM`) and its quarter (`2026Q4`). */
export const thisMonth = () => localMonth(new Date());
export const thisQuarter = () => quarterOf(thisMonth());

/** The last `n` quarters, newest first (`2026Q4`, `2026Q3` …). */
export function recentQuarters(n = 8): string[] {
  const [y, q] = thisQuarter().split('Q').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const index = y * 4 + (q - 1) - i;
    return `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
  });
}

/** A date-time in Beijing time, or '-'. */
export const when = (v: string | null | undefined) =>
  v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '-';
