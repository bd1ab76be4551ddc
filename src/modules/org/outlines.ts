import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { type Geom, union } from 'polyclip-ts';
import { scopeFilter } from '../../platform/auth/authorize.js';
import type { Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';
import { pointInRing, type Ring } from './geometry.js';
import { grid, orgUnit } from './schema.js';

type MultiPolygon = Ring[][];
const outlinedKinds = ['district', 'street', 'community'] as const;

/** The largest polygon's bounding-box middle when it lies inside, else its first vertex: where a name goes. */
export function labelPoint(shape: MultiPolygon): [number, number] {
  const area = (ring: Ring) =>
    Math.abs(
      ring.reduce(
        (s, [x, y], i) => s + x * ring[(i + 1) % ring.length][1] - ring[(i + 1) % ring.length][0] * y,
        0,
      ),
    );
  const outer = shape.map((p) => p[0]).sort((a, b) => area(b) - area(a))[0];
  const xs = outer.map((p) => p[0]);
  const ys = outer.map((p) => p[1]);
  const mid: [number, number] = [
    (Math.min(...xs) + Math.max(...xs)) / 2,
    (Math.min(...ys) + Math.max(...ys)) / 2,
  ];
  return pointInRing(mid[0], mid[1], outer) ? mid : outer[0];
}

const merge = (shapes: MultiPolygon[]): MultiPolygon | null =>
  shapes.length === 0 ? null : (union(shapes[0] as Geom, ...(shapes.slice(1) as Geom[])) as MultiPolygon);

/**
 * The outlines of the district, streets and communities at or below a unit (within the caller's
 * reach), dissolved from their grids' boundaries — the offline base map. A community without
 * grids that has a boundary of its own is outlined by it. Micro grids lie inside grids and add
 * nothing. Outer units come from the union of the units inside them, so shared edges disappear.
 */
export async function unitOutlines(ex: Executor, caller: Caller, orgUnitId?: string) {
  const where = [isNull(orgUnit.deletedAt), scopeFilter(caller.user, 'org.read', orgUnit.path)];
  if (orgUnitId) {
    const [root] = await ex.select({ path: orgUnit.path }).from(orgUnit).where(eq(orgUnit.id, orgUnitId));
    if (!root) throw notFound();
    where.push(sql`${orgUnit.path} <@ ${root.path}::ltree`);
  }
  const units = await ex
    .select({
      id: orgUnit.id,
      code: orgUnit.code,
      name: orgUnit.name,
      kind: orgUnit.kind,
      path: orgUnit.path,
      boundary: orgUnit.boundary,
    })
    .from(orgUnit)
    .where(and(...where, inArray(orgUnit.kind, [...outlinedKinds])));
  const grids = await ex
    .select({ path: orgUnit.path, boundary: orgUnit.boundary })
    .from(grid)
    .innerJoin(orgUnit, eq(orgUnit.id, grid.orgUnitId))
    .where(and(...where, ne(grid.type, 'micro'), sql`${orgUnit.boundary} is not null`));

  // Deepest first: a street is the union of its communities' outlines, a district of its streets'.
  const byDepth = [...units].sort((a, b) => b.path.split('.').length - a.path.split('.').length);
  const shapes = new Map<string, MultiPolygon>();
  const parts = new Map<string, MultiPolygon[]>();
  const parentOf = (path: string) => {
    const codes = path.split('.');
    for (let n = codes.length - 1; n > 0; n--) {
      const p = codes.slice(0, n).join('.');
      if (units.some((u) => u.path === p)) return p;
    }
    return null;
  };
  for (const g of grids) {
    const owner = parentOf(g.path);
    if (owner) parts.set(owner, [...(parts.get(owner) ?? []), [g.boundary!.coordinates as Ring[]]]);
  }
  for (const u of byDepth) {
    const own = parts.get(u.path) ?? [];
    const shape = merge(own) ?? (u.boundary ? [u.boundary.coordinates as Ring[]] : null);
    if (!shape?.length) continue;
    shapes.set(u.id, shape);
    const up = parentOf(u.path);
    if (up) parts.set(up, [...(parts.get(up) ?? []), shape]);
  }
  const features = byDepth
    .reverse()
    .filter((u) => shapes.has(u.id))
    .map((u) => {
      const shape = shapes.get(u.id)!;
      return {
        type: 'Feature' as const,
        geometry: { type: 'MultiPolygon' as const, coordinates: shape },
        properties: { kind: u.kind, id: u.id, code: u.code, name: u.name, labelAt: labelPoint(shape) },
      };
    });
  return { type: 'FeatureCollection' as const, features };
}
