import { eq, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { rowsOf } from '../../platform/db/index.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { passbookLines, post } from './ledger.js';
import { findMemberView, ownMember } from './members.js';
import { findPartyOrg } from './orgs.js';
import { partyMember, pointsRedemption, pointsShopItem } from './schema.js';

export interface ShopItemInput {
  partyOrgId: string;
  name: string;
  price: number;
  stock: number;
  supplier?: string | null;
}

/** 积分超市: an organisation offers an item (goods from a partner unit, or a service) for points. */
export async function createShopItem(ctx: AppContext, caller: Caller, input: ShopItemInput) {
  return ctx.db.transaction(async (tx) => {
    const org = await findPartyOrg(tx, input.partyOrgId);
    if (!org) throw invalid('partyOrgId', '党组织不存在');
    authorize(caller.user, 'party.manage', org.orgPath, { outside: 'forbidden' });
    const [row] = await tx
      .insert(pointsShopItem)
      .values({ ...input, supplier: input.supplier ?? null, orgPath: org.orgPath })
      .returning();
    await audit(tx, caller, {
      action: 'party.shop.itemCreated',
      targetType: 'pointsShopItem',
      targetId: row.id,
      orgPath: org.orgPath,
      summary: `积分超市上架「${row.name}」${row.price} 分 × ${row.stock}`,
    });
    return row;
  });
}

/** Items on offer in the caller's subtree. */
export async function listShopItems(ctx: AppContext, caller: Caller, q: { partyOrgId?: string }) {
  const where = [scopeFilter(caller.user, 'party.read', sql`s.org_path`)];
  if (q.partyOrgId) where.push(sql`s.party_org_id = ${q.partyOrgId}::uuid`);
  return rowsOf<any>(
    await ctx.db.execute(sql`select s.id, s.party_org_id as "partyOrgId", o.name as "partyOrgName", s.name,
        s.price, s.stock, s.supplier, s.active
      from points_shop_item s join party_org o on o.id = s.party_org_id
      where ${sql.join(where, sql` and `)} order by s.price, s.name limit 500`),
  );
}

/** What a member may redeem: items of their own organisation and of every organisation above it. */
export async function ownShopItems(ctx: AppContext, caller: Caller) {
  const me = await ownMember(ctx.db, caller);
  return rowsOf<any>(
    await ctx.db.execute(sql`select s.id, s.party_org_id as "partyOrgId", o.name as "partyOrgName", s.name,
        s.price, s.stock, s.supplier, s.active
      from points_shop_item s join party_org o on o.id = s.party_org_id
      where s.active and ${me.orgPath}::ltree <@ s.org_path order by s.price, s.name limit 200`),
  );
}

/**
 * Redemption at the counter: staff confirm it for a member. The item row, then the member's balance,
 * are locked in that order, so racing redemptions queue; stock or balance short → 409, nothing written.
 */
export async function redeem(
  ctx: AppContext,
  caller: Caller,
  input: { memberId: string; itemId: string; quantity: number },
) {
  return ctx.db.transaction(async (tx) => {
    const [item] = await tx
      .select()
      .from(pointsShopItem)
      .where(eq(pointsShopItem.id, input.itemId))
      .for('update');
    if (!item) throw notFound();
    authorize(caller.user, 'party.redeem', item.orgPath);
    const [m] = await tx.select().from(partyMember).where(eq(partyMember.id, input.memberId));
    if (!m) throw invalid('memberId', '党员不存在');
    authorize(caller.user, 'party.redeem', m.orgPath, { outside: 'forbidden' });
    if (!item.active || item.stock < input.quantity)
      throw new AppError('POINTS_STOCK', 409, 'error.POINTS_STOCK', { item: item.name, stock: item.stock });
    const points = item.price * input.quantity;
    const redemptionId = newId();
    const { balance } = await post(tx, {
      memberId: m.id,
      amount: -points,
      kind: 'redeemed',
      counter: { account: 'shop', id: item.id },
      redemptionId,
      memo: `兑换「${item.name}」× ${input.quantity}`,
    });
    await tx
      .update(pointsShopItem)
      .set({ stock: item.stock - input.quantity })
      .where(eq(pointsShopItem.id, item.id));
    const [row] = await tx
      .insert(pointsRedemption)
      .values({
        id: redemptionId,
        itemId: item.id,
        memberId: m.id,
        orgPath: item.orgPath,
        quantity: input.quantity,
        points,
        confirmedBy: caller.user!.id,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.shop.redeemed',
      targetType: 'pointsRedemption',
      targetId: row.id,
      orgPath: item.orgPath,
      summary: `兑换「${item.name}」× ${input.quantity}，${points} 分`,
    });
    return { ...row, balance, stockLeft: item.stock - input.quantity };
  });
}

/** Redemptions in the caller's subtree, newest first. */
export async function listRedemptions(
  ctx: AppContext,
  caller: Caller,
  q: { page: number; pageSize: number },
) {
  const scope = scopeFilter(caller.user, 'party.read', sql`x.org_path`);
  const rows = rowsOf<any>(
    await ctx.db.execute(sql`select x.id, x.member_id as "memberId", r.name as "memberName", s.name as "itemName",
        x.quantity, x.points, x.created_at as "createdAt", count(*) over()::int as total
      from points_redemption x join points_shop_item s on s.id = x.item_id
        join party_member m on m.id = x.member_id join resident r on r.id = m.resident_id
      where ${scope} order by x.created_at desc, x.id desc
      limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
  );
  return {
    items: rows.map(({ total: _t, createdAt, ...r }) => ({ ...r, createdAt: new Date(createdAt) })),
    total: rows[0]?.total ?? 0,
  };
}

/** A member's passbook, for staff in the subtree. */
export async function memberPassbook(
  ctx: AppContext,
  caller: Caller,
  memberId: string,
  q: { page: number; pageSize: number },
) {
  const m = await findMemberView(ctx.db, memberId);
  if (!m) throw notFound();
  authorize(caller.user, 'party.read', m.orgPath);
  return { balance: m.balance, ...(await passbookLines(ctx.db, m.id, q.page, q.pageSize)) };
}

/** The member's own passbook. */
export async function ownPassbook(ctx: AppContext, caller: Caller, q: { page: number; pageSize: number }) {
  const me = await ownMember(ctx.db, caller);
  return { balance: me.balance, ...(await passbookLines(ctx.db, me.id, q.page, q.pageSize)) };
}
