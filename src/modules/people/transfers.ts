import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { maskIdNumber } from '../../platform/crypto.js';
import type { Executor } from '../../platform/db/index.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { notify } from '../notifications/service.js';
import { unitLabelSql } from '../org/units.js';
import type { ResidenceStatus, ResidentStatus } from './codes.js';
import { gridUnit } from './houses.js';
import { closeMembership, joinHousehold } from './membership.js';
import { house, household, resident, residentEvent, residentTransfer } from './schema.js';
import { shanghaiToday } from './validators.js';

export const transferStatuses = ['pending', 'accepted', 'declined'] as const;
export type TransferStatus = (typeof transferStatuses)[number];

/** What a create answers when the ID number is held outside the caller's reach: the same words every time. */
export const transferSentMessage = '已提交迁入申请，待原登记地确认后迁入本辖区；结果可在“迁入申请”中查看';

/** How an import reports a row that became a 迁入申请 (the same for every such row). */
export const transferSentNote = '已提交迁入申请';
/** Requests one import may send; rows beyond are refused, so a file cannot flood other communities. */
export const maxTransfers = 2000;
export const transferLimitMessage = `一次导入最多提交 ${maxTransfers} 份迁入申请，请分批导入`;

export interface ImportedTransfer {
  row: number;
  residentId: string;
  gridId: string;
  name: string;
  residenceStatus: ResidenceStatus;
}

/** The 迁入申请 of an import's rows, to the grid each row names (the house is chosen when the person arrives). */
export async function requestImportedTransfers(tx: Executor, caller: Caller, rows: ImportedTransfer[]) {
  const grids = new Map<string, TransferPlace>();
  for (const r of rows) {
    let place = grids.get(r.gridId);
    if (!place) {
      const g = await gridUnit(tx, r.gridId);
      place = { gridId: g.id, houseId: null, orgPath: g.path, districtCode: g.districtCode };
      grids.set(r.gridId, place);
    }
    await requestTransfer(tx, caller, r.residentId, place, r);
  }
}

export interface TransferPlace {
  gridId: string;
  houseId: string | null;
  orgPath: string;
  districtCode: string | null;
}

/**
 * Asks the community holding `residentId` to let the person move to `place`. Asking again for the
 * same person and place answers the open request. Runs in the caller's transaction (the create's).
 */
export async function requestTransfer(
  tx: Executor,
  caller: Caller,
  residentId: string,
  place: TransferPlace,
  input: {
    name: string;
    residenceStatus: ResidenceStatus;
    household?: { householdId: string; relation: string } | null;
  },
) {
  let target = place;
  if (input.household) {
    const [hh] = await tx
      .select({ houseId: household.houseId, orgPath: household.orgPath })
      .from(household)
      .where(and(eq(household.id, input.household.householdId), isNull(household.deletedAt)));
    if (!hh) throw invalid('household.householdId', '户不存在');
    authorize(caller.user, 'resident.write', hh.orgPath, { outside: 'forbidden' });
    target = { ...(await houseOf(tx, hh.houseId)), houseId: hh.houseId };
  }
  const [open] = await tx
    .select({ id: residentTransfer.id })
    .from(residentTransfer)
    .where(
      and(
        eq(residentTransfer.residentId, residentId),
        eq(residentTransfer.status, 'pending'),
        sql`${residentTransfer.toOrgPath} = ${target.orgPath}::ltree`,
      ),
    );
  if (open) return open.id;
  const [row] = await tx
    .insert(residentTransfer)
    .values({
      residentId,
      toGridId: target.gridId,
      toHouseId: target.houseId,
      toHouseholdId: input.household?.householdId ?? null,
      relation: input.household?.relation ?? null,
      toOrgPath: target.orgPath,
      districtCode: target.districtCode,
      name: input.name,
      residenceStatus: input.residenceStatus,
      requestedBy: caller.user!.id,
    })
    .returning({ id: residentTransfer.id });
  await audit(tx, caller, {
    action: 'resident.transferRequested',
    targetType: 'residentTransfer',
    targetId: row.id,
    orgPath: target.orgPath,
    summary: `为 ${input.name} 提交迁入申请`,
  });
  return row.id;
}

