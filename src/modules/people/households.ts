import { and, asc, desc, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { invalid, notFound } from '../../platform/errors.js';
import { findOrgUnit, subtreeOf, unitLabelSql } from '../org/units.js';
import { headRelation, type RegistrationType } from './codes.js';
import { loadHouse } from './houses.js';
import { joinHousehold } from './membership.js';
import { cappedTotal } from './paging.js';
import { nameContains } from './residents-query.js';
import { house, household, householdMember, householdMove, resident } from './schema.js';
import { ageOn, shanghaiToday } from './validators.js';

/** Households (户): members with their relation to the head, in one house at a time, with their moves. */
export interface HouseholdInput {
  houseId: string;
  registrationType: RegistrationType;
  members: { residentId: string; relation: string }[];
}

export async function createHousehold(ctx: AppContext, caller: Caller, input: HouseholdInput) {
  const heads = input.members.filter((m) => m.relation === headRelation);
  if (heads.length !== 1)
    throw invalid(
      heads.length ? `members.${input.members.lastIndexOf(heads[1])}.relation` : 'members',
      '每户须有且只有一位户主（关系代码 02）',
    );
  const seen = new Set<string>();
  input.members.forEach((m, i) => {
    if (seen.has(m.residentId)) throw invalid(`members.${i}.residentId`, '同一居民重复列出');
    seen.add(m.residentId);
  });
  const id = await ctx.db.transaction(async (tx) => {
    const h = await loadHouse(tx, caller, input.houseId, 'resident.write', 'forbidden').catch(() => {
      throw invalid('houseId', '房屋不存在');
    });
    const [row] = await tx
      .insert(household)
      .values({
        houseId: h.id,
        registrationType: input.registrationType,
        orgPath: h.orgPath,
        districtCode: h.districtCode,
      })
      .returning();
    const today = shanghaiToday();
    for (const [i, m] of input.members.entries()) {
      await joinHousehold(
        tx,
        caller,
        row.id,
        m.residentId,
        m.relation,
        { household: 'houseId', resident: `members.${i}.residentId`, relation: `members.${i}.relation` },
        today,
      );
    }
    await tx
      .insert(householdMove)
      .values({ householdId: row.id, toHouseId: h.id, movedOn: today, createdBy: caller.user?.id });
    await audit(tx, caller, {
      action: 'household.created',
      targetType: 'household',
      targetId: row.id,
      orgPath: row.orgPath,
      summary: `建户于 ${h.address}，${input.members.length} 人`,
    });
    return row.id;
  });
  return getHousehold(ctx.db, caller, id);
}

async function loadHousehold(
  ex: Executor,
  caller: Caller,
  id: string,
  action: 'resident.read' | 'resident.write' = 'resident.read',
) {
  const [row] = await ex
    .select()
    .from(household)
    .where(and(eq(household.id, id), isNull(household.deletedAt)));
  if (!row) throw notFound();
  authorize(caller.user, action, row.orgPath);
  return row;
}

export async function getHousehold(ex: Executor, caller: Caller, id: string) {
  const row = await loadHousehold(ex, caller, id);
  const [h] = await ex.select({ address: house.address }).from(house).where(eq(house.id, row.houseId));
  const members = await ex
    .select({
      residentId: resident.id,
      name: resident.name,
      gender: resident.gender,
      birthDate: resident.birthDate,
      relation: householdMember.relation,
      joinedOn: householdMember.joinedOn,
    })
    .from(householdMember)
    .innerJoin(resident, eq(resident.id, householdMember.residentId))
    .where(and(eq(householdMember.householdId, id), isNull(householdMember.leftOn)))
    .orderBy(asc(householdMember.relation), asc(resident.birthDate));
  // With both addresses: the history reads as places, not ids.
  const fromHouse = alias(house, 'from_house');
  const toHouse = alias(house, 'to_house');
  const moves = await ex
    .select({
      fromHouseId: householdMove.fromHouseId,
      toHouseId: householdMove.toHouseId,
      fromAddress: fromHouse.address,
      toAddress: toHouse.address,
      movedOn: householdMove.movedOn,
    })
    .from(householdMove)
    .leftJoin(fromHouse, eq(fromHouse.id, householdMove.fromHouseId))
    .innerJoin(toHouse, eq(toHouse.id, householdMove.toHouseId))
    .where(eq(householdMove.householdId, id))
    .orderBy(asc(householdMove.movedOn), asc(householdMove.createdAt));
  const today = shanghaiToday();
  return {
    id: row.id,
    houseId: row.houseId,
    address: h?.address ?? null,
    registrationType: row.registrationType as RegistrationType,
    headResidentId: row.headResidentId,
    orgPath: row.orgPath,
    members: members.map((m) => ({
      ...m,
      gender: m.gender as 'male' | 'female',
      age: ageOn(m.birthDate, today),
    })),
    moves,
    createdAt: row.createdAt,
  };
}

export async function updateHousehold(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { registrationType?: RegistrationType },
) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadHousehold(tx, caller, id, 'resident.write');
    // updated_at always, so a body with no field is never an empty SET.
    await tx
      .update(household)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(household.id, id));
    await audit(tx, caller, {
      action: 'household.updated',
      targetType: 'household',
      targetId: id,
      orgPath: row.orgPath,
      summary: '修改户信息',
    });
  });
  return getHousehold(ctx.db, caller, id);
}

