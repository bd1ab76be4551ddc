import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { bboxOf, pointInPolygon } from './geometry.js';
import { building, orgUnit } from './schema.js';

/**
 * A point to show a unit at when a report names the unit rather than a point (Open311 clients skip
 * reports without lat/long): a building's own point; else the middle of the unit's outline when it
 * lies inside it, else the mean of the outline's corners; else the mean of its buildings' points.
 */
export async function representativePoint(
  ex: Executor,
  unitId: string,
): Promise<{ lng: number; lat: number } | null> {
  const [row] = await ex
    .select({ path: orgUnit.path, boundary: orgUnit.boundary, lng: building.lng, lat: building.lat })
    .from(orgUnit)
    .leftJoin(building, eq(building.orgUnitId, orgUnit.id))
    .where(eq(orgUnit.id, unitId));
  if (!row) return null;
  if (row.lng !== null && row.lat !== null) return { lng: row.lng, lat: row.lat };
  const ring = row.boundary?.coordinates?.[0];
  if (row.boundary && ring?.length) {
    const b = bboxOf(row.boundary);
    const mid = { lng: (b.minLng + b.maxLng) / 2, lat: (b.minLat + b.maxLat) / 2 };
    if (pointInPolygon(mid.lng, mid.lat, row.boundary)) return mid;
    const corners = ring.slice(0, -1);
    return {
      lng: corners.reduce((s, p) => s + p[0], 0) / corners.length,
      lat: corners.reduce((s, p) => s + p[1], 0) / corners.length,
    };
  }
  const [avg] = await ex
    .select({
      lng: sql<number | null>`avg(${building.lng})::float8`,
      lat: sql<number | null>`avg(${building.lat})::float8`,
    })
    .from(building)
    .innerJoin(orgUnit, eq(orgUnit.id, building.orgUnitId))
    .where(and(sql`${orgUnit.path} <@ ${row.path}::ltree`, sql`${orgUnit.deletedAt} is null`));
  return avg?.lng != null && avg.lat != null ? { lng: avg.lng, lat: avg.lat } : null;
}