async function houseOf(ex: Executor, houseId: string) {
  const [h] = await ex
    .select({ gridId: house.gridId, orgPath: house.orgPath, districtCode: house.districtCode })
    .from(house)
    .where(and(eq(house.id, houseId), isNull(house.deletedAt)));
  if (!h) throw conflict('people.transferPlaceGone');
  return h;
}

export interface TransferQuery {
  status?: TransferStatus;
  page: number;
  pageSize: number;
}

const columns = {
  id: residentTransfer.id,
  name: residentTransfer.name,
  status: residentTransfer.status,
  reason: residentTransfer.reason,
  residenceStatus: residentTransfer.residenceStatus,
  toPlace: sql<string>`coalesce((select h.address from house h where h.id = ${residentTransfer.toHouseId}), '')`,
  toUnit: unitLabelSql(residentTransfer.toGridId),
  createdAt: residentTransfer.createdAt,
  decidedAt: residentTransfer.decidedAt,
  residentId: residentTransfer.residentId,
  idNumberCipher: resident.idNumberCipher,
  residentName: resident.name,
  residentStatus: resident.status,
  residentAddress: sql<string | null>`(select h.address from house h where h.id = ${resident.houseId})`,
  residentUnit: unitLabelSql(resident.gridId),
  total: sql<number>`count(*) over ()`.mapWith(Number),
};

