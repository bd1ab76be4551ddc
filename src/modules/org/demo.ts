import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import type { Random } from '../demo/random.js';
import { importDivisions } from './divisions.js';
import { rectangle } from './geometry.js';
import { building, type GeoPolygon, grid, orgSerial, orgUnit } from './schema.js';
import { buildingCode, gridCode } from './serials.js';

export const demoDepartments = [
  '住建局',
  '城市管理综合执法局',
  '民政局',
  '公安分局',
  '卫生健康委员会',
  '应急管理局',
  '市场监督管理局',
  '供热公司',
  '供水公司',
];
const coverages = ['market', 'shopStreet', 'enterprise', 'campus', 'hospital'] as const;
const coverageNames: Record<string, string> = {
  market: '农贸市场',
  shopStreet: '商业街',
  enterprise: '园区企业',
  campus: '学校',
  hospital: '医院',
};

export interface DemoDistrictOptions {
  districtCode: string;
  /** Box the district's communities are tiled in (synthetic but plausible: real boundaries are the users' data). */
  box: { minLng: number; minLat: number; maxLng: number; maxLat: number };
  basicGrids: number;
  exclusiveGrids: number;
  buildingsPerGrid: number;
  random: Random;
}

/**
 * The demo district's places: real streets and communities from GB/T 2260, then generated
 * community boundaries tiled in the box, grids as strips of each community (so siblings never
 * overlap), buildings inside their grids, and the departments that answer whistles.
 * Idempotent: a community that already has grids is left as it is.
 */
