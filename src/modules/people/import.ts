import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, grantsFor, pathWithin } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import {
  type Cell,
  HeaderError,
  type RowError,
  readSheetBatches,
  type SheetRow,
  writeSheet,
} from '../../platform/tabular/xlsx.js';
import { building, orgUnit } from '../org/schema.js';
import type {
  DocumentType,
  Education,
  Gender,
  PoliticalStatus,
  ResidenceStatus,
  ResidentTag,
} from './codes.js';
import { cellText, headerOf, lookups, type ResidentColumn, residentColumns, splitTags } from './columns.js';
import { nameInitials } from './describe.js';
import { protectedColumns } from './residents.js';
import { house, resident } from './schema.js';
import { parseLooseDate, shanghaiToday } from './validators.js';

/**
 * Residents from an xlsx workbook, streamed in batches: each row checked as the API checks it,
 * placed in its grid / building room / standalone house (houses are created when missing), matched
 * to the register by the ID number's blind index (the same person is updated, never duplicated),
 * and written with multi-row inserts. All in one transaction: unless `acceptPartial`, any bad row
 * leaves nothing written. Re-importing the same file changes nothing (unchanged rows are not touched).
 */
export interface ResidentImportOptions {
  acceptPartial?: boolean;
  /** Only places under this org path (the CLI's --org). */
  withinPath?: string | null;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /** Where to write the rejected rows with a reason column (xlsx), when there are any. */
  rejectedPath?: string;
}

export interface ResidentImportResult {
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** false when errors stopped the whole import (nothing was written). */
  written: boolean;
  errors: RowError[];
  /** More errors than the report lists (all rejected rows are in the rejected-rows file). */
  errorsTruncated: boolean;
  rejectedFile: boolean;
}

const maxErrors = 1000;
const maxRejectedRows = 20_000;

type Row = SheetRow<ResidentColumn>;
type ResidentInsert = typeof resident.$inferInsert;
type ResidentRow = typeof resident.$inferSelect;

interface Place {
  gridId: string;
  houseId: string | null;
  orgPath: string;
  districtCode: string | null;
}

class RowProblem extends Error {
  constructor(
    readonly column: ResidentColumn | '',
    message: string,
  ) {
    super(message);
  }
}
const problem = (column: ResidentColumn | '', message: string): never => {
  throw new RowProblem(column, message);
};

/** Reads one row into the columns of a resident (no place yet), or throws the first problem as RowError list. */
function parseRow(
  ctx: AppContext,
  v: Row['values'],
  today: string,
): { cols: Omit<ResidentInsert, 'gridId' | 'orgPath'>; given: Set<string> } | RowError[] {
  const errors: { column: string; message: string }[] = [];
  const given = new Set<string>();
  const code = <T>(key: ResidentColumn, find: (s: string) => T | undefined, what: string): T | undefined => {
    const s = cellText(v[key]);
    if (s === undefined) return undefined;
    const found = find(s);
    if (found === undefined) errors.push({ column: headerOf(key), message: `未知的${what}「${s}」` });
    else given.add(key);
    return found;
  };
  const name = cellText(v.name);
  if (!name) errors.push({ column: headerOf('name'), message: '请填写姓名' });
  else if (name.length > 40) errors.push({ column: headerOf('name'), message: '姓名不能超过 40 个字' });
  const documentType = code('documentType', lookups.documentType, '证件类型') ?? 'idCard';
  const gender = code('gender', lookups.gender, '性别');
  const ethnicity = code('ethnicity', lookups.ethnicity, '民族');
  const residenceStatus = code('residenceStatus', lookups.residenceStatus, '居住状态');
  const politicalStatus = code('politicalStatus', lookups.politicalStatus, '政治面貌');
  const education = code('education', lookups.education, '文化程度');
  let birthDate: string | undefined;
  if (cellText(v.birthDate) !== undefined) {
    birthDate = parseLooseDate(v.birthDate) ?? undefined;
    if (!birthDate)
      errors.push({
        column: headerOf('birthDate'),
        message: '出生日期无法识别，应如 1956-03-04 或 1956年3月4日',
      });
  }
  const tagsText = cellText(v.tags);
  let tags: ResidentTag[] | undefined;
  if (tagsText) {
    tags = [];
    for (const t of splitTags(tagsText)) {
      const key = lookups.tag(t);
      if (key) tags.includes(key) || tags.push(key);
      else errors.push({ column: headerOf('tags'), message: `未知的人群标签「${t}」` });
    }
  }
  const idText = cellText(v.idNumber);
  if (!idText) errors.push({ column: headerOf('idNumber'), message: '请填写证件号码' });
  const phone = cellText(v.phone);
  const p =
    idText && !errors.some((e) => e.column === headerOf('birthDate'))
      ? protectedColumns(
          ctx.pii,
          {
            name: name ?? '',
            documentType: documentType as DocumentType,
            idNumber: idText,
            birthDate: birthDate ?? null,
            gender: (gender as Gender) ?? null,
            phone: phone ?? null,
            ethnicity: '',
            residenceStatus: 'registered',
          },
          today,
        )
      : null;
  for (const e of p?.errors ?? []) errors.push({ column: headerOf(e.path), message: e.message });
  if (errors.length || !p?.columns)
    return errors.map((e) => ({ row: 0, column: e.column, message: e.message }));
  const text = (key: 'employment' | 'employer' | 'healthNotes', max: number) => {
    const s = cellText(v[key]);
    if (s !== undefined) given.add(key);
    return s?.slice(0, max);
  };
  if (phone) given.add('phone');
  if (tags) given.add('tags');
  return {
    given,
    cols: {
      name: name!,
      nameInitials: nameInitials(name!),
      ...p.columns,
      ethnicity: ethnicity ?? '01',
      residenceStatus: (residenceStatus as ResidenceStatus) ?? 'permanent',
      politicalStatus: (politicalStatus as PoliticalStatus) ?? 'masses',
      education: (education as Education) ?? null,
      employment: text('employment', 40) ?? null,
      employer: text('employer', 80) ?? null,
      healthNotes: text('healthNotes', 500) ?? null,
      tags: tags ?? [],
    },
  };
}

