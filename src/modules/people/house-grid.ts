import { and, inArray, isNull, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, pathWithin } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { gridUnit } from './houses.js';
import { house, household, resident } from './schema.js';

/** The community path a grid path lies in (a grid hangs right under its community). */
const communityOf = (gridPath: string) => gridPath.split('.').slice(0, -1).join('.');

/**
 * 选择网格: standalone houses that an import placed by an address naming only their community
 * (put in its first grid, flagged) go to the grid chosen for them, with their residents and
 * households, and lose the flag. One house or many at once; every house must be visible to the
 * caller (else 404, as for one house), standalone, and in the chosen grid's community.
 */
export async function chooseHouseGrid(
  ctx: AppContext,
  caller: Caller,
  input: { houseIds: string[]; gridId: string },
) {
  const ids = [...new Set(input.houseIds)];
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(house)
      .where(and(inArray(house.id, ids), isNull(house.deletedAt)));
    if (rows.length !== ids.length) throw notFound();
    for (const h of rows) authorize(caller.user, 'resident.write', h.orgPath, { outside: 'notFound' });
    const inBuilding = rows.filter((h) => h.buildingId);
    if (inBuilding.length)
      throw invalid(
        'houseIds',
        `${inBuilding[0].address} 等 ${inBuilding.length} 处房屋在楼栋内，随楼栋所在网格，不能另选网格`,
      );
    const grid = await gridUnit(tx, input.gridId);
    const community = communityOf(grid.path);
    const elsewhere = rows.filter((h) => !pathWithin(h.orgPath, community));
    if (elsewhere.length)
      throw invalid('gridId', `所选网格不在房屋「${elsewhere[0].address}」所在的社区，只能选本社区的网格`);
    authorize(caller.user, 'resident.write', grid.path, { outside: 'forbidden' });
    const set = { orgPath: grid.path, districtCode: grid.districtCode };
    await tx
      .update(house)
      .set({ ...set, gridId: grid.id, needsGrid: false, updatedAt: new Date() })
      .where(inArray(house.id, ids));
    await tx
      .update(resident)
      .set({ ...set, gridId: grid.id, updatedAt: new Date() })
      .where(and(inArray(resident.houseId, ids), isNull(resident.deletedAt)));
    await tx
      .update(household)
      .set({ ...set, updatedAt: new Date() })
      .where(and(inArray(household.houseId, ids), isNull(household.deletedAt)));
    const [moved] = await tx
      .select({ residents: sql<number>`count(*)`.mapWith(Number) })
      .from(resident)
      .where(and(inArray(resident.houseId, ids), isNull(resident.deletedAt)));
    for (const h of rows)
      await audit(tx, caller, {
        action: 'house.gridChosen',
        targetType: 'house',
        targetId: h.id,
        orgPath: grid.path,
        summary: `房屋 ${h.address} 选定网格 ${grid.name}`,
      });
    return { houses: rows.length, residents: moved.residents, gridId: grid.id };
  });
}
