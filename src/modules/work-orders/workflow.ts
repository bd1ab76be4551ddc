/**
 * The work-order state machine, pure: which event may happen in which state and by whom, and the
 * state that a sequence of events projects to. The service stores events (append-only) and keeps
 * the projection on the work order row; timelines, SLA and statistics read the events.
 *
 * The loop follows the 12345 norm (国办发〔2020〕53号): 受理 → 调度 → 办理 → 回复 → 督办 → 办结 → 回访 → 评价.
 */
export const statuses = ['submitted', 'accepted', 'dispatched', 'inProgress', 'resolved', 'closed'] as const;
export type Status = (typeof statuses)[number];

/** How a closed work order ended: only `resolved` counts as solved (解决率), so closing cannot hide. */
export const outcomes = ['resolved', 'explained', 'notOurs', 'duplicate'] as const;
export type Outcome = (typeof outcomes)[number];

export const ratings = ['satisfied', 'basicallySatisfied', 'unsatisfied'] as const;
export type Rating = (typeof ratings)[number];

export const eventTypes = [
  'created',
  'accepted',
  'rejected',
  'merged',
  'dispatched',
  'transferred',
  'returned',
  'whistled',
  'acknowledged',
  'replied',
  'resolved',
  'verified',
  'verificationFailed',
  'closed',
  'rated',
  'followedUp',
  'reopened',
  'supervised',
  'commented',
] as const;
export type EventType = (typeof eventTypes)[number];

/**
 * What the caller may do to this work order, decided by the service from the permission table, the
 * caller's subtree and their relation to the order (reporter, current handler, whistled department).
 */
export type Capability =
  | 'reporter'
  | 'triage'
  | 'dispatch'
  | 'handler'
  | 'verify'
  | 'whistle'
  | 'whistled'
  | 'supervise'
  | 'followUp'
  | 'staff';

export interface Handler {
  unitId: string | null;
  userId: string | null;
}

export interface WorkOrderEvent {
  type: EventType;
  at: Date;
  actorId?: string | null;
  /** Event data; which fields matter depends on the type. */
  handler?: Handler;
  dueAt?: Date | null;
  outcome?: Outcome;
  rating?: Rating;
  departments?: string[];
  departmentId?: string;
  reason?: string;
  mergedInto?: string;
  satisfied?: boolean;
}

export interface Whistle {
  departmentId: string;
  at: Date;
  acknowledgedAt: Date | null;
  repliedAt: Date | null;
}

export interface WorkOrderState {
  status: Status;
  outcome: Outcome | null;
  handler: Handler | null;
  dueAt: Date | null;
  createdAt: Date;
  acceptedAt: Date | null;
  dispatchedAt: Date | null;
  handlerAcceptedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  rating: Rating | null;
  ratedAt: Date | null;
  followedUpAt: Date | null;
  /** 返工: failed verifications. */
  reworkCount: number;
  /** 退回: handlers sending it back. */
  returnCount: number;
  /** Distinct handling units it passed through. */
  handlerUnits: string[];
  whistles: Whistle[];
  supervisedCount: number;
  mergedInto: string | null;
}

export class TransitionRefused extends Error {
  constructor(
    readonly reason: 'state' | 'actor' | 'input',
    message: string,
  ) {
    super(message);
  }
}

const open: Status[] = ['submitted', 'accepted', 'dispatched', 'inProgress', 'resolved'];

interface Rule {
  from: readonly Status[];
  by: readonly Capability[];
}

/** The table: in which states each event may happen, and who may cause it. */
export const rules: Record<Exclude<EventType, 'created'>, Rule> = {
  accepted: { from: ['submitted', 'dispatched'], by: ['triage', 'handler'] },
  rejected: { from: ['submitted', 'accepted'], by: ['triage'] },
  merged: { from: ['submitted', 'accepted'], by: ['triage'] },
  dispatched: { from: ['accepted'], by: ['dispatch'] },
  transferred: { from: ['dispatched', 'inProgress'], by: ['dispatch'] },
  returned: { from: ['dispatched', 'inProgress'], by: ['handler'] },
  whistled: { from: ['accepted', 'dispatched', 'inProgress'], by: ['whistle'] },
  acknowledged: { from: ['accepted', 'dispatched', 'inProgress', 'resolved'], by: ['whistled'] },
  replied: { from: open, by: ['handler', 'whistled'] },
  resolved: { from: ['dispatched', 'inProgress'], by: ['handler'] },
  verified: { from: ['resolved'], by: ['verify'] },
  verificationFailed: { from: ['resolved'], by: ['verify'] },
  closed: { from: ['accepted', 'dispatched', 'inProgress', 'resolved'], by: ['verify'] },
  rated: { from: ['closed'], by: ['reporter'] },
  followedUp: { from: ['closed'], by: ['followUp'] },
  reopened: { from: ['closed'], by: ['followUp', 'triage'] },
  supervised: { from: ['accepted', 'dispatched', 'inProgress', 'resolved'], by: ['supervise'] },
  commented: { from: statuses, by: ['staff', 'handler', 'whistled'] },
};