interface UnitInfo {
  id: string;
  path: string;
  parentId: string | null;
  districtCode: string | null;
  address: string | null;
  name: string;
}

/** Grids, buildings and houses by the keys a workbook names them, loaded once per import. */
class Places {
  private grids = new Map<string, UnitInfo | null>();
  private buildings = new Map<string, UnitInfo | null>();
  /** House id by `b:<buildingId>|<unit>|<room>` or `g:<gridId>|<address>`; a building's or grid's houses load together. */
  private houses = new Map<string, string>();
  private loaded = new Set<string>();
  /** Houses to create with the current batch. */
  pending: (typeof house.$inferInsert)[] = [];

  constructor(
    private ex: Executor,
    private caller: Caller,
    private withinPath: string | null,
  ) {}

  private async unit(cache: Map<string, UnitInfo | null>, code: string, kind: 'grid' | 'building') {
    if (!cache.has(code)) {
      const [u] = await this.ex
        .select({
          id: orgUnit.id,
          path: orgUnit.path,
          parentId: orgUnit.parentId,
          districtCode: orgUnit.districtCode,
          name: orgUnit.name,
          address: building.address,
        })
        .from(orgUnit)
        .leftJoin(building, eq(building.orgUnitId, orgUnit.id))
        .where(and(eq(orgUnit.code, code), eq(orgUnit.kind, kind), isNull(orgUnit.deletedAt)));
      cache.set(code, u ?? null);
    }
    return cache.get(code) ?? null;
  }

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

  private async load(keys: string | string[], where: SQL) {
    const all = Array.isArray(keys) ? keys : [keys];
    if (all.every((k) => this.loaded.has(k))) return;
    for (const k of all) this.loaded.add(k);
    const rows = await this.ex
      .select({
        id: house.id,
        gridId: house.gridId,
        buildingId: house.buildingId,
        unit: house.unit,
        room: house.room,
        address: house.address,
      })
      .from(house)
      .where(and(where, isNull(house.deletedAt)));
    for (const h of rows) {
      if (h.buildingId) this.houses.set(`b:${h.buildingId}|${h.unit ?? ''}|${h.room}`, h.id);
      else this.houses.set(`g:${h.gridId}|${h.address}`, h.id);
    }
  }

