import { readFile, writeFile } from 'node:fs/promises';
import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Db } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import {
  type Cell,
  type ColumnSpec,
  type RowError,
  readSheetBatches,
  writeSheet,
} from '../../platform/tabular/xlsx.js';
import { createBuilding, listBuildings } from './buildings.js';
import { polygonProblem } from './geometry.js';
import {
  coverageKinds,
  createGrid,
  type GridType,
  gridTypes,
  listGrids,
  mapFeatures,
  updateGrid,
} from './grids.js';
import { gridIndexFor } from './locate.js';
import { building, type GeoPolygon, orgUnit } from './schema.js';

/**
 * Grids and buildings in and out as xlsx and GeoJSON. An import checks every row and, unless the
 * user asked to keep the good rows, writes nothing when any row is wrong; either way it reports
 * each problem by row and column. Rows with a code that exists update that grid or building, so
 * importing the same file twice changes nothing the second time.
 */
export type Exchanged = 'grids' | 'buildings';
export type ExchangeFormat = 'xlsx' | 'geojson';

const gridTypeNames: Record<string, GridType> = {
  基础网格: 'basic',
  专属网格: 'exclusive',
  微网格: 'micro',
  总网格: 'total',
};
const gridTypeLabel: Record<GridType, string> = {
  basic: '基础网格',
  exclusive: '专属网格',
  micro: '微网格',
  total: '总网格',
};

const gridColumns = [
  { key: 'code', header: '网格编码' },
  { key: 'parentCode', header: '所属社区代码', aliases: ['社区代码', '上级编码'] },
  { key: 'name', header: '网格名称', required: true },
  { key: 'type', header: '网格类型' },
  { key: 'targetHouseholds', header: '目标户数' },
  { key: 'coverage', header: '覆盖对象' },
  { key: 'boundary', header: '边界（GeoJSON）', aliases: ['边界'] },
] as const satisfies readonly ColumnSpec[];

const buildingColumns = [
  { key: 'code', header: '楼栋编码' },
  { key: 'gridCode', header: '所属网格编码', aliases: ['网格编码'] },
  { key: 'name', header: '楼栋名称', required: true },
  { key: 'address', header: '地址' },
  { key: 'lng', header: '经度', required: true },
  { key: 'lat', header: '纬度', required: true },
  { key: 'units', header: '单元数' },
  { key: 'floors', header: '层数' },
  { key: 'householdsPerUnit', header: '每单元户数' },
] as const satisfies readonly ColumnSpec[];

type Row = { row: number; values: Record<string, Cell | GeoPolygon> };

const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v).trim() || undefined);
const int = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : Number(v));

/** The rows of a GeoJSON FeatureCollection: each feature's properties plus its geometry. */
function geoJsonRows(doc: any, what: Exchanged): Row[] {
  const features = doc?.type === 'FeatureCollection' ? doc.features : doc?.type === 'Feature' ? [doc] : null;
  if (!Array.isArray(features))
    throw new AppError('VALIDATION', 400, 'error.VALIDATION', undefined, [
      { path: 'file', message: '不是 GeoJSON FeatureCollection' },
    ]);
  return features.map((f: any, i: number) => {
    const p = f?.properties ?? {};
    const g = f?.geometry;
    const values: Row['values'] =
      what === 'grids'
        ? {
            code: p.code ?? p['网格编码'] ?? null,
            parentCode: p.communityCode ?? p['所属社区代码'] ?? null,
            name: p.name ?? p['网格名称'] ?? null,
            type: p.type ?? p['网格类型'] ?? null,
            targetHouseholds: p.targetHouseholds ?? p['目标户数'] ?? null,
            coverage: p.coverage ?? null,
            boundary: g ?? null,
          }
        : {
            code: p.code ?? p['楼栋编码'] ?? null,
            gridCode: p.gridCode ?? p['所属网格编码'] ?? null,
            name: p.name ?? p['楼栋名称'] ?? null,
            address: p.address ?? p['地址'] ?? null,
            lng: g?.type === 'Point' ? g.coordinates?.[0] : null,
            lat: g?.type === 'Point' ? g.coordinates?.[1] : null,
            units: p.units ?? null,
            floors: p.floors ?? null,
            householdsPerUnit: p.householdsPerUnit ?? null,
          };
    return { row: i + 1, values };
  });
}

