import { and, eq, isNull } from 'drizzle-orm';
import Flatbush from 'flatbush';
import type { Db } from '../../platform/db/index.js';
import { pointInPolygon } from './geometry.js';
import { type GeoPolygon, grid, orgUnit } from './schema.js';

interface IndexedGrid {
  id: string;
  path: string;
  boundary: GeoPolygon;
}

/**
 * Which grid holds a point: flatbush over the grids' bounding boxes for candidates, then an exact
 * point-in-polygon test. Built from the database on first use and rebuilt after grids change here;
 * other processes' changes are picked up after `maxAgeMs`.
 */
export class GridIndex {
  private index: Flatbush | null = null;
  private grids: IndexedGrid[] = [];
  private builtAt = 0;
  private building: Promise<void> | null = null;

  constructor(
    private db: Db,
    private maxAgeMs = 60_000,
  ) {}

  invalidate() {
    this.builtAt = 0;
  }

  get size() {
    return this.grids.length;
  }

  async ready(): Promise<void> {
    if (this.index && Date.now() - this.builtAt < this.maxAgeMs) return;
    this.building ??= this.rebuild().finally(() => {
      this.building = null;
    });
    await this.building;
  }

  private async rebuild() {
    const rows = await this.db
      .select({ id: orgUnit.id, path: orgUnit.path, boundary: orgUnit.boundary, g: grid })
      .from(grid)
      .innerJoin(orgUnit, eq(orgUnit.id, grid.orgUnitId))
      .where(and(isNull(orgUnit.deletedAt)));
    const usable = rows.filter((r) => r.boundary && r.g.minLng !== null);
    const index = new Flatbush(Math.max(usable.length, 1));
    for (const r of usable) index.add(r.g.minLng!, r.g.minLat!, r.g.maxLng!, r.g.maxLat!);
    if (usable.length === 0) index.add(0, 0, 0, 0);
    index.finish();
    this.grids = usable.map((r) => ({ id: r.id, path: r.path, boundary: r.boundary! }));
    this.index = index;
    this.builtAt = Date.now();
  }

  /** The grid containing the point (synchronous once ready: the hot path for work-order intake). */
  locateSync(lng: number, lat: number): IndexedGrid | null {
    if (!this.index || this.grids.length === 0) return null;
    for (const i of this.index.search(lng, lat, lng, lat)) {
      const g = this.grids[i];
      if (g && pointInPolygon(lng, lat, g.boundary)) return g;
    }
    return null;
  }

  async locate(lng: number, lat: number): Promise<IndexedGrid | null> {
    await this.ready();
    return this.locateSync(lng, lat);
  }
}

const indexes = new WeakMap<Db, GridIndex>();

/** One index per database handle (the server has one; each test app its own). */
export function gridIndexFor(db: Db): GridIndex {
  let index = indexes.get(db);
  if (!index) {
    index = new GridIndex(db);
    indexes.set(db, index);
  }
  return index;
}
