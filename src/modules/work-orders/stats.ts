import { type SQL, sql } from 'drizzle-orm';
import { authorize, grantsFor } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';
import { findOrgUnit, unitLabelSql, unitLabels } from '../org/units.js';
import { type Channel, visibleTo } from './service.js';
import type { Status } from './workflow.js';

/**
 * Statistics of work orders (the 三率 12345 centres are assessed on, and the others), computed in SQL
 * from the event log and the projection columns. Every figure is over one **cohort**: the work orders
 * *filed* in [from, to) whose place lies in the chosen org subtree (for a department: those it is
 * handling), as they stand at `asOf` (now). Merged duplicates (`outcome = duplicate`) count in `total`
 * but in no rate: they are the same matter as another order, which is counted.
 *
 * Definitions (the names are the GLOSSARY's):
 * - responseRate 响应率: orders whose first triage decision (受理 `accepted` or 不予受理 `rejected`) came
 *   within RESPONSE_HOURS (24 h) of filing ÷ orders (excluding duplicates).
 * - solvedRate 解决率: closed with outcome `resolved` ÷ closed (excluding duplicates).
 * - satisfactionRate 满意率: rated 满意 or 基本满意 ÷ rated.
 * - onTimeAcceptRate 按时签收率: dispatched orders whose handler signed for them (the first `accepted`
 *   after the triage one, or resolving it without signing) by the due time ÷ dispatched orders that
 *   have been signed for or are past due (those still inside their time are not judged yet).
 * - resolvedRate 办结率: closed ÷ orders (both excluding duplicates).
 * - onTimeRate 按期办结率: closed with closedAt ≤ dueAt ÷ closed (excluding duplicates).
 * - reworkRate 返工率: closed orders that had ≥ 1 `verificationFailed` (发回重办) or `reopened` event
 *   ÷ closed (excluding duplicates).
 * - avgHandlingHours 平均办理时长: mean of closedAt − createdAt, in hours, over the same closed orders.
 * A rate whose denominator is 0 is null.
 */
export const RESPONSE_HOURS = 24;
/** Trend buckets are days for periods up to this many days, months beyond. */
const DAILY_TREND_MAX_DAYS = 62;

export interface StatsQuery {
  orgUnitId?: string;
  from: Date;
  to: Date;
  asOf?: Date;
}

/** The subtree the figures are for: the unit asked for (inside the caller's `workOrder.stats` grants). */
export async function statsScope(ex: Executor, caller: Caller, orgUnitId?: string) {
  const me = caller.user;
  authorize(me, 'workOrder.stats');
  let unitId = orgUnitId;
  if (!unitId) {
    const grant = grantsFor(me, 'workOrder.stats')[0];
    if (grant.orgPath === null) return { unit: null, path: null, byHandler: false };
    unitId = grant.orgUnitId!;
  }
  const unit = await findOrgUnit(ex, unitId);
  if (!unit) throw notFound();
  authorize(me, 'workOrder.stats', unit.path, { outside: 'forbidden' });
  // A department's figures are the orders it handles; a place's, the orders filed there.
  const byHandler = unit.kind === 'department' || unit.kind === 'organisation';
  return { unit, path: unit.path, byHandler };
}
type Scope = Awaited<ReturnType<typeof statsScope>>;

const inScope = (scope: Scope, alias = 'w'): SQL => {
  const a = sql.raw(alias);
  return scope.path === null
    ? sql`true`
    : scope.byHandler
      ? sql`${a}.handler_path <@ ${scope.path}::ltree`
      : sql`${a}.org_path <@ ${scope.path}::ltree`;
};

/** The cohort predicate on a `work_order` alias: filed in [from, to) within the scope. */
const cohort = (scope: Scope, q: { from: Date; to: Date }, alias: string): SQL => {
  const a = sql.raw(alias);
  return sql`${a}.created_at >= ${q.from.toISOString()}::timestamptz and ${a}.created_at < ${q.to.toISOString()}::timestamptz
    and ${inScope(scope, alias)}`;
};

/**
 * One row per order of the cohort with what the rates need from its events. The CTE `f` (facts) is
 * used by the queries below. Each CTE is referenced once, so PostgreSQL inlines them rather than
 * materialising (and, with a small work_mem, spilling) the cohort.
 */