/** Rows in one grid or building import: it runs in one transaction, which must stay short. */
export const maxExchangeRows = 50_000;

/**
 * The rows of an import file in batches: a workbook is streamed (and refused at its limits, see
 * platform/tabular/limits.ts, and past maxExchangeRows); a GeoJSON file is within the upload limit
 * and parsed whole.
 */
export async function* readExchangeRows(
  path: string,
  what: Exchanged,
  format: ExchangeFormat,
): AsyncGenerator<Row[]> {
  if (format === 'geojson') {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      throw new AppError('VALIDATION', 400, 'error.VALIDATION', undefined, [
        { path: 'file', message: 'GeoJSON 无法解析' },
      ]);
    }
    yield geoJsonRows(doc, what);
    return;
  }
  yield* readSheetBatches(path, what === 'grids' ? gridColumns : buildingColumns, {
    batchSize: 200,
    maxRows: maxExchangeRows,
  });
}

const headerOf = (what: Exchanged, key: string) =>
  (what === 'grids' ? gridColumns : buildingColumns).find((c) => c.key === key)?.header ?? key;

/** AppError fields → row errors, named by the column the user sees. */
function rowErrors(what: Exchanged, row: number, err: unknown): RowError[] {
  if (err instanceof AppError && err.fields?.length)
    return err.fields.map((f) => ({
      row,
      column: headerOf(what, columnFor[f.path] ?? f.path),
      message: f.message,
    }));
  if (err instanceof AppError) return [{ row, column: '', message: err.message }];
  throw err;
}
const columnFor: Record<string, string> = { parentId: 'parentCode', gridId: 'gridCode' };

function fail(path: string, message: string): never {
  throw new AppError('VALIDATION', 400, 'error.VALIDATION', undefined, [{ path, message }]);
}

async function unitByCode(ex: Db, code: string, kind: string) {
  const [u] = await ex
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.code, code), eq(orgUnit.kind, kind), isNull(orgUnit.deletedAt)));
  return u;
}

async function importGridRow(ctx: AppContext, caller: Caller, v: Row['values']) {
  const name = text(v.name) ?? fail('name', '请填写网格名称');
  const typeText = text(v.type);
  const type: GridType = !typeText
    ? 'basic'
    : (gridTypeNames[typeText] ??
      ((gridTypes as readonly string[]).includes(typeText)
        ? (typeText as GridType)
        : fail('type', `网格类型「${typeText}」无效，应为基础网格、专属网格、微网格或总网格`)));
  let boundary: GeoPolygon | undefined;
  if (v.boundary) {
    const raw = typeof v.boundary === 'string' ? safeJson(v.boundary) : v.boundary;
    const problem = raw?.type === 'Polygon' ? polygonProblem(raw as GeoPolygon) : '边界应为 GeoJSON Polygon';
    if (problem) fail('boundary', problem);
    boundary = raw as GeoPolygon;
  }
  const targetHouseholds = int(v.targetHouseholds);
  if (targetHouseholds !== undefined && !(Number.isInteger(targetHouseholds) && targetHouseholds >= 0))
    fail('targetHouseholds', '目标户数应为非负整数');
  const coverage = text(v.coverage) as (typeof coverageKinds)[number] | undefined;
  if (coverage && !coverageKinds.includes(coverage)) fail('coverage', `覆盖对象「${coverage}」无效`);
  const code = text(v.code);
  if (code) {
    const existing = await unitByCode(ctx.db, code, 'grid');
    if (!existing) fail('code', `网格编码 ${code} 不存在（新网格请留空，由系统编码）`);
    await updateGrid(ctx, caller, existing.id, {
      name,
      targetHouseholds,
      ...(boundary ? { boundary } : {}),
      ...(coverage ? { coverage } : {}),
    });
    return 'updated' as const;
  }
  const parentCode = text(v.parentCode) ?? fail('parentId', '请填写所属社区代码');
  const parent =
    (await unitByCode(ctx.db, parentCode, 'community')) ?? (await unitByCode(ctx.db, parentCode, 'grid'));
  if (!parent) fail('parentId', `社区代码 ${parentCode} 不存在`);
  await createGrid(ctx, caller, {
    parentId: parent.id,
    name,
    type,
    boundary: boundary ?? null,
    targetHouseholds: targetHouseholds ?? null,
    coverage: coverage ?? null,
  });
  return 'created' as const;
}