  /** Loads the grids, buildings and houses a batch names in three queries, not one per place. */
  async prefetch(batch: Row[]) {
    const codes = new Set<string>();
    for (const r of batch) {
      const g = cellText(r.values.gridCode);
      const b = cellText(r.values.buildingCode);
      if (g && !this.grids.has(g)) codes.add(g);
      if (b && !this.buildings.has(b)) codes.add(b);
    }
    if (codes.size) {
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
    }
    const buildingIds = new Set<string>();
    const gridIds = new Set<string>();
    for (const r of batch) {
      const b = cellText(r.values.buildingCode);
      const g = cellText(r.values.gridCode);
      const bu = b ? this.buildings.get(b) : null;
      if (bu && !this.loaded.has(`b:${bu.id}`)) buildingIds.add(bu.id);
      const gu = !b && g && cellText(r.values.address) ? this.grids.get(g) : null;
      if (gu && !this.loaded.has(`g:${gu.id}`)) gridIds.add(gu.id);
    }
    if (buildingIds.size)
      await this.load(
        [...buildingIds].map((id) => `b:${id}`),
        inArray(house.buildingId, [...buildingIds]),
      );
    if (gridIds.size)
      await this.load(
        [...gridIds].map((id) => `g:${id}`),
        and(inArray(house.gridId, [...gridIds]), isNull(house.buildingId))!,
      );
  }

  async resolve(v: Row['values']): Promise<Place> {
    const gridCode = cellText(v.gridCode);
    const buildingCode = cellText(v.buildingCode);
    const grid = gridCode ? await this.unit(this.grids, gridCode, 'grid') : null;
    if (gridCode && !grid) problem('gridCode', `网格编码 ${gridCode} 不存在`);
    if (buildingCode) {
      const b = await this.unit(this.buildings, buildingCode, 'building');
      if (!b) return problem('buildingCode', `楼栋编码 ${buildingCode} 不存在`);
      if (grid && b.parentId !== grid.id) problem('buildingCode', '楼栋不在所填网格内');
      this.allowed(b.path, 'buildingCode');
      const room = cellText(v.room) ?? problem('room', '填写楼栋编码时须填写房号');
      const unitText = cellText(v.unit)?.replace(/单元$/, '');
      const unit = unitText === undefined ? null : Number(unitText);
      if (unit !== null && !(Number.isInteger(unit) && unit >= 1 && unit <= 99))
        problem('unit', '单元应为 1 至 99 的整数');
      await this.load(`b:${b.id}`, eq(house.buildingId, b.id));
      const key = `b:${b.id}|${unit ?? ''}|${room}`;
      let id = this.houses.get(key);
      if (!id) {
        id = newId();
        this.houses.set(key, id);
        const floor = /^\d{3,4}$/.test(room) ? Math.floor(Number(room) / 100) : null;
        this.pending.push({
          id,
          gridId: b.parentId!,
          buildingId: b.id,
          unit,
          floor,
          room,
          address: `${b.address ?? b.name}${unit ? `${unit}单元` : ''}${room}室`,
          use: 'selfOccupied',
          orgPath: b.path,
          districtCode: b.districtCode,
        });
      }
      return { gridId: b.parentId!, houseId: id, orgPath: b.path, districtCode: b.districtCode };
    }
    if (!grid) return problem('gridCode', '请填写网格编码（或楼栋编码和房号）');
    this.allowed(grid.path, 'gridCode');
    const address = cellText(v.address);
    if (!address)
      return { gridId: grid.id, houseId: null, orgPath: grid.path, districtCode: grid.districtCode };
    await this.load(`g:${grid.id}`, and(eq(house.gridId, grid.id), isNull(house.buildingId))!);
    const key = `g:${grid.id}|${address}`;
    let id = this.houses.get(key);
    if (!id) {
      id = newId();
      this.houses.set(key, id);
      this.pending.push({
        id,
        gridId: grid.id,
        address: address.slice(0, 200),
        use: 'selfOccupied',
        orgPath: grid.path,
        districtCode: grid.districtCode,
      });
    }
    return { gridId: grid.id, houseId: id, orgPath: grid.path, districtCode: grid.districtCode };
  }
}

/** The columns an import may change on an existing resident, compared before writing. */
const compared = [
  'name',
  'documentType',
  'gender',
  'birthDate',
  'ethnicity',
  'residenceStatus',
  'politicalStatus',
  'education',
  'employment',
  'employer',
  'healthNotes',
  'gridId',
  'houseId',
] as const;