function facts(scope: Scope, q: Required<Pick<StatsQuery, 'from' | 'to'>>): SQL {
  return sql`o as (
    select w.id, w.status, w.outcome, w.rating, w.created_at, w.closed_at, w.due_at, w.category_id,
      w.channel, w.org_path, w.handler_unit_id, w.problem
    from work_order w where ${cohort(scope, q, 'w')}
  ), ev as (
    select e.work_order_id as id,
      min(e.at) filter (where e.type in ('accepted', 'rejected')) as first_response,
      least((array_agg(e.at order by e.seq) filter (where e.type = 'accepted'))[2],
        min(e.at) filter (where e.type = 'resolved')) as handler_signed,
      bool_or(e.type = 'dispatched') as dispatched,
      bool_or(e.type in ('verificationFailed', 'reopened')) as reworked
    from work_order_event e join work_order c on c.id = e.work_order_id
    where ${cohort(scope, q, 'c')} and e.type in ('accepted', 'rejected', 'resolved', 'dispatched', 'verificationFailed', 'reopened')
    group by e.work_order_id
  ), f as (
    select o.*, ev.first_response, ev.handler_signed, coalesce(ev.dispatched, false) as dispatched,
      coalesce(ev.reworked, false) as reworked,
      o.outcome is distinct from 'duplicate' as counted,
      o.status = 'closed' and o.outcome is distinct from 'duplicate' as done
    from o left join ev on ev.id = o.id
  )`;
}

/** The counts every rate is made of, as SQL select items over `f`. */
function measures(asOf: Date): SQL {
  const now = sql`${asOf.toISOString()}::timestamptz`;
  // count(id), not count(*): a unit without orders meets them through an outer join's null row.
  return sql`count(f.id)::int as total,
    count(*) filter (where not f.counted)::int as duplicates,
    count(*) filter (where f.counted)::int as counted,
    count(*) filter (where f.status <> 'closed')::int as open,
    count(*) filter (where f.status <> 'closed' and f.due_at < ${now})::int as overdue,
    count(*) filter (where f.counted
      and f.first_response <= f.created_at + make_interval(hours => ${RESPONSE_HOURS}))::int as responded,
    count(*) filter (where f.done)::int as closed,
    count(*) filter (where f.done and f.outcome = 'resolved')::int as solved,
    count(*) filter (where f.done and f.closed_at <= f.due_at)::int as closed_on_time,
    count(*) filter (where f.done and f.reworked)::int as reworked,
    count(*) filter (where f.rating is not null)::int as rated,
    count(*) filter (where f.rating in ('satisfied', 'basicallySatisfied'))::int as satisfied,
    count(*) filter (where f.rating = 'unsatisfied')::int as unsatisfied,
    count(*) filter (where f.dispatched and (f.handler_signed is not null or f.due_at < ${now}))::int as accept_judged,
    count(*) filter (where f.dispatched and f.handler_signed <= f.due_at)::int as accepted_on_time,
    count(*) filter (where f.problem and f.status <> 'closed')::int as problem,
    avg(extract(epoch from f.closed_at - f.created_at) / 3600) filter (where f.done) as avg_hours`;
}

