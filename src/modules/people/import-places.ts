import { and, eq, inArray, isNull } from 'drizzle-orm';
import { authorize, grantsFor, pathWithin } from '../../platform/auth/authorize.js';
import type { Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { SheetRow } from '../../platform/tabular/xlsx.js';
import { AddressMatcher, type AddressPlace } from '../org/address-match.js';
import { building, orgUnit } from '../org/schema.js';
import { cellText, type ResidentColumn } from './columns.js';
import { houseKey } from './rejects.js';
import { house } from './schema.js';

export class RowProblem extends Error {
  constructor(
    readonly column: ResidentColumn | '',
    message: string,
  ) {
    super(message);
  }
}
export const problem = (column: ResidentColumn | '', message: string): never => {
  throw new RowProblem(column, message);
};

interface UnitInfo {
  id: string;
  path: string;
  parentId: string | null;
  districtCode: string | null;
  address: string | null;
  name: string;
}

/** The cells that name a place (the house import has them too). */
export type PlaceCells = Pick<
  SheetRow<ResidentColumn>['values'],
  'gridCode' | 'buildingCode' | 'unit' | 'room' | 'address'
>;

/** Where a row lives: its grid, and the house (a building room or a standalone address) when it names one. */
export interface Place {
  gridId: string;
  buildingId: string | null;
  unit: number | null;
  floor: number | null;
  room: string | null;
  /** The house's address (made from the building for a room). Null: the grid only. */
  address: string | null;
  orgPath: string;
  districtCode: string | null;
  /** Compares places: `b:<building>|<unit>|<room>`, `g:<grid>|<address>` or `g:<grid>`. */
  key: string;
  /** How the row was placed: by its grid or building code, or by its address text. */
  by: 'code' | 'address';
  /** The address named only the community: the house awaits its grid being chosen (待选网格). */
  needsGrid: boolean;
}

/** How an import's rows were placed (the resident and house imports both report it). */
export interface PlacementCounts {
  /** Rows placed by their grid or building code, and by their address. */
  placedByCode: number;
  placedByAddress: number;
  /** Of those by address, rows whose address named only the community: their house awaits a grid. */
  placedAtCommunity: number;
  /** Buildings made because addresses named them (only with `createBuildings`). */
  buildingsCreated: number;
}

export const noPlacements = (): PlacementCounts => ({
  placedByCode: 0,
  placedByAddress: 0,
  placedAtCommunity: 0,
  buildingsCreated: 0,
});

/** Counts a placed row. */
export function countPlacement(counts: PlacementCounts, place: Place) {
  if (place.by === 'code') counts.placedByCode++;
  else counts.placedByAddress++;
  if (place.needsGrid) counts.placedAtCommunity++;
}

/** One spelling per standalone address, so two spellings of one address make one house. */
const addressText = (address: string) => address.normalize('NFKC').replace(/\s+/g, '');

/** A standalone house already registered at an address that names only its community. */
interface KnownHouse {
  gridId: string;
  gridPath: string;
  districtCode: string | null;
  needsGrid: boolean;
}

/** A building an address names that its community does not have yet, made when the import is written. */
export interface NewBuilding {
  id: string;
  gridId: string;
  gridPath: string;
  districtCode: string | null;
  name: string;
  address: string;
}

export interface PlacesOptions {
  /** Place rows without codes by their address (the resident import). */
  byAddress?: boolean;
  /** Make a building an address names that the community does not have (in its first grid). */
  createBuildings?: boolean;
}

/**
 * The grids and buildings a workbook names, loaded per batch in one query and kept (their number
 * is bounded by the org tree, not by the file). Houses are not loaded here: the writing pass finds
 * or creates them in SQL, so no map grows with the file. Rows without codes are placed by their
 * address through the org module's matcher, loaded once for the import's reach.
 */
export class Places {
  private grids = new Map<string, UnitInfo | null>();
  private buildings = new Map<string, UnitInfo | null>();
  private matcher: AddressMatcher | null = null;
  /** The one community (or grid) the import is limited to, when it is one: addresses need not name it. */
  private home: { path: string; kind: string } | null = null;
  /** Buildings to make, by community and number. */
  readonly newBuildings = new Map<string, NewBuilding>();
  /**
   * Standalone houses at addresses naming only their community, by `<community path>|<address>`:
   * such a house stays in the grid chosen for it since, not back in the community's first grid.
   */
  private known = new Map<string, KnownHouse | null>();

  constructor(
    private ex: Executor,
    private caller: Caller,
    private withinPath: string | null,
    private opts: PlacesOptions = {},
  ) {}

  private allowed(path: string, column: ResidentColumn) {
    if (!pathWithin(path, this.withinPath)) problem(column, '该地点不在本次导入的范围内');
    if (this.caller.user) {
      try {
        authorize(this.caller.user, 'resident.import', path, { outside: 'forbidden' });
      } catch {
        problem(column, '无权在该地点登记居民');
      }
    }
  }

  /** Loads the grids and buildings a batch names that are not known yet, in one query. */
  async prefetch(batch: { values: PlaceCells }[]) {
    const codes = new Set<string>();
    let addressed = false;
    for (const r of batch) {
      const g = cellText(r.values.gridCode);
      const b = cellText(r.values.buildingCode);
      if (g && !this.grids.has(g)) codes.add(g);
      if (b && !this.buildings.has(b)) codes.add(b);
      if (!g && !b && cellText(r.values.address)) addressed = true;
    }
    if (addressed && this.opts.byAddress) {
      if (!this.matcher) await this.loadMatcher();
      await this.prefetchKnown(batch);
    }
    if (!codes.size) return;
    const units = await this.ex
      .select({
        id: orgUnit.id,
        code: orgUnit.code,
        kind: orgUnit.kind,
        path: orgUnit.path,
        parentId: orgUnit.parentId,
        districtCode: orgUnit.districtCode,
        name: orgUnit.name,
        address: building.address,
      })
      .from(orgUnit)
      .leftJoin(building, eq(building.orgUnitId, orgUnit.id))
      .where(
        and(
          inArray(orgUnit.code, [...codes]),
          inArray(orgUnit.kind, ['grid', 'building']),
          isNull(orgUnit.deletedAt),
        ),
      );
    for (const u of units) (u.kind === 'grid' ? this.grids : this.buildings).set(u.code, u);
    for (const c of codes) {
      if (!this.grids.has(c)) this.grids.set(c, null);
      if (!this.buildings.has(c)) this.buildings.set(c, null);
    }
  }

  /** Loads the standalone houses at the batch's addresses that name only a community, in one query. */
  private async prefetchKnown(batch: { values: PlaceCells }[]) {
    const wanted = new Map<string, string>();
    for (const r of batch) {
      const address = cellText(r.values.address)?.slice(0, 200);
      if (!address || cellText(r.values.gridCode) || cellText(r.values.buildingCode)) continue;
      const found = this.matcher!.locate(address, this.home?.path);
      if (!found?.community || found.grid || found.building || found.parts.building) continue;
      const key = `${found.community.path}|${addressText(address)}`;
      if (!this.known.has(key)) wanted.set(key, addressText(address));
    }
    if (!wanted.size) return;
    const rows = await this.ex
      .select({
        gridId: house.gridId,
        gridPath: orgUnit.path,
        districtCode: house.districtCode,
        needsGrid: house.needsGrid,
        address: house.address,
      })
      .from(house)
      .innerJoin(orgUnit, eq(orgUnit.id, house.gridId))
      .where(
        and(
          inArray(house.address, [...new Set(wanted.values())]),
          isNull(house.buildingId),
          isNull(house.deletedAt),
        ),
      )
      .orderBy(house.createdAt);
    for (const key of wanted.keys()) this.known.set(key, null);
    for (const h of rows) {
      const community = this.matcher!.ancestor(h.gridPath, 'community');
      const key = community ? `${community.path}|${h.address}` : '';
      if (wanted.has(key) && !this.known.get(key)) this.known.set(key, h);
    }
  }

  /** The places of the import's reach: `--org`, else what the caller may import into, else everything. */
  private async loadMatcher() {
    const roots = this.withinPath
      ? [this.withinPath]
      : this.caller.user
        ? grantsFor(this.caller.user, 'resident.import').map((g) => g.orgPath ?? '')
        : null;
    this.matcher = await AddressMatcher.load(this.ex, roots?.includes('') ? null : roots);
    const scope = this.withinPath ?? (roots?.length === 1 ? roots[0] : null);
    if (scope) {
      const [u] = await this.ex
        .select({ kind: orgUnit.kind, path: orgUnit.path })
        .from(orgUnit)
        .where(eq(orgUnit.path, scope));
      if (u && (u.kind === 'community' || u.kind === 'grid')) this.home = u;
    }
  }

  resolve(v: PlaceCells): Place {
    const gridCode = cellText(v.gridCode);
    const buildingCode = cellText(v.buildingCode);
    const grid = gridCode ? this.grids.get(gridCode) : null;
    if (gridCode && !grid) problem('gridCode', `网格编码 ${gridCode} 不存在`);
    if (buildingCode) {
      const b = this.buildings.get(buildingCode);
      if (!b) return problem('buildingCode', `楼栋编码 ${buildingCode} 不存在`);
      if (grid && b.parentId !== grid.id) problem('buildingCode', '楼栋不在所填网格内');
      this.allowed(b.path, 'buildingCode');
      const room = cellText(v.room) ?? problem('room', '填写楼栋编码时须填写房号');
      const unitText = cellText(v.unit)?.replace(/单元$/, '');
      const unit = unitText === undefined ? null : Number(unitText);
      if (unit !== null && !(Number.isInteger(unit) && unit >= 1 && unit <= 99))
        problem('unit', '单元应为 1 至 99 的整数');
      return this.room(b, unit, room, 'code');
    }
    const address = cellText(v.address)?.slice(0, 200) ?? null;
    if (!grid) {
      if (this.opts.byAddress && address) return this.byAddress(address);
      return problem('gridCode', '请填写网格编码（或楼栋编码和房号，或现住址）');
    }
    this.allowed(grid.path, 'gridCode');
    return this.standalone(grid, address, 'code');
  }

  private room(b: UnitInfo, unit: number | null, room: string, by: Place['by']): Place {
    if (room.length > 20) problem('room', '房号不能超过 20 个字');
    return {
      gridId: b.parentId!,
      buildingId: b.id,
      unit,
      floor: /^\d{3,4}$/.test(room) ? Math.floor(Number(room) / 100) : null,
      room,
      address: `${b.address ?? b.name}${unit ? `${unit}单元` : ''}${room}室`,
      orgPath: b.path,
      districtCode: b.districtCode,
      key: houseKey({ buildingId: b.id, unit, room, gridId: b.parentId!, address: null }),
      by,
      needsGrid: false,
    };
  }

  private standalone(
    grid: { id: string; path: string; districtCode: string | null },
    address: string | null,
    by: Place['by'],
    needsGrid = false,
  ): Place {
    return {
      gridId: grid.id,
      buildingId: null,
      unit: null,
      floor: null,
      room: null,
      address,
      orgPath: grid.path,
      districtCode: grid.districtCode,
      key: houseKey({ buildingId: null, unit: null, room: null, gridId: grid.id, address }),
      by,
      needsGrid,
    };
  }

  /**
   * A row placed by its 现住址: the building room it names (a building the community lacks is made
   * only when asked), else a standalone address in the grid it names, else in its community's first
   * grid. An address that names no community in reach is refused, naming it.
   */
  private byAddress(address: string): Place {
    const m = this.matcher!;
    const found: AddressPlace | null = m.locate(address, this.home?.path);
    if (!found?.community) return problem('address', `现住址「${address}」中找不到本次导入范围内的社区`);
    const community = found.community;
    this.allowed(community.path, 'address');
    const { parts } = found;
    if (found.ambiguousBuilding)
      problem(
        'address',
        `现住址「${address}」中的 ${parts.building} 号楼在${community.name}有多栋，请写明小区或网格`,
      );
    const gridOf = found.grid ?? m.firstGrid(community.path);
    if (!gridOf) return problem('address', `${community.name}还没有网格，无法登记现住址「${address}」`);
    const text = addressText(address);
    if (found.building) {
      const b = found.building;
      if (!parts.room) return this.standalone({ ...gridOf, id: b.gridId }, text, 'address');
      return this.room(
        {
          id: b.id,
          path: b.path,
          parentId: b.gridId,
          districtCode: b.districtCode,
          address: b.address,
          name: b.name,
        },
        parts.unit,
        parts.room,
        'address',
      );
    }
    if (parts.building) {
      if (!this.opts.createBuildings)
        return problem(
          'address',
          `现住址「${address}」中的 ${parts.building} 号楼在${community.name}没有登记（可先建楼，或导入时选择自动新建楼栋 --create-buildings）`,
        );
      const key = `${community.id}|${parts.building}`;
      let nb = this.newBuildings.get(key);
      if (!nb) {
        nb = {
          id: newId(),
          gridId: gridOf.id,
          gridPath: gridOf.path,
          districtCode: gridOf.districtCode,
          name: `${parts.building}号楼`,
          address: `${community.shortName ?? community.name}${parts.building}号楼`,
        };
        this.newBuildings.set(key, nb);
      }
      const path = `${gridOf.path}.${nb.id.replaceAll('-', '')}`;
      if (!parts.room) return this.standalone(gridOf, text, 'address');
      return this.room(
        {
          id: nb.id,
          path,
          parentId: gridOf.id,
          districtCode: gridOf.districtCode,
          address: nb.address,
          name: nb.name,
        },
        parts.unit,
        parts.room,
        'address',
      );
    }
    if (found.grid) return this.standalone(gridOf, text, 'address');
    // Only the community named: its first grid for now, flagged for a grid to be chosen.
    const known = this.known.get(`${community.path}|${text}`);
    if (known)
      return this.standalone(
        { id: known.gridId, path: known.gridPath, districtCode: known.districtCode },
        text,
        'address',
        known.needsGrid,
      );
    return this.standalone(gridOf, text, 'address', true);
  }
}
