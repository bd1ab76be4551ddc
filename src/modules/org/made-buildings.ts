import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { rowsOf } from '../../platform/db/index.js';
import { building, orgUnit } from './schema.js';
import { buildingCode, nextFreeCode } from './serials.js';

/** A building that an imported address names and its community lacks. */
export interface BuildingToMake {
  id: string;
  gridId: string;
  gridPath: string;
  districtCode: string | null;
  name: string;
  address: string;
}

/**
 * Makes the buildings an import was allowed to create, in the grid chosen for each, with the next
 * free code; placed at the middle of the grid's extent (else of its other buildings) until someone
 * moves the pin. Returns each one's path.
 */
export async function makeBuildings(ex: Executor, list: BuildingToMake[]): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const b of list) {
    const gridCode = b.gridPath.split('.').pop()!;
    const code = await nextFreeCode(ex, b.gridId, 'building', (n) => buildingCode(gridCode, n));
    const path = `${b.gridPath}.${code}`;
    const [spot] = rowsOf<{ lng: number | null; lat: number | null }>(
      await ex.execute(sql`select coalesce((g.min_lng + g.max_lng) / 2, avg(s.lng)) as lng,
          coalesce((g.min_lat + g.max_lat) / 2, avg(s.lat)) as lat
        from grid g left join org_unit u on u.parent_id = g.org_unit_id left join building s on s.org_unit_id = u.id
        where g.org_unit_id = ${b.gridId} group by g.min_lng, g.max_lng, g.min_lat, g.max_lat`),
    );
    await ex.insert(orgUnit).values({
      id: b.id,
      kind: 'building',
      code,
      name: b.name,
      parentId: b.gridId,
      path,
      level: b.gridPath.split('.').length,
      districtCode: b.districtCode,
    });
    await ex.insert(building).values({
      orgUnitId: b.id,
      lng: Number(spot?.lng ?? 0),
      lat: Number(spot?.lat ?? 0),
      address: b.address,
      qrToken: randomBytes(12).toString('base64url'),
      districtCode: b.districtCode ?? '000000',
    });
    paths.set(b.id, path);
  }
  return paths;
}
