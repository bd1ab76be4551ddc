import { and, eq, ne } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, grantsFor, pathWithin } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';
import { partyCheckIn } from './check-in-schema.js';
import { ownMember } from './members.js';
import { findPartyOrg } from './orgs.js';

export type CheckInRow = typeof partyCheckIn.$inferSelect;

/** The unit a check-in goes to: a community for a member (where they live), a street or community for an organisation. */
async function receivingUnit(ex: Executor, orgUnitId: string, kinds: string[], message: string) {
  const unit = await findOrgUnit(ex, orgUnitId);
  if (!unit || unit.deletedAt || !kinds.includes(unit.kind)) throw invalid('orgUnitId', message);
  return unit;
}

/** The workplace's party organisation, when the member names one that is in the system. */
async function workplaceOrg(ex: Executor, id: string | null | undefined) {
  if (!id) return null;
  const org = await findPartyOrg(ex, id);
  if (!org || org.kind === 'group') throw invalid('workplaceOrgId', '工作单位党组织不存在');
  return org;
}

/** The caller's member record and their live check-in (pending or confirmed), if any. */
export async function ownCheckIn(ex: Executor, caller: Caller) {
  const me = await ownMember(ex, caller);
  const [checkIn] = await ex
    .select()
    .from(partyCheckIn)
    .where(and(eq(partyCheckIn.memberId, me.id), ne(partyCheckIn.status, 'refused')));
  return { me, checkIn: checkIn ?? null };
}

/** The caller's confirmed check-in: 认岗, 服务纪实 and the member's review need one. */
export async function confirmedCheckIn(ex: Executor, caller: Caller) {
  const { me, checkIn } = await ownCheckIn(ex, caller);
  if (checkIn?.status !== 'confirmed') throw conflict('error.CHECK_IN_NOT_CONFIRMED');
  return { me, checkIn };
}

/** 报到登记: an in-service member registers with the community where they live. */
export async function registerCheckIn(
  ctx: AppContext,
  caller: Caller,
  input: { orgUnitId: string; workplaceOrgId?: string | null; note?: string | null },
) {
  return ctx.db.transaction(async (tx) => {
    const { me, checkIn } = await ownCheckIn(tx, caller);
    if (!me.inService) throw conflict('error.CHECK_IN_NOT_IN_SERVICE');
    if (checkIn) throw conflict('error.CHECK_IN_EXISTS', { unit: await unitName(tx, checkIn.orgUnitId) });
    const unit = await receivingUnit(tx, input.orgUnitId, ['community'], '请选择居住地所在的社区（嘎查村）');
    const work = await workplaceOrg(tx, input.workplaceOrgId);
    const [row] = await tx
      .insert(partyCheckIn)
      .values({
        kind: 'member',
        memberId: me.id,
        workplaceOrgId: work?.id ?? null,
        workplacePath: work?.orgPath ?? null,
        orgUnitId: unit.id,
        orgPath: unit.path,
        districtCode: unit.districtCode,
        status: 'pending',
        note: input.note ?? null,
        createdBy: caller.user!.id,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.checkIn.registered',
      targetType: 'partyCheckIn',
      targetId: row.id,
      orgPath: unit.path,
      summary: `在职党员 ${me.name} 到${unit.name}报到`,
    });
    return row;
  });
}

/** 单位报到: a workplace's party organisation registers with the street or community it co-builds with. */
export async function registerOrgCheckIn(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  input: { orgUnitId: string; note?: string | null },
) {
  return ctx.db.transaction(async (tx) => {
    const org = await findPartyOrg(tx, orgId);
    if (!org) throw notFound();
    authorize(caller.user, 'party.manage', org.orgPath);
    const unit = await receivingUnit(tx, input.orgUnitId, ['street', 'community'], '请选择共建的街道或社区');
    const [live] = await tx
      .select({ id: partyCheckIn.id })
      .from(partyCheckIn)
      .where(
        and(
          eq(partyCheckIn.workplaceOrgId, org.id),
          eq(partyCheckIn.orgUnitId, unit.id),
          eq(partyCheckIn.kind, 'organisation'),
          ne(partyCheckIn.status, 'refused'),
        ),
      );
    if (live) throw conflict('error.CHECK_IN_EXISTS', { unit: unit.name });
    const [row] = await tx
      .insert(partyCheckIn)
      .values({
        kind: 'organisation',
        workplaceOrgId: org.id,
        workplacePath: org.orgPath,
        orgUnitId: unit.id,
        orgPath: unit.path,
        districtCode: unit.districtCode,
        status: 'pending',
        note: input.note ?? null,
        createdBy: caller.user!.id,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.checkIn.registered',
      targetType: 'partyCheckIn',
      targetId: row.id,
      orgPath: unit.path,
      summary: `${org.name}到${unit.name}报到`,
    });
    return row;
  });
}

/** The community confirms a check-in, or refuses it with a reason (the member may register again). */
export async function decideCheckIn(
  ctx: AppContext,
  caller: Caller,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
) {
  return ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(partyCheckIn).where(eq(partyCheckIn.id, id)).for('update');
    if (!c) throw notFound();
    authorize(caller.user, 'party.checkIn', c.orgPath);
    if (c.status !== 'pending') throw conflict('error.ALREADY_DECIDED');
    const [row] = await tx
      .update(partyCheckIn)
      .set({
        status: decision.approve ? 'confirmed' : 'refused',
        reason: decision.approve ? null : decision.reason,
        decidedBy: caller.user!.id,
        decidedAt: new Date(),
      })
      .where(eq(partyCheckIn.id, c.id))
      .returning();
    await audit(tx, caller, {
      action: decision.approve ? 'party.checkIn.confirmed' : 'party.checkIn.refused',
      targetType: 'partyCheckIn',
      targetId: c.id,
      orgPath: c.orgPath,
      summary: decision.approve ? '确认报到' : `退回报到：${decision.reason}`,
    });
    return row;
  });
}

async function unitName(ex: Executor, id: string) {
  return (await findOrgUnit(ex, id))?.name ?? '';
}

/** A check-in is readable by the receiving unit's subtree and by the workplace organisation's. */
export async function readableCheckIn(ex: Executor, caller: Caller, id: string) {
  authorize(caller.user, 'party.read');
  const [c] = await ex.select().from(partyCheckIn).where(eq(partyCheckIn.id, id));
  const paths = [c?.orgPath, c?.workplacePath].filter((p): p is string => !!p);
  const ok = grantsFor(caller.user, 'party.read').some(
    (g) => g.orgPath === null || paths.some((p) => pathWithin(p, g.orgPath)),
  );
  if (!c || !ok) throw notFound();
  return c;
}
