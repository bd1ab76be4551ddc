import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { grantsFor } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import {
  type ColumnSpec,
  HeaderError,
  readSheetBatches,
  type SheetRow,
} from '../../platform/tabular/xlsx.js';
import { makeBuildings } from '../org/made-buildings.js';
import { type HouseUse, houseUses } from './codes.js';
import { cellText } from './columns.js';
import {
  countPlacement,
  noPlacements,
  type Place,
  type PlacementCounts,
  Places,
  RowProblem,
} from './import-places.js';
import { houseKey, Rejects, type WorkbookImportResult } from './rejects.js';
import { house } from './schema.js';

/**
 * Houses (房屋) from an xlsx workbook: building rooms (楼栋编码 + 单元 + 房号) or standalone
 * addresses in a grid (网格编码 + 房屋地址), with use, area and owner; a row with neither code is
 * placed by its 房屋地址 through the same address matcher as the resident import (a building the
 * community lacks made only with `createBuildings`; an address naming only the community flagged
 * for a grid to be chosen). A house is matched by its
 * place, so importing again updates (or leaves unchanged) instead of duplicating. The file is
 * read twice: every row is checked first, and only a file without bad rows (or `acceptPartial`)
 * is written, one transaction per batch.
 */
export const houseColumns = [
  { key: 'gridCode', header: '网格编码', aliases: ['所属网格编码'] },
  { key: 'buildingCode', header: '楼栋编码' },
  { key: 'unit', header: '单元' },
  { key: 'floor', header: '楼层' },
  { key: 'room', header: '房号', aliases: ['门牌号', '房间号'] },
  { key: 'address', header: '房屋地址', aliases: ['地址', '现住址', '住址'] },
  { key: 'use', header: '用途', aliases: ['房屋用途', '使用情况'] },
  { key: 'area', header: '面积', aliases: ['建筑面积', '面积（平方米）'] },
  { key: 'ownerName', header: '产权人', aliases: ['房主', '业主'] },
] as const satisfies readonly ColumnSpec[];
type HouseColumn = (typeof houseColumns)[number]['key'];
type Row = SheetRow<HouseColumn>;
const headerOf = (key: string) => houseColumns.find((c) => c.key === key)?.header ?? key;

export type HouseImportResult = WorkbookImportResult & PlacementCounts;

const useOf = new Map<string, HouseUse>(
  Object.entries(houseUses).flatMap(([k, v]) => [
    [k.toLowerCase(), k as HouseUse],
    [v, k as HouseUse],
  ]),
);
useOf.set('自住房', 'selfOccupied');
useOf.set('出租房', 'rented');
useOf.set('闲置', 'vacant');
useOf.set('商用', 'business');

interface Parsed {
  place: Place;
  use: HouseUse;
  area: number | null;
  ownerName: string | null;
  floor: number | null;
}

function parse(places: Places, v: Row['values']): Parsed | { column: string; message: string }[] {
  const errors: { column: string; message: string }[] = [];
  let place: Place | null = null;
  try {
    place = places.resolve(v);
    if (!place.address)
      errors.push({ column: headerOf('address'), message: '请填写房屋地址（或楼栋编码和房号）' });
  } catch (err) {
    if (!(err instanceof RowProblem)) throw err;
    errors.push({ column: err.column ? headerOf(err.column) : '', message: err.message });
  }
  const useText = cellText(v.use);
  const use =
    useText === undefined ? 'selfOccupied' : (useOf.get(useText) ?? useOf.get(useText.toLowerCase()));
  if (!use)
    errors.push({
      column: headerOf('use'),
      message: `未知的用途「${useText}」，应为 自住、出租、空置 或 经营`,
    });
  const areaText = cellText(v.area)?.replace(/(平方米|㎡|m2)$/i, '');
  const area = areaText === undefined ? null : Number(areaText);
  if (area !== null && !(Number.isFinite(area) && area > 0 && area < 100_000))
    errors.push({ column: headerOf('area'), message: '面积应为大于 0 的数字（平方米）' });
  const floorText = cellText(v.floor)?.replace(/(楼|层)$/, '');
  const floor = floorText === undefined ? null : Number(floorText);
  if (floor !== null && !(Number.isInteger(floor) && floor >= -5 && floor <= 200))
    errors.push({ column: headerOf('floor'), message: '楼层应为 -5 至 200 的整数' });
  const ownerName = cellText(v.ownerName) ?? null;
  if (ownerName && ownerName.length > 40)
    errors.push({ column: headerOf('ownerName'), message: '产权人不能超过 40 个字' });
  if (errors.length || !place || !use) return errors;
  return { place, use, area, ownerName, floor: floor ?? place.floor };
}

