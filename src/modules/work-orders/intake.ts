import { sql } from 'drizzle-orm';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { attachFiles } from '../../platform/files/service.js';
import { newId } from '../../platform/ids.js';
import { gridIndexFor } from '../org/locate.js';
import {
  byKey,
  type Channel,
  categoryById,
  dueFor,
  keyConflict,
  serialise,
  staffOfUnit,
  type Urgency,
} from './service.js';
import { initialState, type WorkOrderEvent } from './workflow.js';

export interface Intake {
  channel: Channel;
  categoryId: string;
  title?: string;
  description: string;
  lng?: number;
  lat?: number;
  address?: string;
  /** Staff filing for a place they name (代录); residents' reports are placed by their location. */
  placeId?: string;
  urgency?: Urgency;
  /** 代录: the caller or visitor the report is for. */
  reporterName?: string;
  reporterPhone?: string;
  anonymous?: boolean;
  photoIds?: string[];
  externalNo?: string;
  createdAt?: Date;
}

/**
 * Where a report belongs: the grid holding its point, else the place named (which must be a grid,
 * community or building), else the reporter's home unit.
 */
async function placeOf(ctx: AppContext, caller: Caller, input: Intake) {
  if (input.lng !== undefined && input.lat !== undefined) {
    const hit = await gridIndexFor(ctx.db).locate(input.lng, input.lat);
    if (hit) return { id: hit.id, named: false };
  }
  if (input.placeId) return { id: input.placeId, named: true };
  const home = caller.user?.assignments.find(
    (a) => a.orgUnitId && ['resident', 'partyMember', 'volunteer'].includes(a.role),
  );
  if (home?.orgUnitId) return { id: home.orgUnitId, named: false };
  throw invalid('lng', '位置不在任何网格内：请在地图上选点，或选择所在社区');
}

/** The day a work order is numbered by, in Beijing time. */
const dayOf = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Files a work order. With an Idempotency-Key, a retry (even a concurrent one) returns the work
 * order the first request made and creates nothing new.
 *
 * Two statements do the whole intake — the day's number, then the key, the order, its first
 * event and the community's notifications together: intake is the busiest write of the system,
 * and each round trip to the database costs more than the work itself.
 */
