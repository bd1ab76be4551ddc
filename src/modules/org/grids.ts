import { and, asc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { invalid, notFound } from '../../platform/errors.js';
import { bboxOf, polygonProblem, polygonsOverlap, polygonWithin } from './geometry.js';
import { gridIndexFor } from './locate.js';
import { building, type GeoPolygon, grid, orgUnit } from './schema.js';
import { gridCode, nextFreeCode } from './serials.js';
import { checkNamedStaff } from './staff.js';

export const gridTypes = ['basic', 'exclusive', 'micro', 'total'] as const;
export type GridType = (typeof gridTypes)[number];
export const coverageKinds = ['market', 'shopStreet', 'enterprise', 'campus', 'hospital', 'other'] as const;

export interface GridInput {
  parentId: string;
  name: string;
  type: GridType;
  boundary?: GeoPolygon | null;
  targetHouseholds?: number | null;
  coverage?: (typeof coverageKinds)[number] | null;
  leaderUserId?: string | null;
  workerUserIds?: string[];
}

const gridColumns = {
  id: orgUnit.id,
  code: orgUnit.code,
  name: orgUnit.name,
  path: orgUnit.path,
  parentId: orgUnit.parentId,
  boundary: orgUnit.boundary,
  type: grid.type,
  targetHouseholds: grid.targetHouseholds,
  coverage: grid.coverage,
  leaderUserId: grid.leaderUserId,
  workerUserIds: grid.workerUserIds,
  districtCode: grid.districtCode,
  createdAt: orgUnit.createdAt,
};

/** Checks a boundary against its community and siblings: errors refuse it, overlaps are warnings. */
async function checkBoundary(
  ex: Executor,
  parent: typeof orgUnit.$inferSelect,
  boundary: GeoPolygon,
  selfId?: string,
) {
  const problem = polygonProblem(boundary);
  if (problem) throw invalid('boundary', problem);
  if (parent.boundary && !polygonWithin(boundary, parent.boundary))
    throw invalid('boundary', `网格边界超出了${parent.name}的范围`);
  const siblings = await ex
    .select({ id: orgUnit.id, name: orgUnit.name, boundary: orgUnit.boundary })
    .from(orgUnit)
    .where(and(eq(orgUnit.parentId, parent.id), eq(orgUnit.kind, 'grid'), isNull(orgUnit.deletedAt)));
  return siblings
    .filter((s) => s.id !== selfId && s.boundary && polygonsOverlap(boundary, s.boundary))
    .map((s) => `与${s.name}的边界重叠`);
}

const checkGridStaff = (ex: Executor, path: string, input: Partial<GridInput>) =>
  checkNamedStaff(ex, path, [
    { field: 'leaderUserId', label: '网格长', userIds: [input.leaderUserId] },
    { field: 'workerUserIds', label: '网格员', userIds: input.workerUserIds ?? [] },
  ]);

async function loadParent(ex: Executor, caller: Caller, parentId: string) {
  const [parent] = await ex
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.id, parentId), isNull(orgUnit.deletedAt)));
  if (!parent || !['community', 'grid'].includes(parent.kind))
    throw invalid('parentId', '网格须建在社区（嘎查村）或网格（微网格）下');
  authorize(caller.user, 'org.write', parent.path, { outside: 'forbidden' });
  return parent;
}

export async function createGrid(ctx: AppContext, caller: Caller, input: GridInput) {
  const result = await ctx.db.transaction(async (tx) => {
    const parent = await loadParent(tx, caller, input.parentId);
    const type: GridType = parent.kind === 'grid' ? 'micro' : input.type;
    if (type === 'micro' && parent.kind !== 'grid') throw invalid('type', '微网格须建在网格下');
    const warnings = input.boundary ? await checkBoundary(tx, parent, input.boundary) : [];
    await checkGridStaff(tx, parent.path, input);
    const code = await nextFreeCode(tx, parent.id, 'grid', (n) => gridCode(parent.code, n));
    const [unit] = await tx
      .insert(orgUnit)
      .values({
        kind: 'grid',
        code,
        name: input.name,
        parentId: parent.id,
        path: `${parent.path}.${code}`,
        level: parent.level + 1,
        districtCode: parent.districtCode,
        subtype: type,
        boundary: input.boundary ?? null,
      })
      .returning();
    await tx.insert(grid).values({
      orgUnitId: unit.id,
      type,
      ...(input.boundary ? bboxOf(input.boundary) : {}),
      targetHouseholds: input.targetHouseholds ?? null,
      coverage: type === 'exclusive' ? (input.coverage ?? 'other') : null,
      leaderUserId: input.leaderUserId ?? null,
      workerUserIds: input.workerUserIds ?? [],
      districtCode: parent.districtCode!,
    });
    await audit(tx, caller, {
      action: 'grid.created',
      targetType: 'grid',
      targetId: unit.id,
      orgPath: unit.path,
      summary: `新建网格 ${input.name}（${code}）`,
    });
    return { id: unit.id, warnings };
  });
  gridIndexFor(ctx.db).invalidate();
  return { grid: await getGrid(ctx.db, caller, result.id), warnings: result.warnings };
}