export async function addHouseholdMember(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { residentId: string; relation: string },
) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadHousehold(tx, caller, id, 'resident.write');
    await joinHousehold(
      tx,
      caller,
      id,
      input.residentId,
      input.relation,
      { household: 'id', resident: 'residentId', relation: 'relation' },
      shanghaiToday(),
    );
    await audit(tx, caller, {
      action: 'household.memberAdded',
      targetType: 'household',
      targetId: id,
      orgPath: row.orgPath,
      summary: '户内增加成员',
    });
  });
  return getHousehold(ctx.db, caller, id);
}

export async function removeHouseholdMember(ctx: AppContext, caller: Caller, id: string, residentId: string) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadHousehold(tx, caller, id, 'resident.write');
    const [left] = await tx
      .update(householdMember)
      .set({ leftOn: shanghaiToday() })
      .where(
        and(
          eq(householdMember.householdId, id),
          eq(householdMember.residentId, residentId),
          isNull(householdMember.leftOn),
        ),
      )
      .returning({ relation: householdMember.relation });
    if (!left) throw notFound();
    if (left.relation === headRelation)
      await tx.update(household).set({ headResidentId: null }).where(eq(household.id, id));
    await audit(tx, caller, {
      action: 'household.memberRemoved',
      targetType: 'household',
      targetId: id,
      orgPath: row.orgPath,
      summary: '户内移出成员',
    });
  });
  return getHousehold(ctx.db, caller, id);
}

/** The household's current members, locked against a concurrent change of relations. */
async function lockedMembers(tx: Executor, id: string) {
  await tx.select({ id: household.id }).from(household).where(eq(household.id, id)).for('update');
  return tx
    .select({ residentId: householdMember.residentId, relation: householdMember.relation })
    .from(householdMember)
    .where(and(eq(householdMember.householdId, id), isNull(householdMember.leftOn)));
}

const setRelation = (tx: Executor, id: string, residentId: string, relation: string) =>
  tx
    .update(householdMember)
    .set({ relation })
    .where(
      and(
        eq(householdMember.householdId, id),
        eq(householdMember.residentId, residentId),
        isNull(householdMember.leftOn),
      ),
    );

/**
 * 户主变更: a member becomes the head (when the head has died, moved out or hands over). The former
 * head, while still a member, takes the relation given for them, so a household never has two heads.
 */
export async function changeHouseholdHead(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { residentId: string; formerHeadRelation?: string },
) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadHousehold(tx, caller, id, 'resident.write');
    const members = await lockedMembers(tx, id);
    const next = members.find((m) => m.residentId === input.residentId);
    if (!next) throw invalid('residentId', '该居民不是本户成员');
    if (next.relation === headRelation) throw invalid('residentId', '该居民已是户主');
    const former = members.find((m) => m.relation === headRelation);
    if (former) {
      if (!input.formerHeadRelation)
        throw invalid('formerHeadRelation', '原户主仍在本户，请选择其与新户主的关系');
      if (input.formerHeadRelation === headRelation)
        throw invalid('formerHeadRelation', '每户只能有一位户主，请为原户主选择其他关系');
      await setRelation(tx, id, former.residentId, input.formerHeadRelation);
    }
    await setRelation(tx, id, next.residentId, headRelation);
    await tx
      .update(household)
      .set({ headResidentId: next.residentId, updatedAt: new Date() })
      .where(eq(household.id, id));
    await audit(tx, caller, {
      action: 'household.headChanged',
      targetType: 'household',
      targetId: id,
      orgPath: row.orgPath,
      summary: '户主变更',
      details: {
        from: former?.residentId ?? null,
        to: next.residentId,
        previousRelation: next.relation,
        formerHeadRelation: former ? input.formerHeadRelation : null,
      },
    });
  });
  return getHousehold(ctx.db, caller, id);
}

/** A member's relation to the head (the head's own is changed by changeHouseholdHead). */
export async function updateHouseholdMember(
  ctx: AppContext,
  caller: Caller,
  id: string,
  residentId: string,
  input: { relation: string },
) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadHousehold(tx, caller, id, 'resident.write');
    const member = (await lockedMembers(tx, id)).find((m) => m.residentId === residentId);
    if (!member) throw notFound();
    if (member.relation === headRelation) throw invalid('relation', '户主的关系请通过“户主变更”修改');
    if (input.relation === headRelation) throw invalid('relation', '设为户主请使用“户主变更”');
    if (member.relation === input.relation) return;
    await setRelation(tx, id, residentId, input.relation);
    await audit(tx, caller, {
      action: 'household.memberUpdated',
      targetType: 'household',
      targetId: id,
      orgPath: row.orgPath,
      summary: '修改与户主关系',
      details: { residentId, from: member.relation, to: input.relation },
    });
  });
  return getHousehold(ctx.db, caller, id);
}

