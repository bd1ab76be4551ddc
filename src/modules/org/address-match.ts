import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import {
  buildingNumber,
  type HouseParts,
  houseParts,
  longestIn,
  namesAdminUnit,
  namesOf,
  normalizeAddress,
} from './address-text.js';
import { building, orgUnit } from './schema.js';

/**
 * Places a free-text address (a register's 现住址, a 12345 call's 事发地址 or 承办单位, an Open311
 * `address_string`) in the org tree without a geocoder: the community (or street, or district) the
 * text names, the grid it names inside that community, and the building it names by its address or
 * by its number ("12号楼", "12#", "12栋"), with the unit and room that follow. Loaded once per
 * import or request batch and matched in memory; the spelling rules are in address-text.ts.
 */
export interface PlaceMatch {
  id: string;
  kind: 'building' | 'grid' | 'community' | 'street' | 'district';
  name: string;
  path: string;
  lng?: number;
  lat?: number;
}

export interface Unit {
  id: string;
  kind: string;
  code: string;
  name: string;
  shortName: string | null;
  path: string;
  districtCode: string | null;
}

export interface BuildingUnit extends Unit {
  address: string | null;
  lng: number;
  lat: number;
  gridId: string;
  /** Its number from its name, else from its address. */
  number: string | null;
}

/** Everything an address names, most precise first in `unit`. */
export interface AddressPlace {
  unit: PlaceMatch;
  district: Unit | null;
  street: Unit | null;
  community: Unit | null;
  grid: Unit | null;
  building: BuildingUnit | null;
  /** The building, unit and room the text names after the community (the building may be unknown). */
  parts: HouseParts;
  /** The text names a building number that two or more buildings of the community carry. */
  ambiguousBuilding: boolean;
}

const depth: Record<PlaceMatch['kind'], number> = {
  district: 0,
  street: 1,
  community: 2,
  grid: 3,
  building: 4,
};

/** The more precise of two places (the first when equally precise). */
export function mostPrecise(a: AddressPlace | null, b: AddressPlace | null): AddressPlace | null {
  if (!a || !b) return a ?? b;
  return depth[b.unit.kind] > depth[a.unit.kind] ? b : a;
}

const cache = new WeakMap<object, Map<string, { at: number; matcher: Promise<AddressMatcher> }>>();

interface Named<U> {
  u: U;
  names: string[];
}

const asMatch = (u: Unit | BuildingUnit, kind: PlaceMatch['kind']): PlaceMatch => ({
  id: u.id,
  kind,
  name: u.name,
  path: u.path,
  ...('lng' in u ? { lng: u.lng, lat: u.lat } : {}),
});

export class AddressMatcher {
  private byKind = new Map<string, Named<Unit>[]>();
  private byPath = new Map<string, Unit>();
  private buildingsOf = new Map<string, (BuildingUnit & { norm: string })[]>();
  private addressed: (BuildingUnit & { norm: string })[];
  private memo = new Map<string, AddressPlace | null>();

  private constructor(units: Unit[], buildings: BuildingUnit[]) {
    for (const u of units) {
      this.byPath.set(u.path, u);
      const list = this.byKind.get(u.kind) ?? [];
      list.push({ u, names: namesOf(u.name, u.shortName) });
      this.byKind.set(u.kind, list);
    }
    const normed = buildings.map((b) => ({ ...b, norm: normalizeAddress(b.address ?? '') }));
    for (const b of normed) {
      const key = this.ancestor(b.path, 'community')?.path ?? '';
      const list = this.buildingsOf.get(key) ?? [];
      list.push(b);
      this.buildingsOf.set(key, list);
    }
    // Longest first, so "12号楼" is not taken for "2号楼"; short addresses would match anything.
    this.addressed = normed.filter((b) => b.norm.length >= 4).sort((a, b) => b.norm.length - a.norm.length);
    for (const list of this.buildingsOf.values()) list.sort((a, b) => b.norm.length - a.norm.length);
  }

