import { randomBytes } from 'node:crypto';
import { and, asc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { invalid, notFound } from '../../platform/errors.js';
import { pointInPolygon } from './geometry.js';
import { building, orgUnit } from './schema.js';
import { buildingCode, nextFreeCode } from './serials.js';
import { checkNamedStaff } from './staff.js';
import { unitLabelSql } from './units.js';

export interface BuildingInput {
  gridId: string;
  name: string;
  lng: number;
  lat: number;
  address?: string | null;
  units?: number;
  floors?: number;
  householdsPerUnit?: number;
  leaderUserId?: string | null;
}

const columns = {
  id: orgUnit.id,
  code: orgUnit.code,
  name: orgUnit.name,
  path: orgUnit.path,
  gridId: orgUnit.parentId,
  lng: building.lng,
  lat: building.lat,
  address: building.address,
  units: building.units,
  floors: building.floors,
  householdsPerUnit: building.householdsPerUnit,
  leaderUserId: building.leaderUserId,
  qrToken: building.qrToken,
  createdAt: orgUnit.createdAt,
};

const checkLeader = (ex: Executor, path: string, leaderUserId: string | null | undefined) =>
  checkNamedStaff(ex, path, [{ field: 'leaderUserId', label: '楼栋长', userIds: [leaderUserId] }]);

export async function createBuilding(ctx: AppContext, caller: Caller, input: BuildingInput) {
  const id = await ctx.db.transaction(async (tx) => {
    const [gridUnit] = await tx
      .select()
      .from(orgUnit)
      .where(and(eq(orgUnit.id, input.gridId), eq(orgUnit.kind, 'grid'), isNull(orgUnit.deletedAt)));
    if (!gridUnit) throw invalid('gridId', '楼栋须建在网格下');
    authorize(caller.user, 'org.write', gridUnit.path, { outside: 'forbidden' });
    await checkLeader(tx, gridUnit.path, input.leaderUserId);
    if (gridUnit.boundary && !pointInPolygon(input.lng, input.lat, gridUnit.boundary)) {
      throw invalid('lng', `楼栋位置不在${gridUnit.name}的范围内`);
    }
    const code = await nextFreeCode(tx, gridUnit.id, 'building', (n) => buildingCode(gridUnit.code, n));
    const [unit] = await tx
      .insert(orgUnit)
      .values({
        kind: 'building',
        code,
        name: input.name,
        parentId: gridUnit.id,
        path: `${gridUnit.path}.${code}`,
        level: gridUnit.level + 1,
        districtCode: gridUnit.districtCode,
      })
      .returning();
    await tx.insert(building).values({
      orgUnitId: unit.id,
      lng: input.lng,
      lat: input.lat,
      address: input.address ?? null,
      units: input.units ?? 1,
      floors: input.floors ?? 1,
      householdsPerUnit: input.householdsPerUnit ?? 1,
      leaderUserId: input.leaderUserId ?? null,
      qrToken: randomBytes(12).toString('base64url'),
      districtCode: gridUnit.districtCode!,
    });
    await audit(tx, caller, {
      action: 'building.created',
      targetType: 'building',
      targetId: unit.id,
      orgPath: unit.path,
      summary: `新建楼栋 ${input.name}（${code}）`,
    });
    return unit.id;
  });
  return getBuilding(ctx.db, caller, id);
}

export async function getBuilding(
  ex: Executor,
  caller: Caller,
  id: string,
  action: 'org.read' | 'org.write' = 'org.read',
) {
  const [row] = await ex
    .select(columns)
    .from(building)
    .innerJoin(orgUnit, eq(orgUnit.id, building.orgUnitId))
    .where(and(eq(building.orgUnitId, id), isNull(orgUnit.deletedAt)));
  if (!row) throw notFound();
  authorize(caller.user, action, row.path, { outside: action === 'org.read' ? 'notFound' : 'forbidden' });
  return row;
}

export async function updateBuilding(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: Partial<Omit<BuildingInput, 'gridId'>>,
) {
  await ctx.db.transaction(async (tx) => {
    const current = await getBuilding(tx, caller, id, 'org.write');
    await checkLeader(tx, current.path, input.leaderUserId);
    if (input.lng !== undefined || input.lat !== undefined) {
      const [gridUnit] = await tx.select().from(orgUnit).where(eq(orgUnit.id, current.gridId!));
      const lng = input.lng ?? current.lng;
      const lat = input.lat ?? current.lat;
      if (gridUnit.boundary && !pointInPolygon(lng, lat, gridUnit.boundary))
        throw invalid('lng', `楼栋位置不在${gridUnit.name}的范围内`);
    }
    if (input.name !== undefined)
      await tx.update(orgUnit).set({ name: input.name }).where(eq(orgUnit.id, id));
    const { name: _n, ...details } = input;
    if (Object.keys(details).length) await tx.update(building).set(details).where(eq(building.orgUnitId, id));
    await audit(tx, caller, {
      action: 'building.updated',
      targetType: 'building',
      targetId: id,
      orgPath: current.path,
      summary: `修改楼栋 ${current.name}`,
    });
  });
  return getBuilding(ctx.db, caller, id);
}

export async function deleteBuilding(ctx: AppContext, caller: Caller, id: string) {
  await ctx.db.transaction(async (tx) => {
    const current = await getBuilding(tx, caller, id, 'org.write');
    await tx.update(orgUnit).set({ deletedAt: new Date() }).where(eq(orgUnit.id, id));
    await audit(tx, caller, {
      action: 'building.deleted',
      targetType: 'building',
      targetId: id,
      orgPath: current.path,
      summary: `删除楼栋 ${current.name}（${current.code}）`,
    });
  });
}

export async function listBuildings(
  ex: Executor,
  caller: Caller,
  q: { orgUnitId?: string; q?: string; page: number; pageSize: number },
) {
  const where = [isNull(orgUnit.deletedAt), scopeFilter(caller.user, 'org.read', orgUnit.path)];
  if (q.orgUnitId) {
    const [root] = await ex.select({ path: orgUnit.path }).from(orgUnit).where(eq(orgUnit.id, q.orgUnitId));
    if (!root) throw notFound();
    where.push(sql`${orgUnit.path} <@ ${root.path}::ltree`);
  }
  if (q.q)
    where.push(
      or(
        ilike(orgUnit.name, `%${q.q}%`),
        ilike(building.address, `%${q.q}%`),
        ilike(orgUnit.code, `${q.q}%`),
      )!,
    );
  const rows = await ex
    .select({
      ...columns,
      gridName: unitLabelSql(orgUnit.parentId),
      total: sql<number>`count(*) over()`.mapWith(Number),
    })
    .from(building)
    .innerJoin(orgUnit, eq(orgUnit.id, building.orgUnitId))
    .where(and(...where))
    .orderBy(asc(orgUnit.code))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/** What a building's QR code opens: its page in the mobile app. */
export const buildingQrUrl = (origin: string, qrToken: string) => `${origin}/m/b/${qrToken}`;