/** Moves a household (and its current members) to another house, keeping the move in its history. */
export async function moveHousehold(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { houseId: string; date: string },
) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadHousehold(tx, caller, id, 'resident.write');
    if (input.date > shanghaiToday()) throw invalid('date', '日期不能晚于今天');
    // The history runs forward: a move cannot precede the last one (or the household's forming).
    const [last] = await tx
      .select({ on: householdMove.movedOn })
      .from(householdMove)
      .where(eq(householdMove.householdId, id))
      .orderBy(desc(householdMove.movedOn))
      .limit(1);
    if (last && input.date < last.on)
      throw invalid('date', `日期不能早于该户上一次迁移或立户的日期（${last.on}）`);
    const to = await loadHouse(tx, caller, input.houseId, 'resident.write', 'forbidden').catch(() => {
      throw invalid('houseId', '房屋不存在');
    });
    if (to.id === row.houseId) throw invalid('houseId', '已在该房屋');
    await tx
      .update(household)
      .set({ houseId: to.id, orgPath: to.orgPath, districtCode: to.districtCode })
      .where(eq(household.id, id));
    await tx.execute(sql`update resident set house_id = ${to.id}, grid_id = ${to.gridId}, org_path = ${to.orgPath}::ltree
      where id in (select resident_id from household_member where household_id = ${id} and left_on is null)`);
    await tx.insert(householdMove).values({
      householdId: id,
      fromHouseId: row.houseId,
      toHouseId: to.id,
      movedOn: input.date,
      createdBy: caller.user?.id,
    });
    await audit(tx, caller, {
      action: 'household.moved',
      targetType: 'household',
      targetId: id,
      orgPath: to.orgPath,
      summary: `整户迁至 ${to.address}`,
    });
  });
  return getHousehold(ctx.db, caller, id);
}

export interface HouseholdQuery {
  page: number;
  pageSize: number;
  orgUnitId?: string;
  houseId?: string;
  registrationType?: RegistrationType;
  /** Only households without a head (an import refused the head's row): they await 户主变更. */
  withoutHead?: boolean;
  q?: string;
  order?: 'asc' | 'desc';
}

export async function listHouseholds(ex: Executor, caller: Caller, q: HouseholdQuery) {
  const where: SQL[] = [
    scopeFilter(caller.user, 'resident.read', household.orgPath),
    isNull(household.deletedAt),
  ];
  if (q.orgUnitId) {
    const unit = await findOrgUnit(ex, q.orgUnitId);
    if (!unit) return { items: [], total: 0, totalCapped: false };
    where.push(subtreeOf(household.orgPath, unit.path));
  }
  if (q.houseId) where.push(eq(household.houseId, q.houseId));
  if (q.registrationType) where.push(eq(household.registrationType, q.registrationType));
  if (q.withoutHead !== undefined)
    where.push(q.withoutHead ? isNull(household.headResidentId) : isNotNull(household.headResidentId));
  if (q.q) where.push(nameContains(q.q.trim()));
  const filter = and(...where)!;
  const from = sql`${household} join ${house} on ${house.id} = ${household.houseId}
    left join ${resident} on ${resident.id} = ${household.headResidentId}`;
  // The total counted apart and capped (count(*) over() read every matching household).
  const [rows, counted] = await Promise.all([
    ex
      .select({
        id: household.id,
        houseId: household.houseId,
        address: house.address,
        gridName: unitLabelSql(house.gridId),
        registrationType: household.registrationType,
        headResidentId: household.headResidentId,
        headName: resident.name,
        memberCount:
          sql<number>`(select count(*) from household_member m where m.household_id = ${household.id} and m.left_on is null)`.mapWith(
            Number,
          ),
        // The card of a household without a head opens from a member's page: its first member's.
        firstMemberId: sql<string | null>`(select m.resident_id from household_member m
          where m.household_id = ${household.id} and m.left_on is null order by m.joined_on, m.id limit 1)`,
        createdAt: household.createdAt,
      })
      .from(household)
      .innerJoin(house, eq(house.id, household.houseId))
      .leftJoin(resident, eq(resident.id, household.headResidentId))
      .where(filter)
      .orderBy(q.order === 'desc' ? desc(house.address) : asc(house.address), asc(household.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    cappedTotal(ex, from, filter),
  ]);
  return {
    items: rows.map((r) => ({ ...r, registrationType: r.registrationType as RegistrationType })),
    ...counted,
  };
}