/** What an import row changes on the existing record: only cells that were filled in, and the place. */
function changesFor(existing: ResidentRow, row: ResidentInsert, given: Set<string>) {
  const changes: Partial<ResidentInsert> = {};
  for (const key of compared) {
    const optional = [
      'ethnicity',
      'residenceStatus',
      'politicalStatus',
      'education',
      'employment',
      'employer',
      'healthNotes',
    ];
    if (optional.includes(key) && !given.has(key)) continue;
    if ((row[key] ?? null) !== (existing[key] ?? null)) (changes as Record<string, unknown>)[key] = row[key];
  }
  if (changes.name) changes.nameInitials = row.nameInitials;
  if (changes.gridId || changes.houseId !== undefined)
    Object.assign(changes, { orgPath: row.orgPath, districtCode: row.districtCode });
  if (given.has('phone') && row.phoneIndex !== existing.phoneIndex)
    Object.assign(changes, { phoneCipher: row.phoneCipher, phoneIndex: row.phoneIndex });
  if (given.has('tags')) {
    const a = [...(row.tags ?? [])].sort().join(',');
    const b = [...existing.tags].sort().join(',');
    if (a !== b) changes.tags = row.tags;
  }
  return changes;
}

class RollBack extends Error {}

/** One batch of work found by the checking pass, written by the writing pass. */
interface Planned {
  houses: (typeof house.$inferInsert)[];
  inserts: ResidentInsert[];
  updates: { id: string; changes: Partial<ResidentInsert> }[];
}

/**
 * Two passes over one read of the workbook. The checking pass reads, checks and places every row
 * (reading the database only) and spills the planned writes to a temporary file; only when it
 * found no problem (or `acceptPartial`) does the writing pass apply them, one short transaction
 * per batch. So nothing is written for a bad file, the database stays free for other requests
 * while a large file is checked (PGlite runs one transaction at a time), and memory does not grow
 * with the file. A crash mid-way is repaired by importing again: every write is an upsert by ID.
 */