const statusNames: Record<Status, string> = {
  submitted: '待受理',
  accepted: '已受理待派单',
  dispatched: '已派单待签收',
  inProgress: '办理中',
  resolved: '已办结待核实',
  closed: '已结案',
};

const eventNames: Record<EventType, string> = {
  created: '提交',
  accepted: '受理',
  rejected: '不予受理',
  merged: '合并',
  dispatched: '派单',
  transferred: '转派',
  returned: '退回',
  whistled: '吹哨',
  acknowledged: '报到',
  replied: '回复',
  resolved: '办结',
  verified: '核实通过',
  verificationFailed: '核实不通过',
  closed: '结案',
  rated: '评价',
  followedUp: '回访',
  reopened: '重新办理',
  supervised: '督办',
  commented: '备注',
};

export const statusName = (s: Status) => statusNames[s];
export const eventName = (e: EventType) => eventNames[e];

export function initialState(e: WorkOrderEvent): WorkOrderState {
  if (e.type !== 'created') throw new TransitionRefused('state', '工单须从“提交”开始');
  return {
    status: 'submitted',
    outcome: null,
    handler: null,
    dueAt: e.dueAt ?? null,
    createdAt: e.at,
    acceptedAt: null,
    dispatchedAt: null,
    handlerAcceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    rating: null,
    ratedAt: null,
    followedUpAt: null,
    reworkCount: 0,
    returnCount: 0,
    handlerUnits: [],
    whistles: [],
    supervisedCount: 0,
    mergedInto: null,
  };
}

/** Refuses the event (with the reason in Chinese) unless the state and the caller allow it. */
export function check(state: WorkOrderState, e: WorkOrderEvent, can: ReadonlySet<Capability>): void {
  if (e.type === 'created') throw new TransitionRefused('state', '工单已提交');
  const rule = rules[e.type];
  if (!rule.from.includes(state.status))
    throw new TransitionRefused('state', `工单${statusNames[state.status]}，不能${eventNames[e.type]}`);
  // In `dispatched`, "accepted" is the handler signing for it (签收); before that, the triage.
  const by = e.type === 'accepted' ? [state.status === 'submitted' ? 'triage' : 'handler'] : rule.by;
  if (!by.some((c) => can.has(c as Capability)))
    throw new TransitionRefused('actor', `您不能对此工单执行“${eventNames[e.type]}”`);
  switch (e.type) {
    case 'rejected':
    case 'returned':
    case 'verificationFailed':
    case 'reopened':
      if (!e.reason?.trim()) throw new TransitionRefused('input', `${eventNames[e.type]}须写明原因`);
      break;
    case 'merged':
      if (!e.mergedInto) throw new TransitionRefused('input', '请选择要合并到的工单');
      break;
    case 'dispatched':
    case 'transferred':
      if (e.type === 'transferred' && !e.reason?.trim())
        throw new TransitionRefused('input', '转派须写明原因');
      if (!e.handler?.unitId && !e.handler?.userId)
        throw new TransitionRefused('input', '请选择承办单位或人员');
      if (
        e.type === 'transferred' &&
        e.handler?.unitId &&
        e.handler.unitId === state.handler?.unitId &&
        e.handler.userId === state.handler?.userId
      )
        throw new TransitionRefused('input', '转派对象与当前承办相同');
      break;
    case 'whistled':
      if (!e.departments?.length) throw new TransitionRefused('input', '请选择要吹哨的部门');
      break;
    case 'acknowledged': {
      const w = state.whistles.find((x) => x.departmentId === e.departmentId);
      if (!w) throw new TransitionRefused('actor', '未向该部门吹哨');
      if (w.acknowledgedAt) throw new TransitionRefused('state', '该部门已报到');
      break;
    }
    case 'resolved':
    case 'closed':
      if (!e.outcome) throw new TransitionRefused('input', '请选择办理结果');
      break;
    case 'rated':
      if (state.rating) throw new TransitionRefused('state', '已评价过');
      if (!e.rating) throw new TransitionRefused('input', '请选择满意度');
      break;
    case 'followedUp':
      if (e.satisfied === undefined) throw new TransitionRefused('input', '请填写回访结果');
      break;
  }
}