interface Counts {
  total: number;
  duplicates: number;
  counted: number;
  open: number;
  overdue: number;
  responded: number;
  closed: number;
  solved: number;
  closed_on_time: number;
  reworked: number;
  rated: number;
  satisfied: number;
  unsatisfied: number;
  accept_judged: number;
  accepted_on_time: number;
  problem: number;
  avg_hours: string | number | null;
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/** Counts and the rates made of them (see the definitions at the top of this file). */
export function summarise(c: Counts) {
  return {
    total: c.total,
    duplicates: c.duplicates,
    open: c.open,
    overdue: c.overdue,
    closed: c.closed,
    solved: c.solved,
    closedOnTime: c.closed_on_time,
    reworked: c.reworked,
    rated: c.rated,
    satisfied: c.satisfied,
    unsatisfied: c.unsatisfied,
    problem: c.problem,
    responseRate: rate(c.responded, c.counted),
    solvedRate: rate(c.solved, c.closed),
    satisfactionRate: rate(c.satisfied, c.rated),
    onTimeAcceptRate: rate(c.accepted_on_time, c.accept_judged),
    resolvedRate: rate(c.closed, c.counted),
    onTimeRate: rate(c.closed_on_time, c.closed),
    reworkRate: rate(c.reworked, c.closed),
    avgHandlingHours: c.avg_hours === null ? null : Math.round(Number(c.avg_hours) * 100) / 100,
  };
}
export type Summary = ReturnType<typeof summarise>;

/** 红黑榜 score: weighted mean of the rates a unit has (办结率 .3, 按期办结率 .3, 满意率 .4), × 100. */
export function score(
  s: { resolvedRate: number | null; onTimeRate: number | null; satisfactionRate: number | null },
  extra: [number | null, number][] = [],
) {
  const parts: [number | null, number][] = [
    [s.resolvedRate, 0.3],
    [s.onTimeRate, 0.3],
    [s.satisfactionRate, 0.4],
    ...extra,
  ];
  const known = parts.filter(([v]) => v !== null) as [number, number][];
  const weight = known.reduce((a, [, w]) => a + w, 0);
  return weight ? Math.round((known.reduce((a, [v, w]) => a + v * w, 0) / weight) * 1000) / 10 : null;
}

const bucketOf = (q: { from: Date; to: Date }): 'day' | 'month' =>
  (q.to.getTime() - q.from.getTime()) / 86400_000 <= DAILY_TREND_MAX_DAYS ? 'day' : 'month';

/**
 * The dashboard's figures for one subtree × period in one aggregate query (grouping sets give the
 * totals, the category, channel and trend breakdowns together), plus the child-unit ranking and the
 * overdue list.
 */
export async function workOrderStats(ctx: AppContext, caller: Caller, q: StatsQuery) {
  const scope = await statsScope(ctx.db, caller, q.orgUnitId);
  const asOf = q.asOf ?? new Date();
  const bucket = bucketOf(q);
  const format = bucket === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM';
  const rows = rowsOf<
    Counts & { g: number; category_id: string | null; channel: string | null; period: string | null }
  >(
    await ctx.db.execute(sql`with ${facts(scope, q)}
      select grouping(category_id, channel, period) as g, category_id, channel, period, ${measures(asOf)}
      from (select f.*, to_char((created_at at time zone 'UTC') + interval '8 hours', ${format}) as period from f) f
      group by grouping sets ((), (category_id), (channel), (period))`),
  );
  // grouping(): bit 2 = category, 1 = channel, 0 = period; a 0 bit is the column grouped by.
  const total = rows.find((r) => r.g === 7);
  const categories = await categoryNames(ctx.db);
  const byCategory = rows
    .filter((r) => r.g === 3)
    .map((r) => {
      const c = categories.get(r.category_id!);
      return {
        categoryId: r.category_id!,
        code: c?.code ?? '',
        name: c?.name ?? '',
        groupName: c?.groupName ?? '',
        total: r.total,
        closed: r.closed,
        resolvedRate: summarise(r).resolvedRate,
      };
    })
    .sort((a, b) => b.total - a.total);
  const byChannel = rows
    .filter((r) => r.g === 5)
    .map((r) => ({ channel: r.channel as Channel, total: r.total, closed: r.closed }))
    .sort((a, b) => b.total - a.total);
  const trend = rows
    .filter((r) => r.g === 6)
    .map((r) => {
      const s = summarise(r);
      return {
        period: r.period!,
        total: r.total,
        closed: r.closed,
        resolvedRate: s.resolvedRate,
        onTimeRate: s.onTimeRate,
        satisfactionRate: s.satisfactionRate,
      };
    })
    .sort((a, b) => a.period.localeCompare(b.period));
  return {
    orgUnit: scope.unit
      ? {
          id: scope.unit.id,
          name: (await unitLabels(ctx.db, [scope.unit.id])).get(scope.unit.id)!,
          kind: scope.unit.kind,
        }
      : null,
    from: q.from,
    to: q.to,
    asOf,
    bucket,
    summary: summarise(total ?? emptyCounts),
    byCategory,
    byChannel,
    trend,
    overdue: await overdueList(ctx.db, scope, q, asOf),
  };
}

const emptyCounts: Counts = {
  total: 0,
  duplicates: 0,
  counted: 0,
  open: 0,
  overdue: 0,
  responded: 0,
  closed: 0,
  solved: 0,
  closed_on_time: 0,
  reworked: 0,
  rated: 0,
  satisfied: 0,
  unsatisfied: 0,
  accept_judged: 0,
  accepted_on_time: 0,
  problem: 0,
  avg_hours: null,
};

async function categoryNames(ex: Executor) {
  const rows = rowsOf<{ id: string; code: string; name: string; group_name: string | null }>(
    await ex.execute(sql`select c.id, c.code, c.name, p.name as group_name from work_order_category c
      left join work_order_category p on p.code = c.parent_code`),
  );
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name, groupName: r.group_name ?? r.name }]));
}

/**
 * Open orders of the cohort past their due time, most overdue first: the same orders as the
 * summary's `overdue`, so the card and the list never disagree.
 */
