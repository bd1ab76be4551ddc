import { useQuery } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';

/** What `GET /api/work-orders` lists (src/modules/work-orders/routes.ts `summary`). */
export interface WorkOrderSummary {
  id: string;
  number: string;
  channel: string;
  categoryId: string;
  categoryName: string;
  title: string;
  description: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  placeId: string;
  placeName: string | null;
  reporterName: string | null;
  urgency: 'normal' | 'urgent' | 'critical';
  status: Status;
  outcome: string | null;
  handlerUnitId: string | null;
  handlerName: string | null;
  dueAt: string | null;
  followUpDueAt: string | null;
  rating: string | null;
  reworkCount: number;
  returnCount: number;
  problem: boolean;
  overdue: boolean;
  createdAt: string;
  closedAt: string | null;
}

export interface Photo {
  id: string;
  mime: string;
  url: string;
  thumbnailUrl: string | null;
}

export interface Whistle {
  departmentId: string;
  departmentName: string;
  whistledAt: string;
  dueAt: string;
  acknowledgedAt: string | null;
  repliedAt: string | null;
}

export interface WorkOrderDetail extends WorkOrderSummary {
  reporterPhone: string | null;
  /** Answers to the category's questions, in their order, choices by name. */
  answers: { code: string; description: string; value: string }[];
  whistles: Whistle[];
  timeline: {
    seq: number;
    type: EventType;
    name: string;
    at: string;
    actorName: string | null;
    text: string | null;
    photos: Photo[];
    data: Record<string, unknown>;
  }[];
  allowed: EventType[];
}

export type Status = 'submitted' | 'accepted' | 'dispatched' | 'inProgress' | 'resolved' | 'closed';
export const statuses: Status[] = ['submitted', 'accepted', 'dispatched', 'inProgress', 'resolved', 'closed'];
export const channels = ['snapshot', 'hotline', 'patrol', 'walkIn', 'residentTalk', 'openApi'];
/** Channels staff file on someone's behalf (随手拍 and the open API come from elsewhere). */
export const staffChannels = ['hotline', 'walkIn', 'patrol', 'residentTalk'];
export const urgencies = ['normal', 'urgent', 'critical'];
export const outcomes = ['resolved', 'explained', 'notOurs', 'duplicate'];
export const ratings = ['satisfied', 'basicallySatisfied', 'unsatisfied'];
export type EventType =
  | 'created'
  | 'accepted'
  | 'rejected'
  | 'merged'
  | 'dispatched'
  | 'transferred'
  | 'returned'
  | 'whistled'
  | 'acknowledged'
  | 'replied'
  | 'resolved'
  | 'verified'
  | 'verificationFailed'
  | 'closed'
  | 'rated'
  | 'followedUp'
  | 'reopened'
  | 'supervised'
  | 'commented';

const statusColors: Record<Status, string> = {
  submitted: 'gold',
  accepted: 'orange',
  dispatched: 'blue',
  inProgress: 'processing',
  resolved: 'cyan',
  closed: 'green',
};

export function StatusTag({ status }: { status: Status }) {
  const tr = useT();
  return (
    <Tag color={statusColors[status]} data-testid="wo-status" data-status={status}>
      {tr(`workOrder.status.${status}`)}
    </Tag>
  );
}

export function UrgencyTag({ urgency }: { urgency: string }) {
  const tr = useT();
  if (urgency === 'normal') return <Tag>{tr('workOrder.urgency.normal')}</Tag>;
  return <Tag color={urgency === 'critical' ? 'red' : 'volcano'}>{tr(`workOrder.urgency.${urgency}`)}</Tag>;
}

export const fmt = (v: string | null | undefined) =>
  v
    ? new Date(v).toLocaleString('zh-CN', {
        timeZone: 'Asia/Shanghai',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '-';

/** Due time, red when passed (the server says `overdue` for open orders past their due time). */
export function Due({ at, overdue }: { at: string | null; overdue: boolean }) {
  const tr = useT();
  if (!at) return <>-</>;
  return overdue ? (
    <Typography.Text type="danger" data-testid="wo-overdue">
      {fmt(at)}（{tr('ui.wo.overdue')}）
    </Typography.Text>
  ) : (
    fmt(at)
  );
}

export interface Category {
  id: string;
  code: string;
  name: string;
  parentCode: string | null;
  sla: string;
  staffOnly: boolean;
  common: boolean;
  /** Reply templates by outcome (解决、解释说明…), where the category has them. */
  replyTemplates?: Record<string, string[]>;
}

export function useCategories() {
  return useQuery({
    queryKey: ['work-order-categories'],
    queryFn: () => api<Category[]>('/api/work-order-categories'),
    staleTime: 10 * 60_000,
  });
}

/** Categories as a tree for a TreeSelect: only the leaves can be chosen (the server wants a leaf). */
export function categoryTree(cats: Category[], withSla = false) {
  const byParent = new Map<string | null, Category[]>();
  for (const c of cats) {
    const list = byParent.get(c.parentCode) ?? [];
    list.push(c);
    byParent.set(c.parentCode, list);
  }
  const node = (c: Category): any => {
    const children = byParent.get(c.code) ?? [];
    return {
      value: c.id,
      title: withSla && c.parentCode ? `${c.name}（${c.sla}）` : c.name,
      selectable: !!c.parentCode,
      children: children.length ? children.map(node) : undefined,
    };
  };
  return (byParent.get(null) ?? []).map(node);
}

/** The label of an event's button: "accepted" on a dispatched order is the handler signing for it. */
export const actionLabel = (tr: (k: string) => string, type: EventType, status: Status) =>
  type === 'accepted' && status !== 'submitted'
    ? tr('workOrder.event.signed')
    : tr(`workOrder.event.${type}`);