export async function importResidents(
  ctx: AppContext,
  caller: Caller,
  path: string,
  opts: ResidentImportOptions = {},
): Promise<ResidentImportResult> {
  const result: ResidentImportResult = {
    rows: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    written: false,
    errors: [],
    errorsTruncated: false,
    rejectedFile: false,
  };
  const rejectedRows: { values: Row['values']; reason: string }[] = [];
  const reject = (r: Row, errors: RowError[]) => {
    result.rejected++;
    for (const e of errors) {
      if (result.errors.length < maxErrors) result.errors.push({ ...e, row: r.row });
      else result.errorsTruncated = true;
    }
    if (rejectedRows.length < maxRejectedRows)
      rejectedRows.push({
        values: r.values,
        reason: errors.map((e) => `${e.column}：${e.message}`).join('；'),
      });
  };
  const today = shanghaiToday();
  // First row of each ID number in the file (a short prefix of the blind index is plenty to tell them apart).
  const seen = new Map<string, number>();
  const dir = await mkdtemp(join(tmpdir(), 'resident-import-'));
  const spillPath = join(dir, 'planned.ndjson');
  const spill = createWriteStream(spillPath);
  let batches = 0;
  // Progress: the checking pass is most of the work (reading the workbook); writing is the rest.
  const checkShare = 700;
  try {
    try {
      const places = new Places(ctx.db, caller, opts.withinPath ?? null);
      const sheet = readSheetBatches(path, residentColumns, {
        batchSize: opts.batchSize ?? 1000,
        onBytes: (read, total) => opts.onProgress?.(Math.floor((read / total) * checkShare), 1000),
      });
      for await (const batch of sheet) {
        result.rows += batch.length;
        await places.prefetch(batch);
        const good: { r: Row; cols: ResidentInsert; given: Set<string> }[] = [];
        for (const r of batch) {
          const parsed = parseRow(ctx, r.values, today);
          if (Array.isArray(parsed)) {
            reject(r, parsed);
            continue;
          }
          try {
            const place = await places.resolve(r.values);
            good.push({ r, cols: { ...parsed.cols, ...place }, given: parsed.given });
          } catch (err) {
            if (!(err instanceof RowProblem)) throw err;
            reject(r, [{ row: r.row, column: err.column ? headerOf(err.column) : '', message: err.message }]);
          }
        }
        const existing = good.length
          ? await ctx.db
              .select()
              .from(resident)
              .where(
                and(
                  inArray(
                    resident.idNumberIndex,
                    good.map((g) => g.cols.idNumberIndex),
                  ),
                  isNull(resident.deletedAt),
                ),
              )
          : [];
        const byIndex = new Map(existing.map((e) => [e.idNumberIndex, e]));
        const plan: Planned = { houses: places.pending, inserts: [], updates: [] };
        places.pending = [];
        for (const g of good) {
          const key = g.cols.idNumberIndex.slice(0, 16);
          const first = seen.get(key);
          if (first !== undefined) {
            reject(g.r, [
              { row: g.r.row, column: headerOf('idNumber'), message: `与第 ${first} 行的证件号码重复` },
            ]);
            continue;
          }
          seen.set(key, g.r.row);
          const old = byIndex.get(g.cols.idNumberIndex);
          if (!old) {
            plan.inserts.push({ id: newId(), ...g.cols });
            continue;
          }
          const visible =
            pathWithin(old.orgPath, opts.withinPath ?? null) &&
            (!caller.user ||
              grantsFor(caller.user, 'resident.import').some((a) => pathWithin(old.orgPath, a.orgPath)));
          if (!visible) {
            reject(g.r, [
              { row: g.r.row, column: headerOf('idNumber'), message: '该证件号码已在其他辖区登记' },
            ]);
            continue;
          }
          const changes = changesFor(old, g.cols, g.given);
          if (Object.keys(changes).length) plan.updates.push({ id: old.id, changes });
          else result.unchanged++;
        }
        // After the first bad row an all-or-nothing import only checks the rest.
        if (result.rejected && !opts.acceptPartial) continue;
        if (!spill.write(`${JSON.stringify(plan)}\n`)) await once(spill, 'drain');
        batches++;
      }
    } finally {
      await new Promise<void>((resolve, reject) =>
        spill.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
    }
    if (result.rejected && !opts.acceptPartial) throw new RollBack();

    let done = 0;
    const lines = createInterface({
      input: createReadStream(spillPath),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      if (!line) continue;
      const plan = JSON.parse(line) as Planned;
      await ctx.db.transaction(async (tx) => {
        for (let i = 0; i < plan.houses.length; i += 500)
          await tx.insert(house).values(plan.houses.slice(i, i + 500));
        for (let i = 0; i < plan.inserts.length; i += 500)
          await tx.insert(resident).values(plan.inserts.slice(i, i + 500));
        for (const u of plan.updates) await tx.update(resident).set(u.changes).where(eq(resident.id, u.id));
      });
      result.imported += plan.inserts.length;
      result.updated += plan.updates.length;
      done++;
      await opts.onProgress?.(
        checkShare + Math.floor((done / Math.max(batches, 1)) * (1000 - checkShare)),
        1000,
      );
    }
    result.written = true;
    const scope = caller.user ? (grantsFor(caller.user, 'resident.import')[0]?.orgPath ?? null) : null;
    await audit(ctx.db, caller, {
      action: 'resident.imported',
      targetType: 'resident',
      orgPath: opts.withinPath ?? scope,
      summary: `导入居民：新增 ${result.imported}，更新 ${result.updated}，未变 ${result.unchanged}，拒绝 ${result.rejected}`,
      details: {
        rows: result.rows,
        imported: result.imported,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected,
      },
    });
  } catch (err) {
    if (err instanceof HeaderError) return { ...result, written: false, errors: err.errors, rejected: 0 };
    if (!(err instanceof RollBack)) throw err;
    Object.assign(result, { imported: 0, updated: 0, unchanged: 0, written: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (rejectedRows.length && opts.rejectedPath) {
    await writeSheet<{ values: Row['values']; reason: string }>(
      opts.rejectedPath,
      '未导入的行',
      [
        ...residentColumns.map((c) => ({
          header: c.header,
          value: (r: { values: Row['values'] }) => r.values[c.key] as Cell,
        })),
        { header: '错误原因', width: 40, value: (r) => r.reason },
      ],
      rejectedRows,
    );
    result.rejectedFile = true;
  }
  return result;
}