async function overdueList(ex: Executor, scope: Scope, q: StatsQuery, asOf: Date, limit = 20) {
  const now = sql`${asOf.toISOString()}::timestamptz`;
  const rows = rowsOf<{
    id: string;
    number: string;
    title: string;
    status: string;
    due_at: string | Date;
    category_name: string;
    place_name: string;
    handler_name: string | null;
    total: number;
  }>(
    await ex.execute(sql`select w.id, w.number, w.title, w.status, w.due_at, c.name as category_name,
        ${unitLabelSql(sql.raw('w.place_id'))} as place_name,
        ${unitLabelSql(sql.raw('w.handler_unit_id'))} as handler_name, count(*) over()::int as total
      from work_order w
      join work_order_category c on c.id = w.category_id
      where w.status <> 'closed' and w.due_at < ${now} and ${cohort(scope, q, 'w')}
      order by w.due_at asc, w.id limit ${limit}`),
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => {
      const due = new Date(r.due_at);
      return {
        id: r.id,
        number: r.number,
        title: r.title,
        status: r.status as Status,
        categoryName: r.category_name,
        placeName: r.place_name,
        handlerName: r.handler_name,
        dueAt: due,
        overdueHours: Math.floor((asOf.getTime() - due.getTime()) / 3600_000),
      };
    }),
  };
}

export const rankingKinds = ['street', 'community', 'grid', 'department'] as const;
export type RankingKind = (typeof rankingKinds)[number];

/**
 * 红黑榜: the units of one kind under the scope (streets, communities, grids: by where the orders were
 * filed) or the departments (as handlers of the scope's orders, with their whistles), each with its
 * rates and score, best first. Units without an order in the period are listed with nulls, last.
 */
export async function workOrderRankings(
  ctx: AppContext,
  caller: Caller,
  q: StatsQuery & { kind?: RankingKind },
) {
  const scope = await statsScope(ctx.db, caller, q.orgUnitId);
  const asOf = q.asOf ?? new Date();
  const kind = q.kind ?? childKind(scope.unit?.kind);
  const items =
    kind === 'department'
      ? await departmentRows(ctx.db, scope, q, asOf)
      : await unitRows(ctx.db, scope, q, asOf, kind);
  items.sort(
    (a, b) => (b.score ?? -1) - (a.score ?? -1) || b.total - a.total || a.name.localeCompare(b.name),
  );
  return { kind, items: items.map((r, i) => ({ ...r, rank: i + 1 })) };
}

const childKind = (kind: string | undefined): RankingKind =>
  kind === 'street' ? 'community' : kind === 'community' || kind === 'grid' ? 'grid' : 'street';

async function unitRows(ex: Executor, scope: Scope, q: StatsQuery, asOf: Date, kind: RankingKind) {
  const under = scope.path === null ? sql`true` : sql`u.path <@ ${scope.path}::ltree`;
  // Orders are aggregated per ancestor at the units' depth, then joined to the few units: an ltree
  // join per order (or a subtree test per pair) was quadratic on PGlite.
  const depths = rowsOf<{ d: number }>(
    await ex.execute(sql`select distinct nlevel(u.path)::int as d from org_unit u
      where u.kind = ${kind} and u.deleted_at is null and ${under}`),
  ).map((r) => r.d);
  if (!depths.length) return [];
  const rows = rowsOf<Counts & { id: string; name: string; code: string }>(
    await ex.execute(sql`with ${facts(scope, q)},
      k as (select f.key, ${measures(asOf)}
        from (select f.*, subpath(f.org_path, 0, d.n)::text as key from f
          cross join unnest(${`{${depths.join(',')}}`}::int[]) as d(n) where nlevel(f.org_path) >= d.n) f
        group by f.key)
      select k.*, u.id, ${unitLabelSql(sql.raw('u.id'))} as name, u.code
      from org_unit u left join k on k.key = u.path::text
      where u.kind = ${kind} and u.deleted_at is null and ${under}`),
  );
  return rows.map((r) => {
    const s = summarise(r.total === null ? emptyCounts : r);
    return { id: r.id, name: r.name, code: r.code, ...s, score: score(s) };
  });
}

