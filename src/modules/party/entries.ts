import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { catalogInForce } from './catalog.js';
import { post } from './ledger.js';
import { ownMember } from './members.js';
import { findPartyOrg, readablePartyOrg } from './orgs.js';
import { quarterOf, withinCap } from './rules.js';
import { partyMember, pointsEntry, pointsItem, pointsQuarter } from './schema.js';

export type EntryRow = typeof pointsEntry.$inferSelect;

export async function quarterStatus(ex: Executor, orgId: string, quarter: string) {
  const [q] = await ex
    .select({ id: pointsQuarter.id, status: pointsQuarter.status })
    .from(pointsQuarter)
    .where(and(eq(pointsQuarter.partyOrgId, orgId), eq(pointsQuarter.quarter, quarter)));
  return q ?? { id: null, status: 'open' as const };
}

async function refuseClosed(ex: Executor, orgId: string, quarter: string) {
  const q = await quarterStatus(ex, orgId, quarter);
  if (q.status !== 'open') throw new AppError('QUARTER_CLOSED', 409, 'error.QUARTER_CLOSED', { quarter });
}

export interface EntryInput {
  partyOrgId: string;
  memberId: string;
  itemId: string;
  /** YYYY-MM */
  month: string;
  points?: number;
  note?: string | null;
}

/**
 * Checks an entry against the rules and returns what to store: the member is in the branch, the item
 * is in the catalogue in force, the quarter is open and the item's cap for the quarter holds. The
 * member row is locked so two entries for the same member cannot both slip under the cap.
 */
async function checkEntry(ex: Executor, input: EntryInput, exceptId?: string) {
  const org = await findPartyOrg(ex, input.partyOrgId);
  if (!org) throw invalid('partyOrgId', '党组织不存在');
  const [m] = await ex.select().from(partyMember).where(eq(partyMember.id, input.memberId)).for('update');
  if (!m || m.partyOrgId !== org.id) throw invalid('memberId', `该党员不在「${org.name}」，不能为其记分`);
  const catalog = await catalogInForce(ex, org);
  const item = catalog.items.find((i) => i.id === input.itemId);
  if (!item) throw invalid('itemId', `积分细则第 ${catalog.version} 版中没有这一项`);
  const points = input.points ?? item.points;
  if (points === 0 || Math.sign(points) !== Math.sign(item.points))
    throw invalid('points', item.points > 0 ? '该项为加分项，分值应为正数' : '该项为减分项，分值应为负数');
  const month = `${input.month}-01`;
  const quarter = quarterOf(month);
  await refuseClosed(ex, org.id, quarter);
  const [{ sofar }] = rowsOf<{ sofar: number }>(
    await ex.execute(sql`select coalesce(sum(points), 0)::int as sofar from points_entry
      where member_id = ${m.id}::uuid and item_id = ${item.id}::uuid and quarter = ${quarter}
        and status in ('confirmed', 'claimed') and corrects_id is null
        ${exceptId ? sql`and id <> ${exceptId}::uuid` : sql``}`),
  );
  if (!withinCap(sofar, points, item.capPerQuarter))
    throw invalid(
      'points',
      `超过「${item.name}」的季度上限 ${item.capPerQuarter} 分（本季度已有 ${sofar} 分）`,
    );
  return { org, member: m, item, catalog, month, quarter, points };
}

/** The columns a checked entry writes, whether a recorder records it or a member claims it. */
const entryColumns = (c: Awaited<ReturnType<typeof checkEntry>>, note: string | null | undefined) => ({
  partyOrgId: c.org.id,
  orgPath: c.org.orgPath,
  districtCode: c.org.districtCode,
  itemId: c.item.id,
  catalogId: c.catalog.id,
  month: c.month,
  quarter: c.quarter,
  points: c.points,
  note: note ?? null,
});