async function pageOf(ctx: AppContext, where: SQL, q: TransferQuery) {
  const status = q.status ? eq(residentTransfer.status, q.status) : undefined;
  const rows = await ctx.db
    .select(columns)
    .from(residentTransfer)
    .innerJoin(resident, eq(resident.id, residentTransfer.residentId))
    .where(and(where, status))
    .orderBy(desc(residentTransfer.createdAt), desc(residentTransfer.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { rows, total: rows[0]?.total ?? 0 };
}

/** What both sides see of a request: who was typed in (ID masked), where to, the outcome. */
const requestView = (ctx: AppContext, r: Awaited<ReturnType<typeof pageOf>>['rows'][number]) => ({
  id: r.id,
  name: r.name,
  idNumber: maskIdNumber(ctx.pii.decrypt(r.idNumberCipher)),
  status: r.status as TransferStatus,
  reason: r.reason,
  toUnit: r.toUnit ?? '',
  toPlace: r.toPlace,
  createdAt: r.createdAt,
  decidedAt: r.decidedAt,
});

/** Requests the caller's communities sent: what they typed, where to, the outcome; never where the person was. */
export async function listOutgoingTransfers(ctx: AppContext, caller: Caller, q: TransferQuery) {
  const { rows, total } = await pageOf(
    ctx,
    scopeFilter(caller.user, 'resident.write', residentTransfer.toOrgPath),
    q,
  );
  return {
    total,
    items: rows.map((r) => ({
      ...requestView(ctx, r),
      // Only once the person has moved here is the record theirs to open.
      residentId: r.status === 'accepted' ? r.residentId : null,
    })),
  };
}

/** Requests for people registered in the caller's subtree (the holding side decides them). */
export async function listIncomingTransfers(ctx: AppContext, caller: Caller, q: TransferQuery) {
  const { rows, total } = await pageOf(
    ctx,
    scopeFilter(caller.user, 'resident.transfer', resident.orgPath),
    q,
  );
  return {
    total,
    items: rows.map((r) => ({
      ...requestView(ctx, r),
      residentId: r.residentId,
      residentName: r.residentName,
      residentStatus: r.residentStatus as ResidentStatus,
      residentUnit: r.residentUnit ?? '',
      residentAddress: r.residentAddress,
    })),
  };
}

/** A pending request the caller may decide: 404 when it is not about a person in their subtree. */
async function loadForDecision(tx: Executor, caller: Caller, id: string) {
  const [row] = await tx
    .select({ t: residentTransfer, r: resident })
    .from(residentTransfer)
    .innerJoin(resident, eq(resident.id, residentTransfer.residentId))
    .where(eq(residentTransfer.id, id))
    .for('update', { of: residentTransfer });
  if (!row || row.r.deletedAt) throw notFound();
  authorize(caller.user, 'resident.transfer', row.r.orgPath);
  if (row.t.status !== 'pending') throw conflict('people.transferDecided');
  return row;
}

async function tellRequester(
  ex: Executor,
  ctx: AppContext,
  t: { id: string; requestedBy: string },
  title: string,
  body?: string,
) {
  await notify(ex, ctx, {
    userIds: [t.requestedBy],
    kind: 'residentTransfer',
    title,
    body,
    link: '/people?tab=transfers',
    targetType: 'residentTransfer',
    targetId: t.id,
  });
}

/**
 * Accepts: the person leaves their household and place here (a move-out event) and is registered
 * at the requested place (a move-in event), in the requested household when one was named.
 */
export async function acceptTransfer(ctx: AppContext, caller: Caller, id: string) {
  await ctx.db.transaction(async (tx) => {
    const { t, r } = await loadForDecision(tx, caller, id);
    if (r.status === 'deceased') throw invalid('status', '该居民已登记死亡，不能迁出，请拒绝该申请并说明');
    const today = shanghaiToday();
    const place = t.toHouseId
      ? await houseOf(tx, t.toHouseId)
      : { gridId: t.toGridId, orgPath: t.toOrgPath, districtCode: t.districtCode };
    if (r.status === 'active') {
      await closeMembership(tx, r.id, today);
      await tx.insert(residentEvent).values({
        residentId: r.id,
        kind: 'moveOut',
        occurredOn: today,
        houseId: r.houseId,
        note: '经迁入申请迁往其他辖区',
        createdBy: caller.user?.id ?? null,
      });
    }
    await tx
      .update(resident)
      .set({
        ...place,
        houseId: t.toHouseId,
        status: 'active',
        residenceStatus: t.residenceStatus,
        updatedAt: new Date(),
      })
      .where(eq(resident.id, r.id));
    if (t.toHouseholdId)
      await joinHousehold(
        tx,
        null,
        t.toHouseholdId,
        r.id,
        t.relation ?? '',
        'household.householdId',
        today,
      ).catch((err) => {
        // The household changed since the request (a new head, removed): the requester must ask again.
        if (err instanceof AppError && err.status === 400) throw conflict('people.transferPlaceGone');
        throw err;
      });
    await tx.insert(residentEvent).values({
      residentId: r.id,
      kind: 'moveIn',
      occurredOn: today,
      houseId: t.toHouseId,
      note: '经迁入申请迁入',
      createdBy: caller.user?.id ?? null,
    });
    await tx
      .update(residentTransfer)
      .set({ status: 'accepted', decidedBy: caller.user!.id, decidedAt: new Date(), updatedAt: new Date() })
      .where(eq(residentTransfer.id, id));
    await audit(tx, caller, {
      action: 'resident.transferAccepted',
      targetType: 'resident',
      targetId: r.id,
      orgPath: r.orgPath,
      summary: `同意 ${r.name} 迁往其他辖区（迁入申请）`,
    });
    await tellRequester(tx, ctx, t, `迁入申请已同意：${t.name} 已迁入本辖区`);
  });
}

/** Declines with a reason the requester reads; the person stays where they are. */
export async function declineTransfer(ctx: AppContext, caller: Caller, id: string, reason: string) {
  await ctx.db.transaction(async (tx) => {
    const { t, r } = await loadForDecision(tx, caller, id);
    await tx
      .update(residentTransfer)
      .set({
        status: 'declined',
        reason,
        decidedBy: caller.user!.id,
        decidedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(residentTransfer.id, id));
    await audit(tx, caller, {
      action: 'resident.transferDeclined',
      targetType: 'resident',
      targetId: r.id,
      orgPath: r.orgPath,
      summary: `拒绝 ${r.name} 的迁入申请`,
      details: { reason },
    });
    await tellRequester(tx, ctx, t, `迁入申请未获同意：${t.name}`, reason);
  });
}