export async function intake(ctx: AppContext, caller: Caller, input: Intake, key?: string) {
  const me = caller.user!;
  const category = await categoryById(ctx, input.categoryId);
  if (!category || !category.active) throw invalid('categoryId', '请选择诉求类别');
  if (category.staffOnly && me.kind !== 'staff') throw invalid('categoryId', '该类别仅限工作人员使用');
  if (category.parentCode === null) throw invalid('categoryId', '请选择具体的诉求类别');
  const place = await placeOf(ctx, caller, input);
  const at = input.createdAt ?? new Date();
  const urgency = input.urgency ?? 'normal';
  const due = dueFor(ctx, category, urgency, at);
  const created: WorkOrderEvent = { type: 'created', at, actorId: me.id, dueAt: due };
  const state = initialState(created);
  const forSomeoneElse = me.kind === 'staff' && Boolean(input.reporterName || input.reporterPhone);
  const description = input.description.trim();
  const day = dayOf(at);
  const id = newId();
  const row = {
    title: input.title?.trim() || `${category.name}：${description.slice(0, 24)}`,
    reporterUserId: forSomeoneElse || input.anonymous ? null : me.id,
    reporterName: forSomeoneElse ? (input.reporterName ?? null) : input.anonymous ? null : me.displayName,
    phoneEnc: input.reporterPhone ? ctx.pii.encrypt(input.reporterPhone) : null,
    phoneHash: input.reporterPhone ? ctx.pii.blindIndex(input.reporterPhone) : null,
  };
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const placeRow = sql`select coalesce(b.id, u.id) as id, coalesce(b.path, u.path) as path,
        coalesce(b.district_code, u.district_code) as district_code, coalesce(b.name, u.name) as name
      from org_unit u left join org_unit b on u.kind = 'building' and b.id = u.parent_id
      where u.id = ${place.id}::uuid and u.deleted_at is null
        ${place.named ? sql`and u.kind in ('grid', 'community', 'building')` : sql``}`;
  const keyUnused = key
    ? sql`not exists (select 1 from idempotency_key where user_id = ${me.id}::uuid and key = ${key})`
    : sql`true`;
  // The day's number first, in a statement of its own: the district's counter row stays locked
  // only for that statement, not while the order and its rows are written. A retry of a finished
  // intake takes none; two racing retries may leave a gap, never a number used twice.
  const [serial] = rowsOf<{ last: number }>(
    await ctx.db.execute(sql`with p as (${placeRow})
      insert into work_order_serial (district_code, day, last)
      select coalesce(p.district_code, '000000'), ${day}, 1 from p where ${keyUnused}
      on conflict (district_code, day) do update set last = work_order_serial.last + 1 returning last`),
  );
  const number = serial ? `GD${day.replaceAll('-', '')}${String(serial.last).padStart(4, '0')}` : null;
  // The rest in one statement: the key, the order, its first event and the community's notices.
  const statement = sql`with p as (${placeRow}), k as (
      insert into idempotency_key (key, user_id, work_order_id)
      select ${key ?? null}::text, ${me.id}::uuid, ${id}::uuid from p where ${key ?? null}::text is not null
      on conflict do nothing returning work_order_id
    ), w as (
      insert into work_order (id, number, channel, category_id, title, description, lng, lat, address,
        place_id, org_path, district_code, reporter_user_id, reporter_name, reporter_phone_enc,
        reporter_phone_hash, anonymous, urgency, external_no, status, due_at, state, created_by, created_at)
      select ${id}::uuid, ${number}, ${input.channel},
        ${category.id}::uuid, ${row.title}, ${description}, ${input.lng ?? null}::float8, ${input.lat ?? null}::float8,
        ${input.address ?? null}, p.id, p.path, p.district_code, ${row.reporterUserId}::uuid, ${row.reporterName},
        ${row.phoneEnc}, ${row.phoneHash}, ${input.anonymous ?? false}, ${urgency}, ${input.externalNo ?? null},
        ${state.status}, ${ts(due)}, ${JSON.stringify(serialise(state))}::jsonb, ${me.id}::uuid, ${ts(at)}
      from p where ${key ? sql`exists (select 1 from k)` : sql`true`}
      returning id, number, title, org_path
    ), e as (
      insert into work_order_event (id, work_order_id, seq, type, at, actor_id, actor_name, data)
      select ${newId()}::uuid, w.id, 1, 'created', ${ts(at)}, ${me.id}::uuid, ${me.displayName},
        ${JSON.stringify({ channel: input.channel, photoIds: input.photoIds ?? [] })}::jsonb
      from w
    ), s as (
      insert into notification (id, user_id, kind, title, body, link, target_type, target_id)
      select grassroots_uuid_v7(), staff.id, 'workOrder.submitted', '新诉求待受理：' || w.title,
        w.number || ' · ' || p.name, '/work-orders/' || w.id, 'workOrder', w.id
      from w, p, lateral (${staffOfUnit(
        sql`(select c.id from org_unit c where c.kind = 'community' and c.path @> p.path limit 1)`,
      )}) staff
    )
    select w.id, w.org_path::text as path from w`;
  const write = async (ex: Executor) => {
    const [made] = rowsOf<{ id: string; path: string }>(await ex.execute(statement));
    if (made && input.photoIds?.length)
      await attachFiles(ex, caller, input.photoIds, {
        ownerType: 'workOrder',
        ownerId: id,
        orgPath: made.path,
      });
    return made?.id;
  };
  try {
    // Photos are checked and attached in the same transaction: a bad photo leaves no order.
    const made = !number
      ? null
      : input.photoIds?.length
        ? await ctx.db.transaction(write)
        : await write(ctx.db);
    if (made) return { id: made, replayed: false };
  } catch (err) {
    if (!(key && keyConflict(err))) throw err;
  }
  const existing = key ? await byKey(ctx.db, me.id, key) : undefined;
  if (existing) return { id: existing.id, replayed: true };
  throw invalid('placeId', '请选择诉求所在的社区或网格');
}
