import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { audit } from '../../platform/audit/service.js';
import { grantsFor, pathWithin, scopeFilter } from '../../platform/auth/authorize.js';
import type { Action } from '../../platform/auth/permissions.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { maskPhone } from '../../platform/crypto.js';
import { uniqueViolation } from '../../platform/db/errors.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { file } from '../../platform/files/schema.js';
import { attachFiles, describeFile } from '../../platform/files/service.js';
import { maskPiiInText } from '../../platform/pii-text.js';
import { notify } from '../notifications/service.js';
import { orgUnit } from '../org/schema.js';
import { findOrgUnit, unitLabelSql, unitLabels } from '../org/units.js';
import {
  type CategoryDefault,
  defaultCategories,
  defaultReplyTemplates,
  urgencyHours,
} from './categories.js';
import { toEvent } from './projection.js';
import { type PublicEventInput, publicLabel, publicName, publicText } from './public.js';
import { describeAnswers, type Question, sortQuestions } from './questions.js';
import { idempotencyKey, workOrder, workOrderCategory, workOrderEvent, workOrderWhistle } from './schema.js';
import {
  allowedEvents,
  apply,
  type Capability,
  type EventType,
  eventLabel,
  initialState,
  isProblem,
  type Outcome,
  type Rating,
  TransitionRefused,
  transition,
  type WorkOrderEvent,
  type WorkOrderState,
} from './workflow.js';

export const channels = ['snapshot', 'hotline', 'patrol', 'walkIn', 'residentTalk', 'openApi'] as const;
export type Channel = (typeof channels)[number];
export const urgencies = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof urgencies)[number];

type WorkOrderRow = typeof workOrder.$inferSelect;
type Category = typeof workOrderCategory.$inferSelect;

/** The default categories, added once (an edited or retired category is never overwritten). */
export async function ensureDefaultCategories(ex: Executor) {
  await ex
    .insert(workOrderCategory)
    .values(
      defaultCategories.map((c: CategoryDefault, i) => ({
        code: c.code,
        name: c.name,
        parentCode: c.parent ?? null,
        handlerType: c.handler,
        department: c.department ?? null,
        slaHours: 'hours' in c.sla ? c.sla.hours : null,
        slaWorkingDays: 'workingDays' in c.sla ? c.sla.workingDays : null,
        staffOnly: c.staffOnly ?? false,
        common: c.common ?? false,
        sort: i,
      })),
    )
    .onConflictDoNothing();
}

/** The categories to file under; with `all`, staff also see retired ones (to edit or restore them). */
export async function listCategories(ex: Executor, caller: Caller, all = false) {
  const staff = caller.user?.kind === 'staff';
  const rows = await ex
    .select()
    .from(workOrderCategory)
    .where(
      and(
        all && staff ? undefined : eq(workOrderCategory.active, true),
        staff ? undefined : eq(workOrderCategory.staffOnly, false),
      ),
    )
    .orderBy(asc(workOrderCategory.sort));
  // Reply templates are for handlers; a resident's phone on a weak signal need not download them.
  return rows.map((c) => {
    const { replyTemplates, ...rest } = describeCategory(c);
    return staff ? { ...rest, replyTemplates } : rest;
  });
}

const describeCategory = (c: Category) => ({
  id: c.id,
  code: c.code,
  name: c.name,
  parentCode: c.parentCode,
  handlerType: c.handlerType as 'grid' | 'community' | 'department',
  department: c.department,
  sla: c.slaHours ? `${c.slaHours} 小时` : `${c.slaWorkingDays} 个工作日`,
  staffOnly: c.staffOnly,
  common: c.common,
  active: c.active,
  slaHours: c.slaHours,
  slaWorkingDays: c.slaWorkingDays,
  questions: sortQuestions(c.questions ?? []),
  replyTemplates: Object.fromEntries(
    Object.entries(defaultReplyTemplates).map(([k, v]) => [k, [...(c.replyTemplates[k] ?? []), ...v]]),
  ),
});

export interface CategoryInput {
  code: string;
  name: string;
  parentCode?: string | null;
  handlerType: 'grid' | 'community' | 'department';
  department?: string | null;
  slaHours?: number | null;
  slaWorkingDays?: number | null;
  staffOnly?: boolean;
  common?: boolean;
  active?: boolean;
  sort?: number;
  replyTemplates?: Record<string, string[]>;
  questions?: Question[];
}

const categoryCache = new WeakMap<AppContext, { at: number; byId: Map<string, Category> }>();

/**
 * A category by id, from a per-process cache: intake reads it on every request, and categories
 * change a few times a year. Edits here clear it at once; another process's edits show within
 * 30 s, and an id not seen yet is read on its own.
 */
export async function categoryById(ctx: AppContext, id: string): Promise<Category | undefined> {
  let cached = categoryCache.get(ctx);
  if (!cached || Date.now() - cached.at > 30_000) {
    const rows = await ctx.db.select().from(workOrderCategory);
    cached = { at: Date.now(), byId: new Map(rows.map((c) => [c.id, c])) };
    categoryCache.set(ctx, cached);
  }
  const hit = cached.byId.get(id);
  if (hit) return hit;
  // Not seen yet (added by another process, or no such category): that one row, not the table.
  const [row] = await ctx.db.select().from(workOrderCategory).where(eq(workOrderCategory.id, id));
  if (row) cached.byId.set(id, row);
  return row;
}

function checkSla(c: Partial<CategoryInput>) {
  if (!c.slaHours === !c.slaWorkingDays)
    throw invalid('slaWorkingDays', '办理时限请填写小时数或工作日数（二选一）');
}