/** The state after one event (assumes `check` passed). */
export function apply(s: WorkOrderState, e: WorkOrderEvent): WorkOrderState {
  const next: WorkOrderState = { ...s, whistles: s.whistles.map((w) => ({ ...w })) };
  const enterHandler = (h: Handler) => {
    next.handler = h;
    if (h.unitId && !next.handlerUnits.includes(h.unitId))
      next.handlerUnits = [...next.handlerUnits, h.unitId];
  };
  switch (e.type) {
    case 'accepted':
      if (s.status === 'submitted') {
        next.status = 'accepted';
        next.acceptedAt = e.at;
      } else {
        next.status = 'inProgress';
        next.handlerAcceptedAt = e.at;
      }
      break;
    case 'rejected':
      Object.assign(next, { status: 'closed', outcome: 'notOurs', closedAt: e.at });
      break;
    case 'merged':
      Object.assign(next, {
        status: 'closed',
        outcome: 'duplicate',
        closedAt: e.at,
        mergedInto: e.mergedInto,
      });
      break;
    case 'dispatched':
    case 'transferred':
      enterHandler(e.handler!);
      next.status = 'dispatched';
      next.dispatchedAt = e.at;
      next.handlerAcceptedAt = null;
      if (e.dueAt !== undefined) next.dueAt = e.dueAt;
      break;
    case 'returned':
      next.status = 'accepted';
      next.handler = null;
      next.returnCount = s.returnCount + 1;
      break;
    case 'whistled':
      for (const d of e.departments!)
        if (!next.whistles.some((w) => w.departmentId === d))
          next.whistles.push({ departmentId: d, at: e.at, acknowledgedAt: null, repliedAt: null });
      break;
    case 'acknowledged': {
      const w = next.whistles.find((x) => x.departmentId === e.departmentId);
      if (w) w.acknowledgedAt = e.at;
      break;
    }
    case 'replied': {
      const w = next.whistles.find((x) => x.departmentId === e.departmentId);
      if (w && !w.repliedAt) w.repliedAt = e.at;
      break;
    }
    case 'resolved':
      Object.assign(next, { status: 'resolved', outcome: e.outcome, resolvedAt: e.at });
      if (!s.handlerAcceptedAt) next.handlerAcceptedAt = e.at;
      break;
    case 'verified':
      Object.assign(next, { status: 'closed', closedAt: e.at });
      break;
    case 'verificationFailed':
      Object.assign(next, {
        status: 'inProgress',
        outcome: null,
        resolvedAt: null,
        reworkCount: s.reworkCount + 1,
      });
      break;
    case 'closed':
      Object.assign(next, { status: 'closed', outcome: e.outcome, closedAt: e.at });
      break;
    case 'rated':
      Object.assign(next, { rating: e.rating, ratedAt: e.at });
      break;
    case 'followedUp':
      next.followedUpAt = e.at;
      break;
    case 'reopened':
      Object.assign(next, {
        status: 'accepted',
        outcome: null,
        closedAt: null,
        resolvedAt: null,
        rating: null,
        ratedAt: null,
        followedUpAt: null,
        mergedInto: null,
        handler: null,
      });
      break;
    case 'supervised':
      next.supervisedCount = s.supervisedCount + 1;
      break;
    case 'commented':
      break;
  }
  return next;
}

/** Checks then applies: the one door every change goes through. */
export function transition(
  s: WorkOrderState,
  e: WorkOrderEvent,
  can: ReadonlySet<Capability>,
): WorkOrderState {
  check(s, e, can);
  return apply(s, e);
}

/** The state a stored event log projects to (events were checked when they were stored). */
export function project(events: readonly WorkOrderEvent[]): WorkOrderState {
  const [first, ...rest] = events;
  return rest.reduce(apply, initialState(first));
}

/**
 * The events possible now for someone with these capabilities (the buttons the UI shows): exactly
 * those `check` would let through with complete input. `departmentId` is the caller's own whistled
 * department, whose 报到 is offered once.
 */
export function allowedEvents(
  s: WorkOrderState,
  can: ReadonlySet<Capability>,
  departmentId?: string | null,
): EventType[] {
  return (Object.keys(rules) as (keyof typeof rules)[]).filter((type) => {
    const rule = rules[type];
    if (!rule.from.includes(s.status)) return false;
    const by = type === 'accepted' ? [s.status === 'submitted' ? 'triage' : 'handler'] : rule.by;
    if (type === 'rated' && s.rating) return false;
    if (type === 'acknowledged') {
      const mine = s.whistles.find((w) => w.departmentId === departmentId);
      if (!mine || mine.acknowledgedAt) return false;
    }
    return by.some((c) => can.has(c as Capability));
  });
}

/** The name of an event where it happened: 受理 by the triage, 签收 by the handler it was sent to. */
export function eventLabel(type: EventType, before: Status | null): string {
  if (type === 'accepted' && before && before !== 'submitted') return '签收';
  return eventNames[type];
}

/**
 * 问题工单: returned or re-done too often, or passed through too many units without one taking
 * the lead — escalated to the level above. Thresholds are configuration.
 */
export function isProblem(s: WorkOrderState, limits = { returns: 3, rework: 3, units: 3 }): boolean {
  return (
    s.status !== 'closed' &&
    (s.returnCount >= limits.returns ||
      s.reworkCount >= limits.rework ||
      (s.handlerUnits.length >= limits.units && !s.handlerAcceptedAt))
  );
}