/** 月记: the branch's recorder scores a member for a month. */
export async function recordEntry(ctx: AppContext, caller: Caller, input: EntryInput) {
  return ctx.db.transaction(async (tx) => {
    const org = await findPartyOrg(tx, input.partyOrgId);
    if (!org) throw invalid('partyOrgId', '党组织不存在');
    authorize(caller.user, 'party.record', org.orgPath, { outside: 'forbidden' });
    const c = await checkEntry(tx, input);
    const [row] = await tx
      .insert(pointsEntry)
      .values({
        ...entryColumns(c, input.note),
        memberId: c.member.id,
        status: 'confirmed',
        recordedBy: caller.user!.id,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.points.recorded',
      targetType: 'pointsEntry',
      targetId: row.id,
      orgPath: c.org.orgPath,
      summary: `记分 ${c.item.name} ${c.points > 0 ? '+' : ''}${c.points}（${input.month}）`,
    });
    return row;
  });
}

/** 申报: a member claims an entry for themselves; it waits for the recorder. */
export async function claimEntry(
  ctx: AppContext,
  caller: Caller,
  input: Omit<EntryInput, 'partyOrgId' | 'memberId'>,
) {
  return ctx.db.transaction(async (tx) => {
    const me = await ownMember(tx, caller);
    const c = await checkEntry(tx, { ...input, partyOrgId: me.partyOrgId, memberId: me.id });
    const [row] = await tx
      .insert(pointsEntry)
      .values({
        ...entryColumns(c, input.note),
        memberId: me.id,
        status: 'claimed',
        claimedBy: caller.user!.id,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.points.claimed',
      targetType: 'pointsEntry',
      targetId: row.id,
      orgPath: c.org.orgPath,
      summary: `党员申报 ${c.item.name} ${c.points}（${input.month}）`,
    });
    return row;
  });
}

/** Entries waiting for the recorder: the member's claims and the entries proposed from other work. */
const awaiting = ['claimed', 'proposed'];

/** The recorder confirms a claim or a proposal (the cap is checked again) or refuses it with a reason. */
export async function decideClaim(
  ctx: AppContext,
  caller: Caller,
  entryId: string,
  decision: { approve: true } | { approve: false; reason: string },
) {
  return ctx.db.transaction(async (tx) => {
    const [e] = await tx.select().from(pointsEntry).where(eq(pointsEntry.id, entryId)).for('update');
    if (!e) throw notFound();
    authorize(caller.user, 'party.record', e.orgPath);
    if (!awaiting.includes(e.status)) throw conflict('error.ALREADY_DECIDED');
    if (decision.approve)
      await checkEntry(
        tx,
        {
          partyOrgId: e.partyOrgId,
          memberId: e.memberId,
          itemId: e.itemId,
          month: e.month.slice(0, 7),
          points: e.points,
        },
        e.id,
      );
    else await refuseClosed(tx, e.partyOrgId, e.quarter);
    const [row] = await tx
      .update(pointsEntry)
      .set({
        status: decision.approve ? 'confirmed' : 'refused',
        reason: decision.approve ? null : decision.reason,
        decidedBy: caller.user!.id,
        decidedAt: new Date(),
      })
      .where(eq(pointsEntry.id, e.id))
      .returning();
    await audit(tx, caller, {
      action: decision.approve ? 'party.points.claimConfirmed' : 'party.points.claimRefused',
      details: e.source ? { source: e.source, sourceId: e.sourceId } : undefined,
      targetType: 'pointsEntry',
      targetId: e.id,
      orgPath: e.orgPath,
      summary: `${decision.approve ? '确认' : '退回'}${e.status === 'proposed' ? '系统建议积分' : '党员申报'}${decision.approve ? '' : `：${decision.reason}`}`,
    });
    return row;
  });
}

/**
 * A correcting entry: the only change a closed quarter takes. It names the entry it corrects and why;
 * in a final quarter the member's passbook is corrected in the same transaction.
 */
