import { sql } from 'drizzle-orm';
import { scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';

/** A period: a quarter (2026Q3) or a year (2026), as the quarters the entries index by. */
export function periodFilter(period: string) {
  if (/^\d{4}Q[1-4]$/.test(period)) return sql`e.quarter = ${period}`;
  if (/^\d{4}$/.test(period))
    return sql`e.quarter in (${sql.join(
      [1, 2, 3, 4].map((n) => sql`${`${period}Q${n}`}`),
      sql`, `,
    )})`;
  throw invalid('period', '期间应为年份（2026）或季度（2026Q3）');
}

/** Entries of the organisations under a unit, found through the (organisation, quarter, status) index. */
const branchesUnder = (path: string) =>
  sql`e.party_org_id in (select o.id from party_org o where o.org_path <@ ${path}::ltree)`;

export interface RankingQuery {
  /** The street, community or grid whose members are ranked. */
  orgUnitId: string;
  period: string;
  by: 'member' | 'branch';
  page: number;
  pageSize: number;
}

/**
 * Rankings for any org unit and period: members by their confirmed points, or branches by their
 * members' average. One query; the rank is computed by the database.
 */
export async function rankings(ctx: AppContext, caller: Caller, q: RankingQuery) {
  const unit = await findOrgUnit(ctx.db, q.orgUnitId);
  if (!unit) throw invalid('orgUnitId', '单位不存在');
  const scope = scopeFilter(caller.user, 'party.read', sql`e.org_path`);
  const rows =
    q.by === 'member'
      ? await memberRanking(ctx.db, unit.path, q.period, scope, q.page, q.pageSize)
      : await branchRanking(ctx.db, unit.path, q.period, scope, q.page, q.pageSize);
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

export async function memberRanking(
  ex: Executor,
  path: string,
  period: string,
  scope: ReturnType<typeof sql>,
  page: number,
  pageSize: number,
) {
  return rowsOf<{
    id: string;
    name: string;
    partyOrgName: string;
    points: number;
    rank: number;
    total: number;
  }>(
    await ex.execute(sql`select s.member_id as id, r.name, o.name as "partyOrgName", s.points, s.rank, s.total
      from (select e.member_id, sum(e.points)::int as points,
              rank() over (order by sum(e.points) desc)::int as rank, count(*) over()::int as total
            from points_entry e
            where ${branchesUnder(path)} and ${periodFilter(period)} and e.status = 'confirmed' and ${scope}
            group by e.member_id
            order by points desc, e.member_id limit ${pageSize} offset ${(page - 1) * pageSize}) s
        join party_member m on m.id = s.member_id join resident r on r.id = m.resident_id
        join party_org o on o.id = m.party_org_id
      order by s.rank, r.name`),
  );
}

async function branchRanking(
  ex: Executor,
  path: string,
  period: string,
  scope: ReturnType<typeof sql>,
  page: number,
  pageSize: number,
) {
  return rowsOf<{ id: string; name: string; members: number; points: number; rank: number; total: number }>(
    await ex.execute(sql`select o.id, o.name, s.members, s.points, s.rank, s.total
      from (select e.party_org_id, count(distinct e.member_id)::int as members,
              round(sum(e.points)::numeric / count(distinct e.member_id), 1)::float as points,
              rank() over (order by sum(e.points)::numeric / count(distinct e.member_id) desc)::int as rank,
              count(*) over()::int as total
            from points_entry e
            where ${branchesUnder(path)} and ${periodFilter(period)} and e.status = 'confirmed' and ${scope}
            group by e.party_org_id
            order by rank, e.party_org_id limit ${pageSize} offset ${(page - 1) * pageSize}) s
        join party_org o on o.id = s.party_org_id order by s.rank, o.name`),
  );
}