/** Adds a category (a leaf under a group, or a new group); audited. */
export async function createCategory(ctx: AppContext, caller: Caller, input: CategoryInput) {
  checkSla(input);
  const created = await ctx.db.transaction(async (tx) => {
    if (input.parentCode) {
      const [parent] = await tx
        .select()
        .from(workOrderCategory)
        .where(eq(workOrderCategory.code, input.parentCode));
      if (!parent || parent.parentCode) throw invalid('parentCode', '上级类别不存在或不是大类');
    }
    const [row] = await tx
      .insert(workOrderCategory)
      .values({
        ...input,
        parentCode: input.parentCode ?? null,
        replyTemplates: input.replyTemplates ?? {},
        questions: input.questions ?? [],
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw invalid('code', '类别编码已存在');
    await audit(tx, caller, {
      action: 'workOrder.categoryCreated',
      targetType: 'workOrderCategory',
      targetId: row.id,
      orgPath: null,
      summary: `新增诉求类别 ${row.name}`,
    });
    return describeCategory(row);
  });
  categoryCache.delete(ctx);
  return created;
}

/** Edits a category; retiring one (active=false) keeps it on the work orders that used it. */
export async function updateCategory(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: Partial<Omit<CategoryInput, 'code' | 'parentCode'>>,
) {
  const updated = await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(workOrderCategory).where(eq(workOrderCategory.id, id));
    if (!before) throw notFound();
    checkSla({ slaHours: before.slaHours, slaWorkingDays: before.slaWorkingDays, ...input });
    // A body with no field changes nothing (and an empty SET is no statement).
    if (!Object.values(input).some((v) => v !== undefined)) return describeCategory(before);
    const [row] = await tx
      .update(workOrderCategory)
      .set(input)
      .where(eq(workOrderCategory.id, id))
      .returning();
    await audit(tx, caller, {
      action: 'workOrder.categoryUpdated',
      targetType: 'workOrderCategory',
      targetId: id,
      orgPath: null,
      summary:
        input.questions === undefined
          ? `修改诉求类别 ${row.name}`
          : `修改诉求类别 ${row.name} 的上报问题（${row.questions.length} 个）`,
      details: { before: describeCategory(before), after: describeCategory(row) },
    });
    return describeCategory(row);
  });
  categoryCache.delete(ctx);
  return updated;
}

/** Due time from the category's SLA (working days on the work calendar) or the urgency (hours). */
export function dueFor(ctx: AppContext, category: Category, urgency: Urgency, from: Date): Date {
  if (urgency !== 'normal') return new Date(from.getTime() + urgencyHours[urgency] * 3600_000);
  if (category.slaHours) return new Date(from.getTime() + category.slaHours * 3600_000);
  return ctx.calendar.addWorkingDays(from, category.slaWorkingDays ?? 5);
}

/** The unit of `kind` a place lies in (its community triages it; its street is the level above). */
export async function ancestorOf(ex: Executor, path: string, kind: 'community' | 'street' | 'district') {
  const [row] = await ex
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.kind, kind), sql`${orgUnit.path} @> ${path}::ltree`));
  return row;
}

const queueRoles = sql.raw(
  `'gridWorker', 'gridLeader', 'communityWorker', 'communitySecretary', 'departmentStaff', 'streetStaff', 'districtStaff'`,
);

/** The staff who work a unit's queue: whoever holds a handling or triage role at exactly that unit. */
export const staffOfUnit = (unitId: SQL) => sql`select distinct ra.user_id as id from role_assignment ra
    join "user" u on u.id = ra.user_id
    where ra.org_unit_id = ${unitId} and ra.revoked_at is null and u.status = 'active' and ra.role in (${queueRoles})`;

export async function unitStaff(ex: Executor, unitId: string): Promise<string[]> {
  return rowsOf<{ id: string }>(await ex.execute(staffOfUnit(sql`${unitId}::uuid`))).map((r) => r.id);
}

/** Two requests raced with one Idempotency-Key: the loser meets the key's primary key. */
export const keyConflict = (err: unknown) => uniqueViolation(err, 'idempotency_key');

/** The work order (and, for a step, the event) an Idempotency-Key of this user was used for. */
export async function byKey(ex: Executor, userId: string, key: string) {
  const [row] = await ex
    .select({ id: idempotencyKey.workOrderId, eventSeq: idempotencyKey.eventSeq })
    .from(idempotencyKey)
    .where(and(eq(idempotencyKey.userId, userId), eq(idempotencyKey.key, key)));
  return row;
}

/** Dates survive JSON as ISO strings; the stored projection is turned back into Dates on load. */
export function serialise(state: WorkOrderState) {
  return JSON.parse(JSON.stringify(state));
}
const dateKeys = [
  'dueAt',
  'createdAt',
  'acceptedAt',
  'dispatchedAt',
  'handlerAcceptedAt',
  'resolvedAt',
  'closedAt',
  'ratedAt',
  'followedUpAt',
] as const;
function revive(raw: any): WorkOrderState {
  const s = { ...raw };
  for (const k of dateKeys) s[k] = s[k] ? new Date(s[k]) : null;
  s.whistles = (s.whistles ?? []).map((w: any) => ({
    ...w,
    at: new Date(w.at),
    acknowledgedAt: w.acknowledgedAt ? new Date(w.acknowledgedAt) : null,
    repliedAt: w.repliedAt ? new Date(w.repliedAt) : null,
  }));
  return s as WorkOrderState;
}

const within = (caller: Caller, action: Action, path: string | null) =>
  !!caller.user && !!path && grantsFor(caller.user, action).some((g) => pathWithin(path, g.orgPath));

/**
 * The handler of an order sent to a unit is that unit's own staff: a community that dispatched to
 * one of its grids supervises, it does not 签收 or 退回 in the grid's place (it may 转派).
 */
const handlesAt = (caller: Caller, path: string | null) =>
  !!caller.user && !!path && grantsFor(caller.user, 'workOrder.handle').some((g) => g.orgPath === path);

