import { and, asc, desc, eq, ilike, isNull, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { invalid, notFound } from '../../platform/errors.js';
import { building, orgUnit } from '../org/schema.js';
import { findOrgUnit, subtreeOf, unitLabelSql } from '../org/units.js';
import type { HouseUse } from './codes.js';
import { cappedTotal } from './paging.js';
import { house } from './schema.js';

/**
 * Houses (房屋): a room in a building of a grid, or a standalone address in a grid. A house's
 * scope path is its building's (so a building leader sees it), else its grid's.
 */
export type HouseRow = typeof house.$inferSelect;

export interface HouseInput {
  gridId?: string;
  buildingId?: string | null;
  unit?: number | null;
  floor?: number | null;
  room?: string | null;
  address?: string | null;
  use: HouseUse;
  area?: number | null;
  ownerName?: string | null;
}

/** A live grid unit, or a 400 naming `field`. */
export async function gridUnit(ex: Executor, id: string, field = 'gridId') {
  const [unit] = await ex
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.id, id), eq(orgUnit.kind, 'grid'), isNull(orgUnit.deletedAt)));
  if (!unit) throw invalid(field, '网格不存在');
  return unit;
}

/** Where a house lies: its grid, building, scope path and address. Checks the building is in the grid. */
async function placeOf(
  ex: Executor,
  input: Pick<HouseInput, 'gridId' | 'buildingId' | 'unit' | 'room' | 'address'>,
) {
  if (input.buildingId) {
    const [b] = await ex
      .select({ unit: orgUnit, address: building.address })
      .from(orgUnit)
      .leftJoin(building, eq(building.orgUnitId, orgUnit.id))
      .where(and(eq(orgUnit.id, input.buildingId), eq(orgUnit.kind, 'building'), isNull(orgUnit.deletedAt)));
    if (!b) throw invalid('buildingId', '楼栋不存在');
    if (input.gridId && b.unit.parentId !== input.gridId) throw invalid('buildingId', '楼栋不在所选网格内');
    if (!input.room) throw invalid('room', '楼栋内的房屋须填写房号');
    const where = b.address ?? b.unit.name;
    const address = `${where}${input.unit ? `${input.unit}单元` : ''}${input.room}室`;
    return { gridId: b.unit.parentId!, path: b.unit.path, districtCode: b.unit.districtCode, address };
  }
  if (!input.gridId) throw invalid('gridId', '请选择网格或楼栋');
  if (!input.address) throw invalid('address', '独立房屋须填写地址');
  const g = await gridUnit(ex, input.gridId);
  return { gridId: g.id, path: g.path, districtCode: g.districtCode, address: input.address };
}

async function insertHouse(ex: Executor, input: HouseInput, place: Awaited<ReturnType<typeof placeOf>>) {
  if (input.buildingId) {
    const [taken] = await ex
      .select({ id: house.id })
      .from(house)
      .where(
        and(
          eq(house.buildingId, input.buildingId),
          input.unit == null ? isNull(house.unit) : eq(house.unit, input.unit),
          eq(house.room, input.room!),
          isNull(house.deletedAt),
        ),
      );
    if (taken) throw invalid('room', '该楼栋单元已有此房号');
  }
  const [row] = await ex
    .insert(house)
    .values({
      gridId: place.gridId,
      buildingId: input.buildingId ?? null,
      unit: input.unit ?? null,
      floor: input.floor ?? null,
      room: input.room ?? null,
      address: place.address,
      use: input.use,
      area: input.area ?? null,
      ownerName: input.ownerName ?? null,
      orgPath: place.path,
      districtCode: place.districtCode,
    })
    .returning();
  return row;
}

export async function createHouse(ctx: AppContext, caller: Caller, input: HouseInput) {
  return ctx.db.transaction(async (tx) => {
    const place = await placeOf(tx, input);
    authorize(caller.user, 'resident.write', place.path, { outside: 'forbidden' });
    const row = await insertHouse(tx, input, place);
    await audit(tx, caller, {
      action: 'house.created',
      targetType: 'house',
      targetId: row.id,
      orgPath: row.orgPath,
      summary: `登记房屋 ${row.address}`,
    });
    return describeHouse(row);
  });
}

/** Finds or creates the house at a building room / standalone address (imports), inside the caller's scope. */
export async function ensureHouse(ex: Executor, caller: Caller, input: HouseInput): Promise<HouseRow> {
  const place = await placeOf(ex, input);
  authorize(caller.user, 'resident.write', place.path, { outside: 'forbidden' });
  const [existing] = await ex
    .select()
    .from(house)
    .where(
      and(
        input.buildingId
          ? and(
              eq(house.buildingId, input.buildingId),
              input.unit == null ? isNull(house.unit) : eq(house.unit, input.unit),
              eq(house.room, input.room!),
            )
          : and(isNull(house.buildingId), eq(house.gridId, place.gridId), eq(house.address, place.address)),
        isNull(house.deletedAt),
      ),
    );
  return existing ?? insertHouse(ex, input, place);
}

