import { sql } from 'drizzle-orm';
import { authorize } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';
import { periodFilter } from './rankings.js';

export interface HonourBoardQuery {
  orgUnitId: string;
  period: string;
  /** How many on each side of each board. */
  size: number;
}

interface Line {
  id: string;
  name: string;
  partyOrgName: string;
  points: number;
  rank: number;
}

/**
 * 红黑榜, the party board: the top (红榜) and the bottom (黑榜) of the members and of the branches
 * under a unit for a period. Every member of those branches is on the list, so one who scored
 * nothing is at the bottom, not missing; branches rank by their members' average.
 */
export async function honourBoard(ctx: AppContext, caller: Caller, q: HonourBoardQuery) {
  const unit = await findOrgUnit(ctx.db, q.orgUnitId);
  if (!unit) throw invalid('orgUnitId', '单位不存在');
  authorize(caller.user, 'party.read', unit.path);
  const [members, branches] = await Promise.all([
    board(ctx.db, memberTotals(unit.path, q.period), q.size),
    board(ctx.db, branchAverages(unit.path, q.period), q.size),
  ]);
  return { orgUnitId: unit.id, orgUnitName: unit.name, period: q.period, members, branches };
}

/** Each member of the organisations under `path` with their confirmed points of the period (0 when none). */
const memberTotals = (path: string, period: string) => sql`select m.id, r.name, o.name as "partyOrgName",
    coalesce(sum(e.points), 0)::float as points
  from party_member m join resident r on r.id = m.resident_id join party_org o on o.id = m.party_org_id
    left join points_entry e on e.member_id = m.id and e.party_org_id = m.party_org_id
      and e.status = 'confirmed' and ${periodFilter(period)}
  where o.org_path <@ ${path}::ltree group by m.id, r.name, o.name`;

/** Each organisation with members under `path`, by its members' average points of the period. */
const branchAverages = (path: string, period: string) => sql`select o.id, o.name, p.name as "partyOrgName",
    round(coalesce(sum(e.points), 0)::numeric / count(distinct m.id), 1)::float as points
  from party_org o join party_member m on m.party_org_id = o.id left join party_org p on p.id = o.parent_id
    left join points_entry e on e.member_id = m.id and e.party_org_id = o.id
      and e.status = 'confirmed' and ${periodFilter(period)}
  where o.org_path <@ ${path}::ltree group by o.id, o.name, p.name`;

/** The top and the bottom `size` of a list; a list shorter than both sides gives each line once, on the red side. */
async function board(ex: Executor, totals: ReturnType<typeof sql>, size: number) {
  const rows = rowsOf<Line & { low: number; total: number }>(
    await ex.execute(sql`select t.*, rank() over (order by t.points desc)::int as rank,
        row_number() over (order by t.points, t.name, t.id)::int as low, count(*) over ()::int as total
      from (${totals}) t order by t.points desc, t.name, t.id`),
  );
  const total = rows[0]?.total ?? 0;
  const line = ({ low: _l, total: _t, ...r }: Line & { low: number; total: number }): Line => r;
  const red = rows.slice(0, size).map(line);
  const black = rows
    .filter((r, i) => i >= size && r.low <= size)
    .sort((a, b) => a.low - b.low)
    .map(line);
  return { total, red, black };
}