async function importBuildingRow(ctx: AppContext, caller: Caller, v: Row['values']) {
  const name = text(v.name) ?? fail('name', '请填写楼栋名称');
  const lng = Number(v.lng);
  const lat = Number(v.lat);
  if (!(v.lng !== null && lng >= 73 && lng <= 136)) fail('lng', '经度应在 73 至 136 之间（WGS-84）');
  if (!(v.lat !== null && lat >= 3 && lat <= 54)) fail('lat', '纬度应在 3 至 54 之间（WGS-84）');
  const counts: Record<string, number | undefined> = {};
  for (const key of ['units', 'floors', 'householdsPerUnit']) {
    const n = int(v[key]);
    if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 200))
      fail(key, `${headerOf('buildings', key)}应为 1 至 200 的整数`);
    counts[key] = n;
  }
  const code = text(v.code);
  if (code) {
    const existing = await unitByCode(ctx.db, code, 'building');
    if (!existing) fail('code', `楼栋编码 ${code} 不存在（新楼栋请留空，由系统编码）`);
    await ctx.db
      .update(building)
      .set({
        lng,
        lat,
        address: text(v.address) ?? null,
        ...Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== undefined)),
      })
      .where(eq(building.orgUnitId, existing.id));
    await ctx.db.update(orgUnit).set({ name }).where(eq(orgUnit.id, existing.id));
    return 'updated' as const;
  }
  const gridCode = text(v.gridCode) ?? fail('gridId', '请填写所属网格编码');
  const gridUnit = await unitByCode(ctx.db, gridCode, 'grid');
  if (!gridUnit) fail('gridId', `网格编码 ${gridCode} 不存在`);
  await createBuilding(ctx, caller, {
    gridId: gridUnit.id,
    name,
    lng,
    lat,
    address: text(v.address) ?? null,
    ...counts,
  });
  return 'created' as const;
}