export async function updateGrid(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: Partial<Omit<GridInput, 'parentId' | 'type'>>,
) {
  const warnings = await ctx.db.transaction(async (tx) => {
    const current = await getGrid(tx, caller, id, 'org.write');
    const [parent] = await tx.select().from(orgUnit).where(eq(orgUnit.id, current.parentId!));
    const found = input.boundary ? await checkBoundary(tx, parent, input.boundary, id) : [];
    await checkGridStaff(tx, parent.path, input);
    // The unit row is always written (its updated_at records the edit); the grid row only when one
    // of its own columns changes — an empty SET is not an update.
    await tx
      .update(orgUnit)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.boundary !== undefined ? { boundary: input.boundary } : {}),
        updatedAt: new Date(),
      })
      .where(eq(orgUnit.id, id));
    const details = {
      // No boundary, no box: the locate index must not keep finding points in the old one.
      ...(input.boundary !== undefined
        ? input.boundary
          ? bboxOf(input.boundary)
          : { minLng: null, minLat: null, maxLng: null, maxLat: null }
        : {}),
      ...(input.targetHouseholds !== undefined ? { targetHouseholds: input.targetHouseholds } : {}),
      ...(input.coverage !== undefined ? { coverage: input.coverage } : {}),
      ...(input.leaderUserId !== undefined ? { leaderUserId: input.leaderUserId } : {}),
      ...(input.workerUserIds !== undefined ? { workerUserIds: input.workerUserIds } : {}),
    };
    if (Object.keys(details).length) await tx.update(grid).set(details).where(eq(grid.orgUnitId, id));
    await audit(tx, caller, {
      action: 'grid.updated',
      targetType: 'grid',
      targetId: id,
      orgPath: current.path,
      summary: `修改网格 ${current.name}`,
    });
    return found;
  });
  gridIndexFor(ctx.db).invalidate();
  return { grid: await getGrid(ctx.db, caller, id), warnings };
}

/** Soft delete: the grid leaves lists and the locate index but keeps its code and history. */
export async function deleteGrid(ctx: AppContext, caller: Caller, id: string) {
  await ctx.db.transaction(async (tx) => {
    const current = await getGrid(tx, caller, id, 'org.write');
    const [child] = await tx
      .select({ id: orgUnit.id })
      .from(orgUnit)
      .where(and(eq(orgUnit.parentId, id), isNull(orgUnit.deletedAt)))
      .limit(1);
    if (child) throw invalid('id', '网格下还有楼栋或微网格，请先移走或删除');
    await tx.update(orgUnit).set({ deletedAt: new Date() }).where(eq(orgUnit.id, id));
    await audit(tx, caller, {
      action: 'grid.deleted',
      targetType: 'grid',
      targetId: id,
      orgPath: current.path,
      summary: `删除网格 ${current.name}（${current.code}）`,
    });
  });
  gridIndexFor(ctx.db).invalidate();
}

export async function getGrid(
  ex: Executor,
  caller: Caller,
  id: string,
  action: 'org.read' | 'org.write' = 'org.read',
) {
  const [row] = await ex
    .select({ ...gridColumns, buildingCount: buildingCount })
    .from(grid)
    .innerJoin(orgUnit, eq(orgUnit.id, grid.orgUnitId))
    .where(and(eq(grid.orgUnitId, id), isNull(orgUnit.deletedAt)));
  if (!row) throw notFound();
  authorize(caller.user, action, row.path, { outside: action === 'org.read' ? 'notFound' : 'forbidden' });
  return row;
}

const buildingCount = sql<number>`(select count(*)::int from org_unit b where b.parent_id = org_unit.id and b.kind = 'building' and b.deleted_at is null)`;