/** Departments as handlers: the scope's orders they hold now, and the whistles blown to them. */
async function departmentRows(ex: Executor, scope: Scope, q: StatsQuery, asOf: Date) {
  const now = sql`${asOf.toISOString()}::timestamptz`;
  const rows = rowsOf<
    Counts & {
      id: string;
      name: string;
      code: string;
      whistles: number;
      whistles_on_time: number;
      whistles_unanswered: number;
    }
  >(
    await ex.execute(sql`with ${facts(scope, q)},
      wh as (select x.department_id as id, count(*)::int as whistles,
          count(*) filter (where x.acknowledged_at <= x.due_at)::int as whistles_on_time,
          count(*) filter (where (x.acknowledged_at is null and x.due_at < ${now}) or x.acknowledged_at > x.due_at)::int as whistles_unanswered
        from work_order_whistle x join work_order c on c.id = x.work_order_id where ${cohort(scope, q, 'c')} group by 1),
      h as (select f.handler_unit_id as hid, ${measures(asOf)} from f where f.handler_unit_id is not null group by 1)
      select h.*, u.id, u.name, u.code, coalesce(wh.whistles, 0) as whistles,
        coalesce(wh.whistles_on_time, 0) as whistles_on_time, coalesce(wh.whistles_unanswered, 0) as whistles_unanswered
      from org_unit u left join h on h.hid = u.id left join wh on wh.id = u.id
      where u.kind = 'department' and (h.hid is not null or wh.id is not null)`),
  );
  return rows.map((r) => {
    const s = summarise(r.total ? r : emptyCounts);
    const judged = r.whistles_on_time + r.whistles_unanswered;
    const whistleAnswerRate = rate(r.whistles_on_time, judged);
    return {
      id: r.id,
      name: r.name,
      code: r.code,
      ...s,
      whistles: r.whistles,
      whistlesUnanswered: r.whistles_unanswered,
      whistleAnswerRate,
      score: score(s, [
        [s.onTimeAcceptRate, 0.2],
        [whistleAnswerRate, 0.2],
      ]),
    };
  });
}

/**
 * Open work orders with a point, for the map (what the caller may read), newest first; with a
 * period, exactly the statistics' open cohort (filed in it, in the statistics' scope), so the map
 * and the 未结案 card count the same orders. `unlocated` counts the ones without a point.
 */
export async function openOnMap(
  ctx: AppContext,
  caller: Caller,
  q: { orgUnitId?: string; categoryId?: string; from?: Date; to?: Date; limit: number },
) {
  authorize(caller.user, 'workOrder.read');
  const where = [sql`w.status <> 'closed'`, visibleToAs('w', caller)];
  if (q.from && q.to) {
    // A period makes this the statistics' open cohort, in the statistics' own scope: a department
    // counts the orders it handles (not those it was only whistled about), a place those filed there.
    where.push(cohort(await statsScope(ctx.db, caller, q.orgUnitId), { from: q.from, to: q.to }, 'w'));
  } else {
    if (q.from) where.push(sql`w.created_at >= ${q.from.toISOString()}::timestamptz`);
    if (q.to) where.push(sql`w.created_at < ${q.to.toISOString()}::timestamptz`);
  }
  if (q.orgUnitId && !(q.from && q.to)) {
    const unit = await findOrgUnit(ctx.db, q.orgUnitId);
    if (!unit) throw notFound();
    where.push(sql`(w.org_path <@ ${unit.path}::ltree or w.handler_path <@ ${unit.path}::ltree)`);
  }
  if (q.categoryId) where.push(sql`w.category_id = ${q.categoryId}::uuid`);
  const unlocated = rowsOf<{ n: number }>(
    await ctx.db.execute(sql`select count(*)::int as n from work_order w
      where ${sql.join(where, sql` and `)} and (w.lng is null or w.lat is null)`),
  )[0].n;
  where.push(sql`w.lng is not null and w.lat is not null`);
  const now = Date.now();
  const rows = rowsOf<{
    id: string;
    number: string;
    title: string;
    status: string;
    urgency: string;
    lng: number;
    lat: number;
    due_at: string | Date | null;
    category_name: string;
    total: number;
  }>(
    await ctx.db.execute(sql`select w.id, w.number, w.title, w.status, w.urgency, w.lng, w.lat, w.due_at,
        c.name as category_name, count(*) over()::int as total
      from work_order w join work_order_category c on c.id = w.category_id
      where ${sql.join(where, sql` and `)}
      order by w.created_at desc limit ${q.limit}`),
  );
  return {
    total: rows[0]?.total ?? 0,
    unlocated,
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      status: r.status as Status,
      urgency: r.urgency,
      categoryName: r.category_name,
      lng: Number(r.lng),
      lat: Number(r.lat),
      dueAt: r.due_at ? new Date(r.due_at) : null,
      overdue: !!r.due_at && new Date(r.due_at).getTime() < now,
    })),
  };
}

/** The service's visibility predicate is written against `work_order`; alias it for our `w`. */
const visibleToAs = (_alias: 'w', caller: Caller) =>
  sql`w.id in (select work_order.id from work_order where ${visibleTo(caller)})`;