export async function generateDemoDistrict(ex: Executor, opts: DemoDistrictOptions) {
  await importDivisions(ex, { province: opts.districtCode.slice(0, 2), scope: opts.districtCode });
  const [district] = await ex.select().from(orgUnit).where(eq(orgUnit.code, opts.districtCode));
  const communities = await ex
    .select()
    .from(orgUnit)
    .where(
      and(
        eq(orgUnit.kind, 'community'),
        eq(orgUnit.districtCode, opts.districtCode),
        isNull(orgUnit.deletedAt),
      ),
    )
    .orderBy(asc(orgUnit.code));
  await seedDepartments(ex, district);

  const r = opts.random;
  const cols = Math.ceil(Math.sqrt(communities.length * 1.1));
  const rows = Math.ceil(communities.length / cols);
  const w = (opts.box.maxLng - opts.box.minLng) / cols;
  const h = (opts.box.maxLat - opts.box.minLat) / rows;
  const units: (typeof orgUnit.$inferInsert)[] = [];
  const grids: (typeof grid.$inferInsert)[] = [];
  const buildings: (typeof building.$inferInsert)[] = [];
  const serials: (typeof orgSerial.$inferInsert)[] = [];

  for (const [i, community] of communities.entries()) {
    const x0 = opts.box.minLng + (i % cols) * w;
    const y0 = opts.box.minLat + Math.floor(i / cols) * h;
    const boundary = rectangle(round(x0), round(y0), round(x0 + w), round(y0 + h));
    await ex.update(orgUnit).set({ boundary }).where(eq(orgUnit.id, community.id));
    const [existing] = await ex
      .select()
      .from(orgSerial)
      .where(and(eq(orgSerial.parentId, community.id), eq(orgSerial.kind, 'grid')));
    if (existing) continue;

    const basic =
      Math.floor(opts.basicGrids / communities.length) + (i < opts.basicGrids % communities.length ? 1 : 0);
    const exclusive =
      Math.floor(opts.exclusiveGrids / communities.length) +
      (i < opts.exclusiveGrids % communities.length ? 1 : 0);
    const n = basic + exclusive;
    // Strip boundaries, jittered differently at the bottom and top edge: trapezoids that tile the cell.
    const cuts = Array.from({ length: n + 1 }, (_, k) =>
      k === 0 || k === n
        ? [x0 + (k / n) * w, x0 + (k / n) * w]
        : [x0 + ((k + (r.next() - 0.5) * 0.4) / n) * w, x0 + ((k + (r.next() - 0.5) * 0.4) / n) * w],
    );
    const rural = community.subtype === '嘎查' || community.subtype === '村';
    for (let k = 0; k < n; k++) {
      const isExclusive = k >= basic;
      const code = gridCode(community.code, k + 1);
      const [bl, tl] = cuts[k];
      const [br, tr] = cuts[k + 1];
      const polygon: GeoPolygon = {
        type: 'Polygon',
        coordinates: [
          [
            [round(bl), round(y0)],
            [round(br), round(y0)],
            [round(tr), round(y0 + h)],
            [round(tl), round(y0 + h)],
            [round(bl), round(y0)],
          ],
        ],
      };
      const coverage = isExclusive ? coverages[(i + k) % coverages.length] : null;
      const id = newId();
      units.push({
        id,
        kind: 'grid',
        code,
        name: isExclusive ? `${coverageNames[coverage!]}专属网格` : `第${k + 1}网格`,
        parentId: community.id,
        path: `${community.path}.${code}`,
        level: community.level + 1,
        districtCode: opts.districtCode,
        subtype: isExclusive ? 'exclusive' : 'basic',
        boundary: polygon,
      });
      grids.push({
        orgUnitId: id,
        type: isExclusive ? 'exclusive' : 'basic',
        minLng: round(Math.min(bl, tl)),
        maxLng: round(Math.max(br, tr)),
        minLat: round(y0),
        maxLat: round(y0 + h),
        targetHouseholds: isExclusive ? null : r.int(260, 340),
        coverage,
        districtCode: opts.districtCode,
      });
      const count = isExclusive ? 1 : opts.buildingsPerGrid;
      for (let b = 0; b < count; b++) {
        const v = 0.1 + 0.8 * r.next();
        const u = 0.15 + 0.7 * r.next();
        const left = bl + (tl - bl) * v;
        const right = br + (tr - br) * v;
        const bcode = buildingCode(code, b + 1);
        const bid = newId();
        const floors = rural ? r.int(1, 2) : r.int(6, 18);
        units.push({
          id: bid,
          kind: 'building',
          code: bcode,
          name: rural ? `${b + 1}号院` : `${b + 1}号楼`,
          parentId: id,
          path: `${community.path}.${code}.${bcode}`,
          level: community.level + 2,
          districtCode: opts.districtCode,
        });
        buildings.push({
          orgUnitId: bid,
          lng: round(left + (right - left) * u),
          lat: round(y0 + h * v),
          address: `${community.shortName ?? community.name}${rural ? '' : `${k + 1}区`}${b + 1}号${rural ? '院' : '楼'}`,
          units: rural ? 1 : r.int(2, 4),
          floors,
          householdsPerUnit: rural ? 1 : floors * 2,
          qrToken: randomBytes(12).toString('base64url'),
          districtCode: opts.districtCode,
        });
      }
      serials.push({ parentId: id, kind: 'building', last: count });
    }
    serials.push({ parentId: community.id, kind: 'grid', last: n });
  }
  for (let i = 0; i < units.length; i += 500) await ex.insert(orgUnit).values(units.slice(i, i + 500));
  for (let i = 0; i < grids.length; i += 500) await ex.insert(grid).values(grids.slice(i, i + 500));
  for (let i = 0; i < buildings.length; i += 500)
    await ex.insert(building).values(buildings.slice(i, i + 500));
  for (let i = 0; i < serials.length; i += 500) await ex.insert(orgSerial).values(serials.slice(i, i + 500));
  return { district, communities: communities.length, grids: grids.length, buildings: buildings.length };
}

async function seedDepartments(ex: Executor, district: typeof orgUnit.$inferSelect) {
  for (const [i, name] of demoDepartments.entries()) {
    const code = `${district.code}D${String(i + 1).padStart(2, '0')}`;
    await ex
      .insert(orgUnit)
      .values({
        kind: 'department',
        code,
        name: `${district.name}${name}`,
        shortName: name,
        parentId: district.id,
        path: `${district.path}.${code}`,
        level: district.level + 1,
        districtCode: district.code,
      })
      .onConflictDoNothing();
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Everything the demo made, for the accounts and people seeders. */
export async function demoPlaces(ex: Executor, districtCode: string) {
  const all = await ex
    .select({
      id: orgUnit.id,
      code: orgUnit.code,
      name: orgUnit.name,
      kind: orgUnit.kind,
      path: orgUnit.path,
      parentId: orgUnit.parentId,
    })
    .from(orgUnit)
    .where(
      and(
        eq(orgUnit.districtCode, districtCode),
        isNull(orgUnit.deletedAt),
        sql`${orgUnit.kind} <> 'building'`,
      ),
    )
    .orderBy(asc(orgUnit.code));
  return all;
}
