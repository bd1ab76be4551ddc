import { type SQL, sql } from 'drizzle-orm';
import { scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';
import { ownCheckIn, readableCheckIn } from './check-ins.js';
import { readablePartyOrg } from './orgs.js';

export interface CheckInQuery {
  page: number;
  pageSize: number;
  orgUnitId?: string;
  status?: 'pending' | 'confirmed' | 'refused';
  kind?: 'member' | 'organisation';
}

const hours = (minutes: string) => sql.raw(`round(coalesce(${minutes}, 0) / 60.0, 1)::float`);

/** One line per check-in: who (member or organisation), where, state, and the confirmed services so far. */
const checkInSelect = sql`select c.id, c.kind, c.status, c.member_id as "memberId", r.name as "memberName",
    c.workplace_org_id as "workplaceOrgId", w.name as "workplaceOrgName", m.workplace,
    c.org_unit_id as "orgUnitId", u.name as "orgUnitName", c.note, c.reason,
    c.created_at as "createdAt", c.decided_at as "decidedAt",
    coalesce(s.services, 0)::int as services, ${hours('s.minutes')} as hours,
    count(*) over()::int as total
  from party_check_in c join org_unit u on u.id = c.org_unit_id
    left join party_member m on m.id = c.member_id left join resident r on r.id = m.resident_id
    left join party_org w on w.id = c.workplace_org_id
    left join lateral (select count(*) as services, sum(minutes) as minutes from service_record x
      where x.check_in_id = c.id and x.status = 'confirmed') s on true`;

async function pageOf(ex: Executor, where: SQL[], q: { page: number; pageSize: number }) {
  const rows = rowsOf<any>(
    await ex.execute(sql`${checkInSelect} where ${sql.join(where, sql` and `)}
      order by c.status = 'pending' desc, c.created_at desc, c.id
      limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
  );
  return {
    items: rows.map(({ total: _t, createdAt, decidedAt, ...r }) => ({
      ...r,
      createdAt: new Date(createdAt),
      decidedAt: decidedAt ? new Date(decidedAt) : null,
    })),
    total: rows[0]?.total ?? 0,
  };
}

async function underUnit(ex: Executor, orgUnitId: string | undefined) {
  if (!orgUnitId) return sql`true`;
  const unit = await findOrgUnit(ex, orgUnitId);
  if (!unit) throw invalid('orgUnitId', '单位不存在');
  return sql`c.org_path <@ ${unit.path}::ltree`;
}

/** Check-ins received in the caller's subtree (the community's list: pending first). */
export async function listCheckIns(ctx: AppContext, caller: Caller, q: CheckInQuery) {
  const where = [
    scopeFilter(caller.user, 'party.read', sql`c.org_path`),
    await underUnit(ctx.db, q.orgUnitId),
  ];
  if (q.status) where.push(sql`c.status = ${q.status}`);
  if (q.kind) where.push(sql`c.kind = ${q.kind}`);
  return pageOf(ctx.db, where, q);
}

/** The workplace's view: its own members' check-ins (and its own), wherever they live; nobody else's. */
export async function workplaceCheckIns(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  q: { page: number; pageSize: number },
) {
  const org = await readablePartyOrg(ctx.db, caller, orgId);
  return pageOf(ctx.db, [sql`c.workplace_org_id = ${org.id}::uuid`], q);
}

/** Posts picked, services recorded and the reviews of one check-in. */
async function describeCheckIn(ex: Executor, id: string) {
  const [head] = (await pageOf(ex, [sql`c.id = ${id}::uuid`], { page: 1, pageSize: 1 })).items;
  const posts = rowsOf<{ id: string; name: string }>(
    await ex.execute(sql`select p.id, p.name from community_post_pick k join community_post p on p.id = k.post_id
      where k.check_in_id = ${id}::uuid order by k.created_at`),
  );
  const serviceRecords = rowsOf<any>(
    await ex.execute(sql`select x.id, x.served_on::text as "servedOn", ${hours('x.minutes')} as hours, x.what,
        x.status, x.reason, x.photo_file_id as "photoFileId", p.name as "postName"
      from service_record x left join community_post p on p.id = x.post_id
      where x.check_in_id = ${id}::uuid order by x.served_on desc, x.created_at desc limit 200`),
  );
  const reviews = rowsOf<any>(
    await ex.execute(sql`select year, reviewer, rating, comment from mutual_review
      where check_in_id = ${id}::uuid order by year desc, reviewer`),
  );
  return { ...head, posts, serviceRecords, reviews };
}

export async function getCheckIn(ctx: AppContext, caller: Caller, id: string) {
  const c = await readableCheckIn(ctx.db, caller, id);
  return describeCheckIn(ctx.db, c.id);
}

/** The member's own check-in with its posts, services and reviews (null: not checked in). */
export async function ownCheckInView(ctx: AppContext, caller: Caller) {
  const { checkIn } = await ownCheckIn(ctx.db, caller);
  return checkIn ? describeCheckIn(ctx.db, checkIn.id) : null;
}

/** Counts per community in the caller's subtree: members and organisations checked in, services, hours. */
export async function checkInStats(ctx: AppContext, caller: Caller, q: { orgUnitId?: string }) {
  const scope = scopeFilter(caller.user, 'party.read', sql`c.org_path`);
  const under = await underUnit(ctx.db, q.orgUnitId);
  return rowsOf<{
    orgUnitId: string;
    orgUnitName: string;
    members: number;
    organisations: number;
    pending: number;
    services: number;
    hours: number;
  }>(
    await ctx.db.execute(sql`select u.id as "orgUnitId", u.name as "orgUnitName",
        count(*) filter (where c.kind = 'member' and c.status = 'confirmed')::int as members,
        count(*) filter (where c.kind = 'organisation' and c.status = 'confirmed')::int as organisations,
        count(*) filter (where c.status = 'pending')::int as pending,
        coalesce(sum(s.services), 0)::int as services, ${hours('sum(s.minutes)')} as hours
      from party_check_in c join org_unit u on u.id = c.org_unit_id
        left join lateral (select count(*) as services, sum(minutes) as minutes from service_record x
          where x.check_in_id = c.id and x.status = 'confirmed') s on true
      where ${scope} and ${under} and c.status <> 'refused'
      group by u.id, u.name order by members desc, u.name limit 1000`),
  );
}