/** The units whose orders the caller handles (exact paths; see handlesAt), as a predicate on a column. */
function handledUnits(caller: Caller, column: SQL | typeof workOrder.handlerPath) {
  const paths = [...new Set(grantsFor(caller.user!, 'workOrder.handle').map((g) => g.orgPath))].filter(
    (p): p is string => !!p,
  );
  if (!paths.length) return sql`false`;
  return sql`${column} in (${sql.join(
    paths.map((p) => sql`${p}::ltree`),
    sql`, `,
  )})`;
}

/** What this caller may do to this work order (see workflow.ts), and which whistle is theirs. */
export function capabilitiesOf(
  caller: Caller,
  row: WorkOrderRow,
  whistles: { departmentId: string; departmentPath: string }[],
) {
  const can = new Set<Capability>();
  const me = caller.user;
  if (!me) return { can, department: null as string | null };
  if (row.reporterUserId === me.id) can.add('reporter');
  const at = (action: Action) => within(caller, action, row.orgPath);
  if (at('workOrder.triage')) can.add('triage');
  if (at('workOrder.dispatch')) can.add('dispatch');
  if (at('workOrder.verify')) can.add('verify');
  if (at('workOrder.whistle')) can.add('whistle');
  if (at('workOrder.supervise')) can.add('supervise');
  if (at('workOrder.followUp')) can.add('followUp');
  if (row.handlerUserId === me.id || handlesAt(caller, row.handlerPath)) can.add('handler');
  const mine = whistles.find((w) => within(caller, 'workOrder.handle', w.departmentPath));
  if (mine) can.add('whistled');
  if (at('workOrder.read') || can.has('handler') || can.has('whistled')) can.add('staff');
  return { can, department: mine?.departmentId ?? null };
}

/**
 * Who may see a work order: its place's subtree, its handler's, a whistled department's, its
 * reporter, and the reporters of duplicates merged into it (they follow and rate it there).
 */
