import { eq, sql } from 'drizzle-orm';
import { authorize } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { catalogInForce } from './catalog.js';
import { quarterStatus } from './entries.js';
import { findPartyOrg, type PartyOrgRow } from './orgs.js';
import { type PointsSource, quarterOf } from './rules.js';
import { partyMember, pointsEntry } from './schema.js';

/** The catalogue item that names `source`, in the catalogue the organisation scores under (none: nothing to propose). */
async function sourceItem(ex: Executor, org: PartyOrgRow, source: PointsSource) {
  try {
    const catalog = await catalogInForce(ex, org);
    const item = catalog.items.find((i) => i.source === source);
    return item ? { catalog, item } : null;
  } catch (e) {
    if (e instanceof AppError && e.code === 'NO_CATALOG') return null;
    throw e;
  }
}

/**
 * Where the system already knows a member did something the catalogue scores, the entry is
 * proposed (status `proposed`) for the recorder to confirm or refuse, never added silently. Once
 * per source record; nothing is proposed into a quarter that is no longer open.
 */
export async function proposeFromSource(
  ex: Executor,
  p: { source: PointsSource; sourceId: string; memberId: string; on: string; note: string },
) {
  const [m] = await ex.select().from(partyMember).where(eq(partyMember.id, p.memberId));
  const org = m ? await findPartyOrg(ex, m.partyOrgId) : null;
  if (!m || !org) return null;
  const found = await sourceItem(ex, org, p.source);
  const quarter = quarterOf(p.on);
  if (!found || (await quarterStatus(ex, org.id, quarter)).status !== 'open') return null;
  const [row] = await ex
    .insert(pointsEntry)
    .values({
      memberId: m.id,
      partyOrgId: org.id,
      orgPath: org.orgPath,
      districtCode: org.districtCode,
      itemId: found.item.id,
      catalogId: found.catalog.id,
      month: `${p.on.slice(0, 7)}-01`,
      quarter,
      points: found.item.points,
      note: p.note,
      status: 'proposed',
      source: p.source,
      sourceId: p.sourceId,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** What each work-derived source reads: the member's own 随手拍 closed as resolved, their household visits. */
const workSources = {
  workOrderResolved: sql`select w.id as source_id, m.id as member_id,
      (w.closed_at at time zone 'Asia/Shanghai')::date as on_day, '随手拍办结：' || left(w.title, 40) as note
    from work_order w join party_member m on m.user_id = w.reporter_user_id
    where w.channel = 'snapshot' and w.status = 'closed' and w.outcome = 'resolved'`,
  visit: sql`select v.id as source_id, m.id as member_id,
      (v.visited_at at time zone 'Asia/Shanghai')::date as on_day, '入户走访：' || left(v.notes, 40) as note
    from resident_visit v join party_member m on m.user_id = v.visited_by`,
} as const;

/**
 * Proposes the entries one organisation's members earned through other work, set-based: one
 * INSERT … SELECT per source, skipping records already proposed and quarters no longer open.
 */
export async function proposeFromWork(ex: Executor, org: PartyOrgRow): Promise<number> {
  let proposed = 0;
  for (const [source, rows] of Object.entries(workSources) as [PointsSource, ReturnType<typeof sql>][]) {
    const found = await sourceItem(ex, org, source);
    if (!found) continue;
    const result = await ex.execute(sql`insert into points_entry (id, member_id, party_org_id, org_path,
        district_code, item_id, catalog_id, month, quarter, points, note, status, source, source_id)
      select gen_random_uuid(), s.member_id, ${org.id}::uuid, ${org.orgPath}::ltree, ${org.districtCode},
        ${found.item.id}::uuid, ${found.catalog.id}::uuid, date_trunc('month', s.on_day)::date,
        to_char(s.on_day, 'YYYY') || 'Q' || to_char(s.on_day, 'Q'), ${found.item.points}, s.note, 'proposed',
        ${source}, s.source_id
      from (${rows}) s join party_member pm on pm.id = s.member_id and pm.party_org_id = ${org.id}::uuid
      where not exists (select 1 from points_quarter q where q.party_org_id = ${org.id}::uuid
          and q.quarter = to_char(s.on_day, 'YYYY') || 'Q' || to_char(s.on_day, 'Q'))
      on conflict do nothing
      returning id`);
    proposed += rowsOf(result).length;
  }
  return proposed;
}

/** The recorder asks for the proposals of their branch now (the server also sweeps every branch regularly). */
export async function scanProposals(ctx: AppContext, caller: Caller, orgId: string) {
  return ctx.db.transaction(async (tx) => {
    const org = await findPartyOrg(tx, orgId);
    if (!org) throw notFound();
    authorize(caller.user, 'party.record', org.orgPath);
    return { proposed: await proposeFromWork(tx, org) };
  });
}

/** The background sweep: every organisation with members who have accounts (only they file and visit). */
export async function sweepProposals(ctx: AppContext): Promise<number> {
  const orgs = rowsOf<{ id: string }>(
    await ctx.db.execute(sql`select distinct party_org_id as id from party_member where user_id is not null`),
  );
  let n = 0;
  for (const { id } of orgs)
    n += await ctx.db.transaction(async (tx) => {
      const org = await findPartyOrg(tx, id);
      return org ? proposeFromWork(tx, org) : 0;
    });
  return n;
}