export async function correctEntry(
  ctx: AppContext,
  caller: Caller,
  entryId: string,
  input: { points: number; reason: string },
) {
  return ctx.db.transaction(async (tx) => {
    const [e] = await tx.select().from(pointsEntry).where(eq(pointsEntry.id, entryId));
    if (!e) throw notFound();
    authorize(caller.user, 'party.record', e.orgPath);
    if (e.status !== 'confirmed' || e.correctsId) throw invalid('id', '只能更正已确认的原始记分');
    const [row] = await tx
      .insert(pointsEntry)
      .values({
        memberId: e.memberId,
        partyOrgId: e.partyOrgId,
        orgPath: e.orgPath,
        districtCode: e.districtCode,
        itemId: e.itemId,
        catalogId: e.catalogId,
        month: e.month,
        quarter: e.quarter,
        points: input.points,
        note: input.reason,
        reason: input.reason,
        status: 'confirmed',
        correctsId: e.id,
        recordedBy: caller.user!.id,
      })
      .returning();
    const q = await quarterStatus(tx, e.partyOrgId, e.quarter);
    if (q.status === 'final' && q.id)
      await post(tx, {
        memberId: e.memberId,
        amount: input.points,
        kind: 'corrected',
        counter: { account: 'issuer', id: e.partyOrgId },
        quarterId: q.id,
        entryId: row.id,
        memo: `${e.quarter} 积分更正：${input.reason}`,
      });
    await audit(tx, caller, {
      action: 'party.points.corrected',
      targetType: 'pointsEntry',
      targetId: row.id,
      orgPath: e.orgPath,
      summary: `更正记分 ${input.points}：${input.reason}`,
    });
    return row;
  });
}

/** The recorder's monthly sheet: the branch's members × the catalogue's items, with the month's entries. */
export async function monthlySheet(ctx: AppContext, caller: Caller, orgId: string, month: string) {
  const org = await readablePartyOrg(ctx.db, caller, orgId);
  const catalog = await catalogInForce(ctx.db, org);
  const members = rowsOf<{ id: string; name: string }>(
    await ctx.db.execute(sql`select m.id, r.name from party_member m join resident r on r.id = m.resident_id
      where m.party_org_id = ${org.id}::uuid order by r.name, m.id`),
  );
  const entries = await ctx.db
    .select()
    .from(pointsEntry)
    .where(
      and(
        eq(pointsEntry.partyOrgId, org.id),
        eq(pointsEntry.month, `${month}-01`),
        ne(pointsEntry.status, 'refused'),
      ),
    );
  const q = await quarterStatus(ctx.db, org.id, quarterOf(month));
  return { org: { id: org.id, name: org.name }, month, quarterStatus: q.status, catalog, members, entries };
}

/** Claims and proposals waiting for a recorder in the caller's subtree. */
export async function pendingClaims(ctx: AppContext, caller: Caller, q: { partyOrgId?: string }) {
  const where = [
    scopeFilter(caller.user, 'party.record', sql`e.org_path`),
    sql`e.status in ('claimed', 'proposed')`,
  ];
  if (q.partyOrgId) where.push(sql`e.party_org_id = ${q.partyOrgId}::uuid`);
  return rowsOf<any>(
    await ctx.db.execute(sql`select e.id, e.member_id as "memberId", r.name as "memberName",
        e.party_org_id as "partyOrgId", i.name as "itemName", i.category, to_char(e.month, 'YYYY-MM') as month,
        e.points, e.note, e.status, e.source, e.source_id as "sourceId", e.created_at as "createdAt"
      from points_entry e join party_member m on m.id = e.member_id join resident r on r.id = m.resident_id
        join points_item i on i.id = e.item_id
      where ${sql.join(where, sql` and `)} order by e.created_at limit 500`),
  ).map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

export const itemsById = (ex: Executor, ids: string[]) =>
  ids.length ? ex.select().from(pointsItem).where(inArray(pointsItem.id, ids)) : Promise.resolve([]);