/** A live house the caller may act on; 404 outside their subtree. */
export async function loadHouse(
  ex: Executor,
  caller: Caller,
  id: string,
  action: 'resident.read' | 'resident.write' = 'resident.read',
  outside: 'notFound' | 'forbidden' = 'notFound',
) {
  const [row] = await ex
    .select()
    .from(house)
    .where(and(eq(house.id, id), isNull(house.deletedAt)));
  if (!row) throw notFound();
  authorize(caller.user, action, row.orgPath, { outside });
  return row;
}

export function describeHouse(
  row: HouseRow,
  counts?: { households: number; residents: number; gridName: string | null },
) {
  return {
    id: row.id,
    gridId: row.gridId,
    gridName: counts?.gridName ?? null,
    buildingId: row.buildingId,
    unit: row.unit,
    floor: row.floor,
    room: row.room,
    address: row.address,
    use: row.use as HouseUse,
    area: row.area,
    ownerName: row.ownerName,
    needsGrid: row.needsGrid,
    orgPath: row.orgPath,
    households: counts?.households ?? null,
    residents: counts?.residents ?? null,
    createdAt: row.createdAt,
  };
}

// The house's id written out as "house"."id": Drizzle prints a bare "id" for a column of a
// single-table select, which inside these subqueries meant the household's (resident's) own id.
const houseId = sql.raw('"house"."id"');
const countsSql = {
  households:
    sql<number>`(select count(*) from household h where h.house_id = ${houseId} and h.deleted_at is null)`.mapWith(
      Number,
    ),
  residents: sql<number>`(select count(*) from resident r where r.house_id = ${houseId}
    and r.deleted_at is null and r.status = 'active')`.mapWith(Number),
  gridName: unitLabelSql(sql.raw('"house"."grid_id"')),
};

export async function getHouse(ex: Executor, caller: Caller, id: string) {
  const row = await loadHouse(ex, caller, id);
  const [counts] = await ex.select(countsSql).from(house).where(eq(house.id, id));
  return describeHouse(row, counts);
}

export async function updateHouse(ctx: AppContext, caller: Caller, id: string, input: Partial<HouseInput>) {
  return ctx.db.transaction(async (tx) => {
    const row = await loadHouse(tx, caller, id, 'resident.write');
    const { gridId: _g, buildingId: _b, address, ...others } = input;
    // updated_at always, so an edit of one field is never an empty SET.
    const changes: Partial<typeof house.$inferInsert> = { ...others, updatedAt: new Date() };
    if (row.buildingId) {
      // A room's address is its building's, unit and room: it follows them and is not typed in.
      if (address !== undefined && address !== row.address)
        throw invalid('address', '楼栋内房屋的地址由楼栋、单元和房号生成，请修改单元或房号');
      if (input.unit !== undefined || input.room !== undefined) {
        const place = await placeOf(tx, {
          buildingId: row.buildingId,
          unit: input.unit !== undefined ? input.unit : row.unit,
          room: input.room !== undefined ? input.room : row.room,
        });
        changes.address = place.address;
      }
    } else if (address !== undefined) {
      if (!address?.trim()) throw invalid('address', '独立房屋须填写地址');
      changes.address = address;
    }
    const [updated] = await tx.update(house).set(changes).where(eq(house.id, id)).returning();
    await audit(tx, caller, {
      action: 'house.updated',
      targetType: 'house',
      targetId: id,
      orgPath: row.orgPath,
      summary: `修改房屋 ${updated.address}`,
    });
    return describeHouse(updated);
  });
}

export interface HouseQuery {
  page: number;
  pageSize: number;
  orgUnitId?: string;
  buildingId?: string;
  use?: HouseUse;
  needsGrid?: boolean;
  q?: string;
  sort?: 'address' | 'createdAt';
  order?: 'asc' | 'desc';
}

export async function listHouses(ex: Executor, caller: Caller, q: HouseQuery) {
  const where: SQL[] = [scopeFilter(caller.user, 'resident.read', house.orgPath), isNull(house.deletedAt)];
  if (q.orgUnitId) {
    const unit = await findOrgUnit(ex, q.orgUnitId);
    if (!unit) return { items: [], total: 0, totalCapped: false };
    where.push(subtreeOf(house.orgPath, unit.path));
  }
  if (q.buildingId) where.push(eq(house.buildingId, q.buildingId));
  if (q.use) where.push(eq(house.use, q.use));
  if (q.needsGrid !== undefined) where.push(eq(house.needsGrid, q.needsGrid));
  if (q.q) where.push(ilike(house.address, `%${q.q}%`));
  const column = q.sort === 'createdAt' ? house.createdAt : house.address;
  const filter = and(...where)!;
  // The page off the (address, id) index; the total counted apart and capped (not count(*) over()).
  const [rows, counted] = await Promise.all([
    ex
      .select({ h: house, ...countsSql })
      .from(house)
      .where(filter)
      .orderBy(q.order === 'desc' ? desc(column) : asc(column), asc(house.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    cappedTotal(ex, sql`${house}`, filter),
  ]);
  return { items: rows.map((r) => describeHouse(r.h, r)), ...counted };
}
