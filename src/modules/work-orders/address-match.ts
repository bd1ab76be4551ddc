import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { building, orgUnit } from '../org/schema.js';

/**
 * Places a free-text address (a 12345 call's 事发地址, an Open311 `address_string`) in the org tree
 * without a geocoder: a building whose address the text contains, else a grid or community whose
 * name it contains. Loaded once per import or request batch and matched in memory.
 */
export interface PlaceMatch {
  id: string;
  kind: 'building' | 'grid' | 'community';
  name: string;
  path: string;
  lng?: number;
  lat?: number;
}

interface Unit {
  id: string;
  kind: string;
  name: string;
  shortName: string | null;
  path: string;
}

const norm = (s: string) => s.replace(/[\s\u3000]+/g, '');

const cache = new WeakMap<object, Map<string, { at: number; matcher: Promise<AddressMatcher> }>>();

export class AddressMatcher {
  private constructor(
    private units: Unit[],
    private buildings: (Unit & { address: string; lng: number; lat: number })[],
  ) {}

  /** Everything under `roots` (null: the whole tree). */
  static async load(ex: Executor, roots: string[] | null): Promise<AddressMatcher> {
    if (roots && roots.length === 0) return new AddressMatcher([], []);
    const under = roots
      ? sql`(${sql.join(
          roots.map((p) => sql`${orgUnit.path} <@ ${p}::ltree`),
          sql` or `,
        )})`
      : sql`true`;
    const units = await ex
      .select({
        id: orgUnit.id,
        kind: orgUnit.kind,
        name: orgUnit.name,
        shortName: orgUnit.shortName,
        path: orgUnit.path,
      })
      .from(orgUnit)
      .where(and(inArray(orgUnit.kind, ['community', 'grid']), isNull(orgUnit.deletedAt), under));
    const buildings = await ex
      .select({
        id: orgUnit.id,
        kind: orgUnit.kind,
        name: orgUnit.name,
        shortName: orgUnit.shortName,
        path: orgUnit.path,
        address: building.address,
        lng: building.lng,
        lat: building.lat,
      })
      .from(building)
      .innerJoin(orgUnit, eq(orgUnit.id, building.orgUnitId))
      .where(and(isNull(orgUnit.deletedAt), sql`${building.address} is not null`, under));
    return new AddressMatcher(
      units,
      buildings
        .map((b) => ({ ...b, address: norm(b.address ?? '') }))
        .filter((b) => b.address.length >= 4)
        .sort((a, b) => b.address.length - a.address.length),
    );
  }

  /**
   * The same, shared for a minute (per database handle and roots): for per-request callers such as
   * Open311, so a district's units and buildings are not read again for every report.
   */
  static cached(db: Executor, roots: string[] | null, maxAgeMs = 60_000): Promise<AddressMatcher> {
    let byRoots = cache.get(db);
    if (!byRoots) {
      byRoots = new Map();
      cache.set(db, byRoots);
    }
    const key = roots ? [...roots].sort().join('|') : '*';
    const hit = byRoots.get(key);
    if (hit && Date.now() - hit.at < maxAgeMs) return hit.matcher;
    const matcher = AddressMatcher.load(db, roots);
    byRoots.set(key, { at: Date.now(), matcher });
    matcher.catch(() => byRoots.delete(key));
    return matcher;
  }

  match(address: string | null | undefined): PlaceMatch | null {
    const text = norm(address ?? '');
    if (text.length < 2) return null;
    const b = this.buildings.find((x) => text.includes(x.address));
    if (b) return { id: b.id, kind: 'building', name: b.name, path: b.path, lng: b.lng, lat: b.lat };
    const named = (kind: string) =>
      this.units
        .filter((u) => u.kind === kind)
        .map((u) => ({
          u,
          len: Math.max(
            ...[u.name, u.shortName]
              .filter((n): n is string => !!n && norm(n).length >= 2 && text.includes(norm(n)))
              .map((n) => norm(n).length),
            0,
          ),
        }))
        .filter((x) => x.len > 0)
        .sort((a, b) => b.len - a.len)
        .map((x) => x.u);
    const communities = named('community');
    const grids = named('grid');
    const community = communities[0];
    if (community) {
      // "第一网格" is in every community: a grid counts only inside the community the text names.
      const grid = grids.find((g) => g.path.startsWith(`${community.path}.`));
      const hit = grid ?? community;
      return { id: hit.id, kind: hit.kind as 'grid' | 'community', name: hit.name, path: hit.path };
    }
    if (grids.length === 1 || (grids.length > 1 && grids[0].name.length > grids[1].name.length)) {
      const g = grids[0];
      return { id: g.id, kind: 'grid', name: g.name, path: g.path };
    }
    return null;
  }
}

/**
 * The districts a caller works in (the subtree an address is searched in): the district above each
 * of their assignments, or the assignment's own unit when it lies above district level. Null: the
 * caller has a whole-system role.
 */
export async function districtRoots(ex: Executor, caller: Caller): Promise<string[] | null> {
  const paths = (caller.user?.assignments ?? []).map((a) => a.orgPath);
  if (paths.includes(null)) return null;
  const roots = new Set<string>();
  for (const p of paths as string[]) {
    const [d] = await ex
      .select({ path: orgUnit.path })
      .from(orgUnit)
      .where(and(eq(orgUnit.kind, 'district'), sql`${orgUnit.path} @> ${p}::ltree`));
    roots.add(d?.path ?? p);
  }
  return [...roots];
}

/** The community of the caller's own unit (a community, grid or building worker's), where unplaced items queue. */
export async function homeCommunity(ex: Executor, caller: Caller) {
  const user = caller.user;
  if (!user) return null;
  const acting = user.assignments.find((a) => a.id === user.actingAssignmentId);
  for (const a of acting ? [acting] : user.assignments) {
    if (!a.orgPath) continue;
    const [c] = await ex
      .select({ id: orgUnit.id, name: orgUnit.name, path: orgUnit.path })
      .from(orgUnit)
      .where(
        and(
          eq(orgUnit.kind, 'community'),
          isNull(orgUnit.deletedAt),
          sql`${orgUnit.path} @> ${a.orgPath}::ltree`,
        ),
      );
    if (c) return c;
  }
  return null;
}