export async function importHouses(
  ctx: AppContext,
  caller: Caller,
  path: string,
  opts: {
    acceptPartial?: boolean;
    /** Make the buildings that addresses name and their community lacks (in its first grid). */
    createBuildings?: boolean;
    withinPath?: string | null;
    rejectedPath?: string;
    onProgress?: (done: number, total: number) => void | Promise<void>;
  } = {},
): Promise<HouseImportResult> {
  const result: HouseImportResult = {
    rows: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    ...noPlacements(),
    written: false,
    errors: [],
    errorsTruncated: false,
    rejectedFile: false,
  };
  const rejected = new Set<number>();
  const rejects = new Rejects<HouseColumn>(result);
  const seen = new Map<string, number>();
  const places = new Places(ctx.db, caller, opts.withinPath ?? null, {
    byAddress: true,
    createBuildings: opts.createBuildings,
  });
  // Buildings the addresses name that their community lacks: made once the file is to be written.
  const usedBuildings = new Set<string>();
  const read = (share: number, offset: number) =>
    readSheetBatches(path, houseColumns, {
      onBytes: (done, total) => opts.onProgress?.(offset + Math.floor((done / total) * share), 1000),
    });
  try {
    for await (const batch of read(400, 0)) {
      result.rows += batch.length;
      await places.prefetch(batch);
      for (const r of batch) {
        const p = parse(places, r.values);
        let errors = Array.isArray(p) ? p : [];
        if (!Array.isArray(p)) {
          const first = seen.get(p.place.key);
          if (first === undefined) seen.set(p.place.key, r.row);
          else errors = [{ column: headerOf('room'), message: `与第 ${first} 行是同一房屋` }];
        }
        if (!errors.length) {
          const place = (p as Parsed).place;
          countPlacement(result, place);
          if (place.buildingId) usedBuildings.add(place.buildingId);
          continue;
        }
        rejected.add(r.row);
        rejects.add(r.row, r.values, errors);
      }
    }
    seen.clear();
    if (!result.rejected || opts.acceptPartial) {
      const wanted = [...places.newBuildings.values()].filter((b) => usedBuildings.has(b.id));
      const made = wanted.length ? await ctx.db.transaction((tx) => makeBuildings(tx, wanted)) : new Map();
      result.buildingsCreated = made.size;
      for await (const batch of read(600, 400)) {
        const good = batch.filter((r) => !rejected.has(r.row)).map((r) => parse(places, r.values) as Parsed);
        if (!good.length) continue;
        for (const g of good) {
          const path = g.place.buildingId ? made.get(g.place.buildingId) : undefined;
          if (path) g.place.orgPath = path;
        }
        await ctx.db.transaction(async (tx) => {
          const rooms = good.filter((g) => g.place.buildingId);
          const standalone = good.filter((g) => !g.place.buildingId);
          const found = await tx
            .select()
            .from(house)
            .where(
              and(
                isNull(house.deletedAt),
                or(
                  rooms.length
                    ? inArray(house.buildingId, [...new Set(rooms.map((g) => g.place.buildingId!))])
                    : undefined,
                  standalone.length
                    ? and(
                        isNull(house.buildingId),
                        inArray(house.gridId, [...new Set(standalone.map((g) => g.place.gridId))]),
                      )
                    : undefined,
                ),
              ),
            );
          const byKey = new Map(found.map((h) => [houseKey(h), h]));
          const inserts: (typeof house.$inferInsert)[] = [];
          for (const g of good) {
            const old = byKey.get(g.place.key);
            const values = { use: g.use, area: g.area, ownerName: g.ownerName, floor: g.floor };
            if (!old) {
              inserts.push({
                id: newId(),
                gridId: g.place.gridId,
                buildingId: g.place.buildingId,
                unit: g.place.unit,
                room: g.place.room,
                address: g.place.address!,
                needsGrid: g.place.needsGrid,
                orgPath: g.place.orgPath,
                districtCode: g.place.districtCode,
                ...values,
              });
              continue;
            }
            // Empty cells leave what is registered; only filled-in ones change a house.
            const changes: Partial<typeof house.$inferInsert> = {};
            if (old.use !== g.use) changes.use = g.use;
            if (g.area !== null && old.area !== g.area) changes.area = g.area;
            if (g.ownerName !== null && old.ownerName !== g.ownerName) changes.ownerName = g.ownerName;
            if (g.floor !== null && old.floor !== g.floor) changes.floor = g.floor;
            if (Object.keys(changes).length) {
              await tx.update(house).set(changes).where(eq(house.id, old.id));
              result.updated++;
            } else result.unchanged++;
          }
          for (let i = 0; i < inserts.length; i += 500)
            await tx.insert(house).values(inserts.slice(i, i + 500));
          result.imported += inserts.length;
        });
      }
      result.written = true;
      const scope = caller.user ? (grantsFor(caller.user, 'resident.import')[0]?.orgPath ?? null) : null;
      await audit(ctx.db, caller, {
        action: 'house.imported',
        targetType: 'house',
        orgPath: opts.withinPath ?? scope,
        summary: `导入房屋：新增 ${result.imported}，更新 ${result.updated}，未变 ${result.unchanged}，拒绝 ${result.rejected}`,
        details: { ...result, errors: undefined },
      });
    }
  } catch (err) {
    if (err instanceof HeaderError) return { ...result, written: false, errors: err.errors, rejected: 0 };
    throw err;
  }
  if (rejects.rows.length && opts.rejectedPath) {
    await rejects.write(opts.rejectedPath, houseColumns);
    result.rejectedFile = true;
  }
  return result;
}