export interface GridQuery {
  orgUnitId?: string;
  type?: GridType;
  q?: string;
  page: number;
  pageSize: number;
  sort?: 'code' | 'name';
  order?: 'asc' | 'desc';
  /** Exports want the polygon; lists do not. */
  withBoundary?: boolean;
}

async function under(ex: Executor, caller: Caller, orgUnitId?: string): Promise<SQL[]> {
  const where: SQL[] = [isNull(orgUnit.deletedAt), scopeFilter(caller.user, 'org.read', orgUnit.path)];
  if (orgUnitId) {
    const [root] = await ex.select({ path: orgUnit.path }).from(orgUnit).where(eq(orgUnit.id, orgUnitId));
    if (!root) throw notFound();
    where.push(sql`${orgUnit.path} <@ ${root.path}::ltree`);
  }
  return where;
}

export async function listGrids(ex: Executor, caller: Caller, q: GridQuery) {
  const where = await under(ex, caller, q.orgUnitId);
  if (q.type) where.push(eq(grid.type, q.type));
  if (q.q) where.push(or(ilike(orgUnit.name, `%${q.q}%`), ilike(orgUnit.code, `${q.q}%`))!);
  const sortCol = q.sort === 'name' ? orgUnit.name : orgUnit.code;
  const rows = await ex
    .select({
      ...gridColumns,
      buildingCount,
      communityName: sql<string>`(select p.name from org_unit p where p.id = org_unit.parent_id)`,
      communityCode: sql<string>`(select p.code from org_unit p where p.id = org_unit.parent_id)`,
      total: sql<number>`count(*) over()`.mapWith(Number),
    })
    .from(grid)
    .innerJoin(orgUnit, eq(orgUnit.id, grid.orgUnitId))
    .where(and(...where))
    .orderBy(q.order === 'desc' ? sql`${sortCol} desc` : asc(sortCol))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return {
    items: rows.map(({ total: _t, boundary, ...r }) => (q.withBoundary ? { ...r, boundary } : r)),
    total: rows[0]?.total ?? 0,
  };
}

/** Grids (polygons) and buildings (points) under a unit, as one GeoJSON FeatureCollection for the map. */
export async function mapFeatures(
  ex: Executor,
  caller: Caller,
  orgUnitId: string | undefined,
  withBuildings: boolean,
) {
  const where = await under(ex, caller, orgUnitId);
  const grids = await ex
    .select({
      id: orgUnit.id,
      code: orgUnit.code,
      name: orgUnit.name,
      boundary: orgUnit.boundary,
      type: grid.type,
    })
    .from(grid)
    .innerJoin(orgUnit, eq(orgUnit.id, grid.orgUnitId))
    .where(and(...where));
  const features: object[] = grids
    .filter((g) => g.boundary)
    .map((g) => ({
      type: 'Feature',
      geometry: g.boundary,
      properties: { kind: 'grid', id: g.id, code: g.code, name: g.name, gridType: g.type },
    }));
  if (withBuildings) {
    const buildings = await ex
      .select({
        id: orgUnit.id,
        code: orgUnit.code,
        name: orgUnit.name,
        lng: building.lng,
        lat: building.lat,
      })
      .from(building)
      .innerJoin(orgUnit, eq(orgUnit.id, building.orgUnitId))
      .where(and(...where));
    for (const b of buildings) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [b.lng, b.lat] },
        properties: { kind: 'building', id: b.id, code: b.code, name: b.name },
      });
    }
  }
  return { type: 'FeatureCollection' as const, features };
}

/** The grid, community, street and district containing a point — for routing a photo report. */
export async function locate(ctx: AppContext, lng: number, lat: number) {
  const hit = await gridIndexFor(ctx.db).locate(lng, lat);
  if (!hit) return null;
  const codes = hit.path.split('.');
  const chain = await ctx.db
    .select({ id: orgUnit.id, code: orgUnit.code, name: orgUnit.name, kind: orgUnit.kind })
    .from(orgUnit)
    .where(sql`${orgUnit.path} @> ${hit.path}::ltree`);
  const byKind = (kind: string) => chain.find((u) => u.kind === kind) ?? null;
  return {
    // A micro grid lies inside its grid: the deepest grid is the one that holds the point.
    grid: chain.find((u) => u.code === codes[codes.length - 1])!,
    community: byKind('community'),
    street: byKind('street'),
    district: byKind('district'),
    path: hit.path,
  };
}