export function visibleTo(caller: Caller): ReturnType<typeof sql> {
  const me = caller.user!;
  const parts = [
    sql`${workOrder.reporterUserId} = ${me.id}::uuid`,
    sql`${workOrder.id} in (select d.merged_into from work_order d
      where d.reporter_user_id = ${me.id}::uuid and d.merged_into is not null)`,
  ];
  if (grantsFor(me, 'workOrder.read').length)
    parts.push(scopeFilter(me, 'workOrder.read', workOrder.orgPath));
  if (grantsFor(me, 'workOrder.handle').length) {
    parts.push(
      sql`(${workOrder.handlerPath} is not null and ${scopeFilter(me, 'workOrder.handle', workOrder.handlerPath)})`,
    );
    parts.push(sql`exists (select 1 from ${workOrderWhistle} w where w.work_order_id = ${workOrder.id}
      and ${scopeFilter(me, 'workOrder.handle', sql`w.department_path`)})`);
  }
  if (me.id) parts.push(sql`${workOrder.handlerUserId} = ${me.id}::uuid`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

async function loadVisible(ex: Executor, caller: Caller, id: string, lock = false) {
  const q = ex
    .select()
    .from(workOrder)
    .where(and(eq(workOrder.id, id), visibleTo(caller)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound();
  return row;
}

/** The whistles of some work orders, with the departments' names: one query for a page of orders. */
async function whistlesOfMany(ex: Executor, ids: string[]) {
  if (!ids.length) return [];
  return ex
    .select({
      workOrderId: workOrderWhistle.workOrderId,
      departmentId: workOrderWhistle.departmentId,
      departmentPath: workOrderWhistle.departmentPath,
      departmentName: orgUnit.name,
      whistledAt: workOrderWhistle.whistledAt,
      dueAt: workOrderWhistle.dueAt,
      acknowledgedAt: workOrderWhistle.acknowledgedAt,
      repliedAt: workOrderWhistle.repliedAt,
    })
    .from(workOrderWhistle)
    .innerJoin(orgUnit, eq(orgUnit.id, workOrderWhistle.departmentId))
    .where(inArray(workOrderWhistle.workOrderId, ids))
    .orderBy(asc(workOrderWhistle.whistledAt));
}

const whistlesOf = async (ex: Executor, id: string) =>
  (await whistlesOfMany(ex, [id])).map(({ workOrderId: _w, ...w }) => w);

/** The page of one work order: the order, its timeline, photos, whistles and what the caller may do next. */
export async function getWorkOrder(ctx: AppContext, caller: Caller, id: string) {
  const row = await loadVisible(ctx.db, caller, id);
  const whistles = await whistlesOf(ctx.db, id);
  const events = await ctx.db
    .select()
    .from(workOrderEvent)
    .where(eq(workOrderEvent.workOrderId, id))
    .orderBy(asc(workOrderEvent.seq));
  const photoIds = [
    ...events.flatMap((e) => (e.data as { photoIds?: string[] }).photoIds ?? []),
    ...Object.values(row.publicPhotos ?? {}).filter((x): x is string => !!x),
  ];
  const photos = photoIds.length ? await ctx.db.select().from(file).where(inArray(file.id, photoIds)) : [];
  const { can, department } = capabilitiesOf(caller, row, whistles);
  const state = revive(row.state);
  const masterIsOpen = await masterOpen(ctx.db, row);
  const [category] = await ctx.db
    .select()
    .from(workOrderCategory)
    .where(eq(workOrderCategory.id, row.categoryId));
  const names = await unitLabels(ctx.db, [row.placeId, row.handlerUnitId]);
  const staffView = can.has('staff');
  // Outside staff, text somebody else wrote is shown with its ID numbers and phones masked.
  const others = (authorId: string | null, text: string | null) =>
    text && !staffView && authorId !== caller.user?.id ? maskPiiInText(text) : text;
  const order = describe(row, category, names);
  return {
    ...order,
    title: others(row.reporterUserId, order.title)!,
    description: others(row.reporterUserId, order.description)!,
    address: others(row.reporterUserId, order.address),
    reporterPhone:
      row.reporterPhoneEnc && staffView ? maskPhone(ctx.pii.decrypt(row.reporterPhoneEnc)) : null,
    publicDescription: others(row.reporterUserId, row.publicDescription),
    answers: describeAnswers(category?.questions ?? [], row.answers),
    whistles: whistles.map(({ departmentPath: _p, ...w }) => w),
    timeline: withPublicText(events, whistles)
      .filter(({ e, publicText }) => staffView || e.type !== 'commented' || publicText)
      .map(({ e, before, publicText }) => ({
        seq: e.seq,
        type: e.type as EventType,
        label: publicLabel(e.type as EventType, before),
        name: staffView ? eventLabel(e.type as EventType, before) : publicName(e.type as EventType, before),
        at: e.at,
        actorName: staffView || e.type === 'created' ? e.actorName : null,
        text: staffView
          ? (((e.data as { text?: string; reason?: string }).text ??
              (e.data as { reason?: string }).reason ??
              null) as string | null)
          : others(e.actorId, publicText),
        publicText: others(e.actorId, publicText),
        photos: ((e.data as { photoIds?: string[] }).photoIds ?? [])
          .map((pid) => (staffView ? pid : publicPhoto(row, pid)))
          .map((pid) => photos.find((p) => p.id === pid))
          .filter((p) => !!p)
          .map((p) => photoOf(id, p!)),
        data: staffView ? e.data : {},
      })),
    allowed: allowedEvents(state, can, department).filter((type) => type !== 'rated' || !masterIsOpen),
  };
}

/** Each stored event with the status before it and what a resident reads of it (public.ts). */
function withPublicText(
  events: (typeof workOrderEvent.$inferSelect)[],
  whistles: { departmentId: string; departmentName: string }[],
) {
  let state: WorkOrderState | null = null;
  return events.map((e) => {
    const before = state?.status ?? null;
    const ev = toEvent(e);
    state = state ? apply(state, ev) : initialState(ev);
    const data = e.data as PublicEventInput['data'] & { departmentId?: string };
    const departmentName = whistles.find((w) => w.departmentId === data.departmentId)?.departmentName;
    return { e, before, publicText: publicText({ type: ev.type, before, data, departmentName }) };
  });
}

const photoOf = (id: string, row: typeof file.$inferSelect) => ({
  ...describeFile(row),
  url: `/api/work-orders/${id}/photos/${row.id}`,
  thumbnailUrl: `/api/work-orders/${id}/photos/${row.id}?w=320`,
});

function describe(row: WorkOrderRow, category: Category | undefined, names: Map<string, string>) {
  return {
    id: row.id,
    number: row.number,
    channel: row.channel as Channel,
    categoryId: row.categoryId,
    categoryName: category?.name ?? '',
    title: row.title,
    description: row.description,
    lng: row.lng,
    lat: row.lat,
    address: row.address,
    placeId: row.placeId,
    placeName: names.get(row.placeId) ?? null,
    reporterName: row.anonymous ? null : row.reporterName,
    urgency: row.urgency as Urgency,
    status: row.status as WorkOrderState['status'],
    outcome: row.outcome as Outcome | null,
    handlerUnitId: row.handlerUnitId,
    handlerName: row.handlerUnitId ? (names.get(row.handlerUnitId) ?? null) : null,
    dueAt: row.dueAt,
    followUpDueAt: row.followUpDueAt,
    rating: row.rating as Rating | null,
    reworkCount: row.reworkCount,
    returnCount: row.returnCount,
    problem: row.problem,
    overdue: isOverdue(row),
    createdAt: row.createdAt,
    closedAt: row.closedAt,
  };
}

const isOverdue = (row: WorkOrderRow) =>
  !!row.dueAt && row.status !== 'closed' && row.dueAt.getTime() < Date.now();

export const queues = [
  'all',
  'triage',
  'dispatch',
  'mine',
  'overdue',
  'whistled',
  'verify',
  'followUp',
  'problem',
] as const;
export type Queue = (typeof queues)[number];

export interface ListQuery {
  page: number;
  pageSize: number;
  queue?: Queue;
  status?: string;
  categoryId?: string;
  channel?: Channel;
  orgUnitId?: string;
  q?: string;
  from?: Date;
  to?: Date;
  sort?: 'createdAt' | 'dueAt';
  order?: 'asc' | 'desc';
}

/** Lists and queues over what the caller may see; each queue is the filter its name says. */
export async function listWorkOrders(ctx: AppContext, caller: Caller, q: ListQuery) {
  const me = caller.user!;
  const where = [visibleTo(caller)];
  const inScope = (action: Action) =>
    grantsFor(me, action).length ? scopeFilter(me, action, workOrder.orgPath) : sql`false`;
  switch (q.queue) {
    case 'triage':
      where.push(sql`${workOrder.status} = 'submitted'`, inScope('workOrder.triage'));
      break;
    case 'dispatch':
      where.push(sql`${workOrder.status} = 'accepted'`, inScope('workOrder.dispatch'));
      break;
    case 'mine':
      where.push(
        sql`${workOrder.status} in ('dispatched', 'inProgress')`,
        sql`(${workOrder.handlerUserId} = ${me.id}::uuid or (${workOrder.handlerUserId} is null and ${handledUnits(
          caller,
          workOrder.handlerPath,
        )}))`,
      );
      break;
    case 'overdue':
      where.push(sql`${workOrder.status} <> 'closed' and ${workOrder.dueAt} < now()`);
      break;
    case 'whistled': {
      // A department sees the whistles it has to answer; those who blow them see all of theirs.
      const answers = grantsFor(me, 'workOrder.handle').length
        ? scopeFilter(me, 'workOrder.handle', sql`w.department_path`)
        : sql`false`;
      where.push(
        sql`exists (select 1 from ${workOrderWhistle} w where w.work_order_id = ${workOrder.id} and w.replied_at is null
          and (${answers} or ${inScope('workOrder.read')}))`,
      );
      break;
    }
    case 'verify':
      where.push(sql`${workOrder.status} = 'resolved'`, inScope('workOrder.verify'));
      break;
    case 'followUp':
      where.push(
        sql`${workOrder.status} = 'closed' and ${workOrder.outcome} <> 'duplicate'`,
        inScope('workOrder.followUp'),
      );
      where.push(
        sql`not exists (select 1 from ${workOrderEvent} e where e.work_order_id = ${workOrder.id} and e.type = 'followedUp')`,
      );
      break;
    case 'problem':
      where.push(sql`${workOrder.problem}`);
      break;
  }
  if (q.status) where.push(sql`${workOrder.status} = ${q.status}`);
  if (q.categoryId) where.push(sql`${workOrder.categoryId} = ${q.categoryId}::uuid`);
  if (q.channel) where.push(sql`${workOrder.channel} = ${q.channel}`);
  if (q.from) where.push(sql`${workOrder.createdAt} >= ${q.from}`);
  if (q.to) where.push(sql`${workOrder.createdAt} < ${q.to}`);
  if (q.q)
    where.push(
      sql`(${workOrder.number} = ${q.q} or ${workOrder.title} ilike ${`%${q.q}%`} or ${workOrder.address} ilike ${`%${q.q}%`})`,
    );
  if (q.orgUnitId) {
    const unit = await findOrgUnit(ctx.db, q.orgUnitId);
    if (!unit) return { items: [], total: 0 };
    where.push(sql`${workOrder.orgPath} <@ ${unit.path}::ltree`);
  }
  const sortCol = q.sort === 'dueAt' ? workOrder.dueAt : workOrder.createdAt;
  const rows = await ctx.db
    .select({
      row: workOrder,
      categoryName: workOrderCategory.name,
      placeName: unitLabelSql(workOrder.placeId),
      handlerName: unitLabelSql(workOrder.handlerUnitId),
      total: sql<number>`count(*) over()`.mapWith(Number),
    })
    .from(workOrder)
    .innerJoin(workOrderCategory, eq(workOrderCategory.id, workOrder.categoryId))
    .innerJoin(orgUnit, eq(orgUnit.id, workOrder.placeId))
    .where(and(...where))
    .orderBy(
      q.order === 'asc' ? sql`${sortCol} asc nulls last` : sql`${sortCol} desc nulls last`,
      asc(workOrder.id),
    )
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  // The whistle board shows who has and has not answered on each row.
  const whistles =
    q.queue === 'whistled'
      ? await whistlesOfMany(
          ctx.db,
          rows.map((r) => r.row.id),
        )
      : [];
  return {
    items: rows.map((r) => ({
      ...describe(r.row, undefined, new Map([[r.row.placeId, r.placeName ?? '']])),
      categoryName: r.categoryName,
      handlerName: r.handlerName,
      ...(q.queue === 'whistled'
        ? {
            whistles: whistles
              .filter((w) => w.workOrderId === r.row.id)
              .map(({ workOrderId: _w, departmentPath: _p, ...w }) => w),
          }
        : {}),
    })),
    total: rows[0]?.total ?? 0,
  };
}

/** The reporter's own work orders (the mobile app's 我的诉求). */
export async function listOwn(ctx: AppContext, caller: Caller, q: { page: number; pageSize: number }) {
  const rows = await ctx.db
    .select({
      row: workOrder,
      categoryName: workOrderCategory.name,
      total: sql<number>`count(*) over()`.mapWith(Number),
    })
    .from(workOrder)
    .innerJoin(workOrderCategory, eq(workOrderCategory.id, workOrder.categoryId))
    .where(eq(workOrder.reporterUserId, caller.user!.id))
    .orderBy(sql`${workOrder.createdAt} desc`)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return {
    items: rows.map((r) => ({ ...describe(r.row, undefined, new Map()), categoryName: r.categoryName })),
    total: rows[0]?.total ?? 0,
  };
}

export interface Act {
  type: Exclude<EventType, 'created'>;
  text?: string;
  /** Words for the reporter (public.ts); `text` stays among staff. */
  publicText?: string;
  reason?: string;
  handlerUnitId?: string;
  handlerUserId?: string;
  dueAt?: Date;
  outcome?: Outcome;
  rating?: Rating;
  departmentIds?: string[];
  mergedInto?: string;
  satisfied?: boolean;
  photoIds?: string[];
}

const refusal = (err: TransitionRefused) =>
  new AppError(
    err.reason === 'state' ? 'WRONG_STATE' : err.reason === 'actor' ? 'FORBIDDEN' : 'VALIDATION',
    err.reason === 'state' ? 409 : err.reason === 'actor' ? 403 : 400,
    'error.WORK_ORDER_REFUSED',
    { reason: err.message },
    err.reason === 'input' ? [{ path: 'type', message: err.message }] : undefined,
  );

/** A duplicate is rated once its master has closed: the reporter rates what was done about it. */
async function masterOpen(ex: Executor, row: WorkOrderRow) {
  if (!row.mergedInto) return false;
  const [master] = await ex
    .select({ status: workOrder.status })
    .from(workOrder)
    .where(eq(workOrder.id, row.mergedInto));
  return master?.status !== 'closed';
}

/**
 * One step of the loop: checked by the state machine, stored as an event, projected, notified.
 * With an Idempotency-Key (the mobile outbox sends one), a retried step returns the order as it
 * is and adds nothing: the key is checked under the order's row lock, so concurrent retries queue.
 */
export async function act(ctx: AppContext, caller: Caller, id: string, input: Act, key?: string) {
  const me = caller.user!;
  let replayed = false;
  const step = ctx.db.transaction(async (tx) => {
    const row = await loadVisible(tx, caller, id, true);
    if (key) {
      const used = await byKey(tx, me.id, key);
      if (used && (used.id !== id || used.eventSeq === null))
        throw new AppError('CONFLICT', 409, 'error.IDEMPOTENCY_KEY_REUSED');
      if (used) {
        replayed = true;
        return;
      }
    }
    const whistles = await whistlesOf(tx, id);
    const { can, department } = capabilitiesOf(caller, row, whistles);
    if (input.type === 'rated' && (await masterOpen(tx, row)))
      throw refusal(new TransitionRefused('state', '主工单办结后才能评价'));
    const at = new Date();
    const event: WorkOrderEvent = {
      type: input.type,
      at,
      actorId: me.id,
      reason: input.reason,
      outcome: input.outcome,
      rating: input.rating,
      mergedInto: input.mergedInto,
      satisfied: input.satisfied,
      departments: input.departmentIds,
      departmentId: department ?? undefined,
    };
    const data: Record<string, unknown> = {};
    if (input.type === 'dispatched' || input.type === 'transferred') {
      const handler = await handlerFor(tx, caller, row, input);
      event.handler = { unitId: handler.unit?.id ?? null, userId: input.handlerUserId ?? null };
      event.dueAt = input.dueAt ?? row.dueAt;
      Object.assign(data, {
        handlerUnitId: event.handler.unitId,
        handlerUserId: event.handler.userId,
        handlerName: handler.unit
          ? (await unitLabels(tx, [handler.unit.id])).get(handler.unit.id)
          : undefined,
        dueAt: event.dueAt,
      });
    }
    if (input.type === 'whistled') await checkDepartments(tx, row, input.departmentIds ?? []);
    if (input.type === 'merged' && input.mergedInto) {
      const target = await loadVisible(tx, caller, input.mergedInto).catch(() => null);
      if (!target || target.id === row.id) throw invalid('mergedInto', '要合并到的工单不存在');
    }
    let next: WorkOrderState;
    try {
      next = transition(revive(row.state), event, can);
    } catch (err) {
      if (err instanceof TransitionRefused) throw refusal(err);
      throw err;
    }
    Object.assign(
      data,
      Object.fromEntries(
        Object.entries({
          text: input.text?.trim() || undefined,
          publicText: input.publicText?.trim() || undefined,
          reason: input.reason,
          outcome: input.outcome,
          rating: input.rating,
          departmentIds: input.departmentIds,
          departmentId:
            input.type === 'acknowledged' || input.type === 'replied' ? (department ?? undefined) : undefined,
          mergedInto: input.mergedInto,
          satisfied: input.satisfied,
          photoIds: input.photoIds?.length ? input.photoIds : undefined,
        }).filter(([, v]) => v !== undefined),
      ),
    );
    if (key)
      await tx
        .insert(idempotencyKey)
        .values({ key, userId: me.id, workOrderId: id, eventSeq: row.eventCount + 1 });
    await tx.insert(workOrderEvent).values({
      workOrderId: row.id,
      seq: row.eventCount + 1,
      type: input.type,
      at,
      actorId: me.id,
      actorName: me.displayName,
      data,
    });
    if (input.photoIds?.length)
      await attachFiles(tx, caller, input.photoIds, {
        ownerType: 'workOrder',
        ownerId: row.id,
        orgPath: row.orgPath,
      });
    const handlerUnit = next.handler?.unitId ? ((await findOrgUnit(tx, next.handler.unitId)) ?? null) : null;
    const problem = isProblem(next, ctx.config.problemLimits);
    if (problem && !row.problem) await escalate(ctx, tx, caller, row, '问题工单');
    await tx
      .update(workOrder)
      .set({
        status: next.status,
        outcome: next.outcome,
        handlerUnitId: next.handler?.unitId ?? null,
        handlerUserId: next.handler?.userId ?? null,
        handlerPath: handlerUnit?.path ?? null,
        dueAt: next.dueAt,
        rating: next.rating,
        mergedInto: next.mergedInto ?? null,
        reworkCount: next.reworkCount,
        returnCount: next.returnCount,
        problem,
        closedAt: next.closedAt,
        followUpDueAt:
          next.status === 'closed' && next.closedAt ? ctx.calendar.nextWorkingDayEnd(next.closedAt) : null,
        state: serialise(next),
        eventCount: row.eventCount + 1,
        updatedAt: at,
      })
      .where(eq(workOrder.id, row.id));
    await whistleRows(ctx, tx, row, input, department, at);
    await tellPeople(ctx, tx, row, input, next, handlerUnit);
    if (input.type === 'merged')
      await audit(tx, caller, {
        action: 'workOrder.merged',
        targetType: 'workOrder',
        targetId: row.id,
        orgPath: row.orgPath,
        summary: `工单 ${row.number} 并入其他工单`,
      });
  });
  await step.catch((err) => {
    // The same key used at the same moment for a step on another order.
    throw key && keyConflict(err) ? new AppError('CONFLICT', 409, 'error.IDEMPOTENCY_KEY_REUSED') : err;
  });
  return { ...(await getWorkOrder(ctx, caller, id)), replayed };
}

/**
 * 提级督办: a problem work order (or an overdue one) goes to the level above its community — the
 * street's staff are told and it is marked, once.
 */
export async function escalate(
  ctx: AppContext,
  ex: Executor,
  caller: Caller,
  row: WorkOrderRow,
  why: string,
) {
  if (row.escalatedAt) return;
  const street = await ancestorOf(ex, row.orgPath, 'street');
  const above = street ?? (await ancestorOf(ex, row.orgPath, 'district'));
  await ex.update(workOrder).set({ escalatedAt: new Date() }).where(eq(workOrder.id, row.id));
  if (above)
    await notify(ex, ctx, {
      userIds: await unitStaff(ex, above.id),
      kind: 'workOrder.escalated',
      title: `提级督办（${why}）：${row.title}`,
      body: row.number,
      link: `/work-orders/${row.id}`,
      targetType: 'workOrder',
      targetId: row.id,
    });
  await audit(ex, caller, {
    action: 'workOrder.escalated',
    targetType: 'workOrder',
    targetId: row.id,
    orgPath: row.orgPath,
    summary: `工单 ${row.number} 提级督办：${why}`,
  });
}

/** The unit (grid, community, department…) a work order is sent to: inside the dispatcher's reach. */
async function handlerFor(ex: Executor, caller: Caller, row: WorkOrderRow, input: Act) {
  if (!input.handlerUnitId) return { unit: null };
  const unit = await findOrgUnit(ex, input.handlerUnitId);
  if (!unit || !['grid', 'community', 'street', 'department', 'organisation'].includes(unit.kind))
    throw invalid('handlerUnitId', '请选择承办的网格、社区、街道或部门');
  // Departments serve the whole district; other units must lie inside the dispatcher's subtree.
  const reach =
    unit.kind === 'department'
      ? unit.districtCode === row.districtCode
      : within(caller, 'workOrder.dispatch', unit.path);
  if (!reach) throw invalid('handlerUnitId', '只能派给本辖区的单位或本区的职能部门');
  return { unit };
}

async function checkDepartments(ex: Executor, row: WorkOrderRow, ids: string[]) {
  for (const id of ids) {
    const unit = await findOrgUnit(ex, id);
    if (unit?.kind !== 'department' || unit.districtCode !== row.districtCode)
      throw invalid('departmentIds', '只能向本区的职能部门吹哨');
  }
}

async function whistleRows(
  ctx: AppContext,
  ex: Executor,
  row: WorkOrderRow,
  input: Act,
  department: string | null,
  at: Date,
) {
  if (input.type === 'whistled') {
    for (const id of input.departmentIds ?? []) {
      const unit = (await findOrgUnit(ex, id))!;
      await ex
        .insert(workOrderWhistle)
        .values({
          workOrderId: row.id,
          departmentId: id,
          departmentPath: unit.path,
          whistledAt: at,
          dueAt: ctx.calendar.addWorkingDays(at, 1),
        })
        .onConflictDoNothing();
    }
  }
  if (department && (input.type === 'acknowledged' || input.type === 'replied')) {
    await ex
      .update(workOrderWhistle)
      .set(
        input.type === 'acknowledged'
          ? { acknowledgedAt: at }
          : { repliedAt: sql`coalesce(${workOrderWhistle.repliedAt}, ${at})` as any },
      )
      .where(and(eq(workOrderWhistle.workOrderId, row.id), eq(workOrderWhistle.departmentId, department)));
  }
}

/** Who hears about a step: the new handler, whistled departments, the supervised handler, the reporter. */
async function tellPeople(
  ctx: AppContext,
  ex: Executor,
  row: WorkOrderRow,
  input: Act,
  next: WorkOrderState,
  handlerUnit: { id: string } | null,
) {
  const link = `/work-orders/${row.id}`;
  const base = { link, targetType: 'workOrder', targetId: row.id, body: row.number };
  const handlerUsers = next.handler?.userId
    ? [next.handler.userId]
    : handlerUnit
      ? await unitStaff(ex, handlerUnit.id)
      : [];
  switch (input.type) {
    case 'dispatched':
    case 'transferred':
      await notify(ex, ctx, {
        ...base,
        userIds: handlerUsers,
        kind: 'workOrder.assigned',
        title: `新派工单：${row.title}`,
      });
      break;
    case 'whistled':
      for (const d of input.departmentIds ?? [])
        await notify(ex, ctx, {
          ...base,
          userIds: await unitStaff(ex, d),
          kind: 'workOrder.whistled',
          title: `社区吹哨，请报到：${row.title}`,
        });
      break;
    case 'supervised':
      await notify(ex, ctx, {
        ...base,
        userIds: handlerUsers,
        kind: 'workOrder.supervised',
        title: `督办：${row.title}`,
        body: input.text ?? row.number,
      });
      break;
    case 'verified':
    case 'closed':
    case 'rejected': {
      // Everyone who reported it, including the reporters of duplicates merged into it.
      const merged = rowsOf<{ id: string }>(
        await ex.execute(sql`select reporter_user_id as id from work_order
          where merged_into = ${row.id}::uuid and reporter_user_id is not null`),
      ).map((r) => r.id);
      const reporters = [...new Set([...(row.reporterUserId ? [row.reporterUserId] : []), ...merged])];
      if (reporters.length)
        await notify(ex, ctx, {
          ...base,
          userIds: reporters,
          kind: 'workOrder.closed',
          title: `您的诉求已办结：${row.title}`,
        });
      break;
    }
    case 'merged':
      if (row.reporterUserId)
        await notify(ex, ctx, {
          ...base,
          link: `/work-orders/${input.mergedInto}`,
          userIds: [row.reporterUserId],
          kind: 'workOrder.merged',
          title: `您的诉求与他人反映的同一问题合并办理：${row.title}`,
        });
      break;
    case 'rated':
      if (input.rating === 'unsatisfied' && row.createdBy && row.createdBy !== row.reporterUserId)
        await notify(ex, ctx, {
          ...base,
          userIds: [row.createdBy],
          kind: 'workOrder.rated',
          title: `群众不满意：${row.title}`,
        });
      break;
  }
}

/**
 * Open work orders of the same category near a point, filed in the last hours: suggested at intake
 * so a resident can follow an existing report instead of filing a second one. Only what anybody
 * may know is returned (no reporter, no description).
 */
export async function similarWorkOrders(
  ctx: AppContext,
  q: { categoryId: string; lng: number; lat: number },
) {
  const { DUPLICATE_METRES: metres, DUPLICATE_HOURS: hours } = ctx.config;
  // Equirectangular distance: exact to well under a metre at a few hundred metres.
  const distance = sql<number>`6371000 * sqrt(power(radians(${workOrder.lng} - ${q.lng}) * cos(radians(${q.lat})), 2)
    + power(radians(${workOrder.lat} - ${q.lat}), 2))`;
  const rows = await ctx.db
    .select({
      id: workOrder.id,
      number: workOrder.number,
      title: workOrder.title,
      status: workOrder.status,
      createdAt: workOrder.createdAt,
      distance: distance.mapWith(Number),
    })
    .from(workOrder)
    .where(
      and(
        eq(workOrder.categoryId, q.categoryId),
        sql`${workOrder.status} <> 'closed'`,
        sql`${workOrder.createdAt} > now() - make_interval(hours => ${hours})`,
        sql`${workOrder.lng} between ${q.lng - 0.05} and ${q.lng + 0.05}`,
        sql`${workOrder.lat} between ${q.lat - 0.05} and ${q.lat + 0.05}`,
        sql`${distance} <= ${metres}`,
      ),
    )
    .orderBy(distance)
    .limit(5);
  return rows.map((r) => ({
    ...r,
    title: maskPiiInText(r.title),
    status: r.status as WorkOrderState['status'],
    distance: Math.round(r.distance),
  }));
}

/** A photo of a work order, for anybody who may see the work order (the reporter sees the reply's). */
export async function workOrderPhoto(ctx: AppContext, caller: Caller, id: string, fileId: string) {
  const wo = await loadVisible(ctx.db, caller, id);
  // A hidden or blurred original is for staff only.
  if (publicPhoto(wo, fileId) !== fileId && !capabilitiesOf(caller, wo, []).can.has('staff'))
    throw notFound();
  const [row] = await ctx.db
    .select()
    .from(file)
    .where(and(eq(file.id, fileId), eq(file.ownerType, 'workOrder'), eq(file.ownerId, id)));
  if (!row) throw notFound();
  return row;
}

/** The departments a work order may be whistled or dispatched to: those of its district. */
export async function departmentsFor(ctx: AppContext, caller: Caller, id: string) {
  const row = await loadVisible(ctx.db, caller, id);
  return ctx.db
    .select({ id: orgUnit.id, name: orgUnit.name })
    .from(orgUnit)
    .where(
      and(
        eq(orgUnit.kind, 'department'),
        eq(orgUnit.districtCode, row.districtCode ?? ''),
        sql`${orgUnit.deletedAt} is null`,
      ),
    )
    .orderBy(asc(orgUnit.code));
}

/** What the public sees of a photo after moderation: itself, its blurred copy, or nothing. */
function publicPhoto(row: WorkOrderRow, fileId: string): string | null {
  const moderated = row.publicPhotos ?? {};
  return fileId in moderated ? moderated[fileId] : fileId;
}

export interface Moderation {
  publicDescription?: string | null;
  photos?: { fileId: string; action: 'show' | 'hide' | 'blur' }[];
}

/**
 * Moderation of what the public sees (Open311, the reporter's view of others' photos): a redacted
 * text, photos hidden or blurred (faces, number plates). Originals stay for staff; audited.
 */
export async function moderate(ctx: AppContext, caller: Caller, id: string, input: Moderation) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadVisible(tx, caller, id, true);
    if (!within(caller, 'workOrder.triage', row.orgPath)) throw forbidden();
    const publicPhotos = { ...(row.publicPhotos ?? {}) };
    for (const p of input.photos ?? []) {
      const [original] = await tx
        .select()
        .from(file)
        .where(and(eq(file.id, p.fileId), eq(file.ownerType, 'workOrder'), eq(file.ownerId, id)));
      if (!original?.mime.startsWith('image/')) throw invalid('photos', '照片不属于该工单');
      if (p.action === 'show') delete publicPhotos[p.fileId];
      else if (p.action === 'hide') publicPhotos[p.fileId] = null;
      else {
        const blurred = await sharp(await ctx.files.read(original))
          .rotate()
          .blur(30)
          .jpeg()
          .toBuffer();
        const copy = await ctx.files.save(tx, blurred, {
          name: `blurred-${original.name ?? original.id}.jpg`,
          createdBy: caller.user!.id,
        });
        await attachFiles(tx, caller, [copy.id], {
          ownerType: 'workOrder',
          ownerId: id,
          orgPath: row.orgPath,
        });
        publicPhotos[p.fileId] = copy.id;
      }
    }
    const publicDescription =
      input.publicDescription === undefined ? row.publicDescription : input.publicDescription?.trim() || null;
    await tx.update(workOrder).set({ publicDescription, publicPhotos }).where(eq(workOrder.id, id));
    await audit(tx, caller, {
      action: 'workOrder.moderated',
      targetType: 'workOrder',
      targetId: id,
      orgPath: row.orgPath,
      summary: `工单 ${row.number} 公开内容处理：${[
        input.publicDescription !== undefined ? '文字' : null,
        ...(input.photos ?? []).map(
          (p) => ({ show: '恢复照片', hide: '隐藏照片', blur: '模糊照片' })[p.action],
        ),
      ]
        .filter(Boolean)
        .join('、')}`,
    });
  });
  return getWorkOrder(ctx, caller, id);
}