  /** Everything under `roots` (null: the whole tree): districts down to buildings. */
  static async load(ex: Executor, roots: string[] | null): Promise<AddressMatcher> {
    if (roots && roots.length === 0) return new AddressMatcher([], []);
    const under = roots
      ? sql`(${sql.join(
          roots.map((p) => sql`${orgUnit.path} <@ ${p}::ltree`),
          sql` or `,
        )})`
      : sql`true`;
    const unitColumns = {
      id: orgUnit.id,
      kind: orgUnit.kind,
      code: orgUnit.code,
      name: orgUnit.name,
      shortName: orgUnit.shortName,
      path: orgUnit.path,
      districtCode: orgUnit.districtCode,
    };
    const units = await ex
      .select(unitColumns)
      .from(orgUnit)
      .where(
        and(
          inArray(orgUnit.kind, ['district', 'street', 'community', 'grid']),
          isNull(orgUnit.deletedAt),
          under,
        ),
      );
    const buildings = await ex
      .select({
        ...unitColumns,
        gridId: orgUnit.parentId,
        address: building.address,
        lng: building.lng,
        lat: building.lat,
      })
      .from(building)
      .innerJoin(orgUnit, eq(orgUnit.id, building.orgUnitId))
      .where(and(isNull(orgUnit.deletedAt), under));
    return new AddressMatcher(
      units,
      buildings.map((b) => ({
        ...b,
        gridId: b.gridId!,
        number: buildingNumber(b.name) ?? (b.address ? buildingNumber(b.address) : null),
      })),
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

  /** The unit of `kind` above (or at) `path`, among the loaded units. */
  ancestor(path: string, kind: string): Unit | null {
    const parts = path.split('.');
    for (let n = parts.length; n > 0; n--) {
      const u = this.byPath.get(parts.slice(0, n).join('.'));
      if (u?.kind === kind) return u;
    }
    return null;
  }

  /** A building, grid or community the text names (as Open311 places a report), or null. */
  match(address: string | null | undefined): PlaceMatch | null {
    const p = this.locate(address);
    return p && depth[p.unit.kind] >= depth.community ? p.unit : null;
  }

  /** Everything the text names, down to the most precise unit; null when it names no unit loaded. */
  locate(address: string | null | undefined, home?: string): AddressPlace | null {
    const text = normalizeAddress(address ?? '');
    if (text.length < 2) return null;
    const key = home ? `${home}\u0000${text}` : text;
    if (this.memo.has(key)) return this.memo.get(key)!;
    const found = this.find(text, home);
    if (this.memo.size > 50_000) this.memo.clear();
    this.memo.set(key, found);
    return found;
  }

  /** A community's first grid (by code): where a house of the community that names no grid is put. */
  firstGrid(communityPath: string): Unit | null {
    let first: Unit | null = null;
    for (const { u } of this.byKind.get('grid') ?? [])
      if (u.path.startsWith(`${communityPath}.`) && (!first || u.code < first.code)) first = u;
    return first;
  }

  /** The unit of `kind` the text names best: longest name, then the one whose ancestors it names too. */
  private named(text: string, kind: string, within?: string) {
    const hits: { u: Unit; len: number; end: number; context: number }[] = [];
    for (const { u, names } of this.byKind.get(kind) ?? []) {
      if (within && !u.path.startsWith(`${within}.`)) continue;
      const { len, end } = longestIn(text, names);
      if (!len) continue;
      let context = 0;
      for (const k of ['district', 'street', 'community']) {
        const a = k === kind ? null : this.ancestor(u.path, k);
        if (a && a.path !== u.path && longestIn(text, namesOf(a.name, a.shortName)).len) context++;
      }
      hits.push({ u, len, end, context });
    }
    hits.sort((a, b) => b.len - a.len || b.context - a.context);
    const [best, next] = hits;
    if (!best) return null;
    // Two equally good candidates ("第1网格" of two communities): the text does not say which.
    if (next && next.len === best.len && next.context === best.context) return null;
    return best;
  }

  /** `home`: the community or grid an import is limited to, taken when the text names no community. */
  private find(text: string, home?: string): AddressPlace | null {
    let community = this.named(text, 'community');
    if (!community && home && !namesAdminUnit(text)) {
      const c = this.ancestor(home, 'community');
      if (c) community = { u: c, len: 0, end: 0, context: 0 };
    }
    let grid = community ? this.named(text, 'grid', community.u.path) : this.named(text, 'grid');
    const homeGrid = home ? this.byPath.get(home) : undefined;
    if (!grid && homeGrid?.kind === 'grid' && community && homeGrid.path.startsWith(`${community.u.path}.`))
      grid = { u: homeGrid, len: 0, end: 0, context: 0 };
    let byAddress: BuildingUnit | null = null;
    if (!community) {
      byAddress = this.addressed.find((b) => text.includes(b.norm)) ?? null;
      const c = byAddress
        ? this.ancestor(byAddress.path, 'community')
        : grid
          ? this.ancestor(grid.u.path, 'community')
          : null;
      if (c) community = { u: c, len: 0, end: grid?.end ?? 0, context: 0 };
    }
    const rest = community ? text.slice(Math.max(community.end, grid?.end ?? 0)) : text;
    const parts = houseParts(rest);
    let b: BuildingUnit | null = byAddress;
    let ambiguousBuilding = false;
    if (!b && community) {
      const inCommunity = this.buildingsOf.get(community.u.path) ?? [];
      b = inCommunity.find((x) => x.norm.length >= 4 && text.includes(x.norm)) ?? null;
      if (!b && parts.building) {
        let same = inCommunity.filter((x) => x.number === parts.building);
        if (same.length > 1 && grid) same = same.filter((x) => x.gridId === grid!.u.id);
        if (same.length > 1) {
          // Numbers repeat per 小区 / 区: keep the ones whose address before the number the text names.
          const named = same.filter((x) => {
            const before = x.norm;
            const cut = before.lastIndexOf(x.number!);
            let prefix = cut > 0 ? before.slice(0, cut) : '';
            for (const n of namesOf(community!.u.name, community!.u.shortName))
              prefix = prefix.replace(n, '');
            return prefix.length > 0 && rest.slice(0, Math.max(parts.at, 0)).includes(prefix);
          });
          same = named.length ? named : same;
        }
        if (same.length === 1) b = same[0];
        else ambiguousBuilding = same.length > 1;
      }
    }
    if (b && !grid) {
      const g = this.byPath.get(b.path.split('.').slice(0, -1).join('.'));
      if (g?.kind === 'grid') grid = { u: g, len: 0, end: 0, context: 0 };
    }
    const c = community?.u ?? null;
    const street = c ? this.ancestor(c.path, 'street') : (this.named(text, 'street')?.u ?? null);
    const district =
      c || street
        ? this.ancestor((c ?? street)!.path, 'district')
        : (this.named(text, 'district')?.u ?? null);
    const unit = b
      ? asMatch(b, 'building')
      : grid
        ? asMatch(grid.u, 'grid')
        : c
          ? asMatch(c, 'community')
          : street
            ? asMatch(street, 'street')
            : district
              ? asMatch(district, 'district')
              : null;
    if (!unit) return null;
    return {
      unit,
      district,
      street,
      community: c,
      grid: grid?.u ?? null,
      building: b,
      parts,
      ambiguousBuilding,
    };
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