function safeJson(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

export interface ImportResult {
  rows: number;
  created: number;
  updated: number;
  rejected: number;
  /** false when errors stopped the whole import (nothing was written). */
  written: boolean;
  errors: RowError[];
}

class RollBack extends Error {}

/**
 * Imports rows in one transaction, each row in a savepoint of its own: a bad row leaves nothing,
 * and unless `partial`, any bad row rolls the whole import back.
 */
export async function importRows(
  ctx: AppContext,
  caller: Caller,
  what: Exchanged,
  batches: AsyncIterable<Row[]> | Iterable<Row[]>,
  opts: { partial: boolean },
): Promise<ImportResult> {
  const result: ImportResult = { rows: 0, created: 0, updated: 0, rejected: 0, written: true, errors: [] };
  const importRow = what === 'grids' ? importGridRow : importBuildingRow;
  try {
    await ctx.db.transaction(async (tx) => {
      const inTx: AppContext = { ...ctx, db: tx as unknown as Db };
      for await (const rows of batches)
        for (const r of rows) {
          result.rows++;
          try {
            const outcome = await tx.transaction((sp) =>
              importRow({ ...inTx, db: sp as unknown as Db }, caller, r.values),
            );
            result[outcome]++;
          } catch (err) {
            result.rejected++;
            // The first thousand problems say what is wrong; `rejected` counts them all.
            if (result.errors.length < 1000) result.errors.push(...rowErrors(what, r.row, err));
          }
        }
      if (result.errors.length && !opts.partial) throw new RollBack();
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
    Object.assign(result, { created: 0, updated: 0, written: false });
  }
  gridIndexFor(ctx.db).invalidate();
  return result;
}

export interface ExportQuery {
  what: Exchanged;
  format: ExchangeFormat;
  orgUnitId?: string;
}

/** Writes the caller's grids or buildings (under a unit) to `path`; returns the row count. */
export async function exportRows(
  ctx: AppContext,
  caller: Caller,
  q: ExportQuery,
  path: string,
): Promise<number> {
  async function* pages<T>(list: (page: number) => Promise<{ items: T[] }>) {
    for (let page = 1; ; page++) {
      const { items } = await list(page);
      yield* items;
      if (items.length < 500) return;
    }
  }
  const grids = () =>
    pages((page) =>
      listGrids(ctx.db, caller, { orgUnitId: q.orgUnitId, page, pageSize: 500, withBoundary: true }),
    );
  const buildings = () =>
    pages((page) => listBuildings(ctx.db, caller, { orgUnitId: q.orgUnitId, page, pageSize: 500 }));
  if (q.format === 'geojson') {
    // Properties named as the import reads them, so an export can be edited and imported again.
    const features: object[] = [];
    if (q.what === 'grids')
      for await (const g of grids() as AsyncIterable<any>)
        features.push({
          type: 'Feature',
          geometry: g.boundary,
          properties: {
            code: g.code,
            communityCode: g.communityCode,
            name: g.name,
            type: gridTypeLabel[g.type as GridType],
            targetHouseholds: g.targetHouseholds,
            coverage: g.coverage,
          },
        });
    else
      for await (const b of buildings() as AsyncIterable<any>)
        features.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [b.lng, b.lat] },
          properties: {
            code: b.code,
            name: b.name,
            address: b.address,
            units: b.units,
            floors: b.floors,
            householdsPerUnit: b.householdsPerUnit,
          },
        });
    await writeFile(path, JSON.stringify({ type: 'FeatureCollection', features }));
    return features.length;
  }
  if (q.what === 'grids') {
    return writeSheet(
      path,
      '网格',
      [
        { header: '网格编码', width: 18, value: (g: any) => g.code },
        { header: '所属社区代码', width: 16, value: (g: any) => g.communityCode },
        { header: '所属社区', width: 16, value: (g: any) => g.communityName },
        { header: '网格名称', width: 16, value: (g: any) => g.name },
        { header: '网格类型', value: (g: any) => gridTypeLabel[g.type as GridType] },
        { header: '目标户数', value: (g: any) => g.targetHouseholds },
        { header: '覆盖对象', value: (g: any) => g.coverage },
        { header: '楼栋数', value: (g: any) => g.buildingCount },
      ],
      grids(),
    );
  }
  return writeSheet(
    path,
    '楼栋',
    [
      { header: '楼栋编码', width: 22, value: (b: any) => b.code },
      { header: '所属网格', width: 14, value: (b: any) => b.gridName },
      { header: '楼栋名称', width: 14, value: (b: any) => b.name },
      { header: '地址', width: 28, value: (b: any) => b.address },
      { header: '经度', value: (b: any) => b.lng },
      { header: '纬度', value: (b: any) => b.lat },
      { header: '单元数', value: (b: any) => b.units },
      { header: '层数', value: (b: any) => b.floors },
      { header: '每单元户数', value: (b: any) => b.householdsPerUnit },
    ],
    buildings(),
  );
}
