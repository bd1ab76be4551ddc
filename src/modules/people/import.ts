import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import { audit } from '../../platform/audit/service.js';
import { grantsFor, pathWithin } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Database, type Executor, rowsOf } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import { HeaderError, type RowError, readSheetBatches, type SheetRow } from '../../platform/tabular/xlsx.js';
import { makeBuildings } from '../org/made-buildings.js';
import {
  type DocumentType,
  type Education,
  type Gender,
  headRelation,
  type PoliticalStatus,
  type ResidenceStatus,
  type ResidentTag,
} from './codes.js';
import { cellText, headerOf, lookups, type ResidentColumn, residentColumns, splitTags } from './columns.js';
import { nameInitials } from './describe.js';
import {
  countPlacement,
  noPlacements,
  type Place,
  type PlacementCounts,
  Places,
  problem,
  RowProblem,
} from './import-places.js';
import { houseKey, Rejects, type WorkbookImportResult } from './rejects.js';
import { protectedColumns } from './residents.js';
import { house, householdMember, resident } from './schema.js';
import {
  type ImportedTransfer,
  maxTransfers,
  requestImportedTransfers,
  transferLimitMessage,
  transferSentNote,
} from './transfers.js';
import { parseLooseDate, shanghaiToday } from './validators.js';

/**
 * Residents (and their households) from an xlsx workbook, streamed in batches: each row checked as
 * the API checks it, placed in its grid / building room / standalone house (houses are created when
 * missing), matched to the register by the ID number's blind index (the same person is updated,
 * never duplicated), and — with the 户号 / 与户主关系 columns — grouped into households with their
 * head. Unless `acceptPartial`, any bad row leaves nothing written. Re-importing the same file
 * changes nothing (unchanged rows are not touched).
 */
export interface ResidentImportOptions {
  acceptPartial?: boolean;
  /** Make the buildings that addresses name and their community lacks (in the community's first grid). */
  createBuildings?: boolean;
  /** Only places under this org path (the CLI's --org). */
  withinPath?: string | null;
  batchSize?: number;
  /** Staged rows per writing transaction. */
  writeChunk?: number;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /** Where to write the rejected rows with a reason column (xlsx), when there are any. */
  rejectedPath?: string;
  /** Filled with milliseconds per phase (read, parse, stage, write …; `<phase>Cpu`: CPU time) when given. */
  timings?: Record<string, number>;
}

export interface ResidentImportResult extends WorkbookImportResult, PlacementCounts {
  /** Households created (from the 户号 column, or from the rows that share an address). */
  householdsCreated: number;
  /** Existing households that rows joined (or updated) instead of making a second one. */
  householdsJoined: number;
  /** Households whose head's row was refused: formed without a head, for 户主变更 in the console. */
  householdsWithoutHead: number;
  /** Rows whose ID number is registered outside the importer's reach: a 迁入申请 each, nothing else written. */
  transferRequested: number;
  transfers: { row: number; message: string }[];
}

type Row = SheetRow<ResidentColumn>;
type ResidentInsert = typeof resident.$inferInsert;
type ResidentRow = typeof resident.$inferSelect;

interface Parsed {
  cols: Omit<ResidentInsert, 'gridId' | 'orgPath'>;
  given: Set<string>;
  /** Key null: no 户号, the household is the rows that share the row's house. */
  household: { key: string | null; relation: string; registrationType: string | null } | null;
}

/** Reads one row into the columns of a resident (no place yet), or throws the first problem as RowError list. */
function parseRow(ctx: AppContext, v: Row['values'], today: string): Parsed | RowError[] {
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
  const householdKey = cellText(v.householdKey)?.slice(0, 40);
  const relation = code('relation', lookups.relation, '与户主关系');
  const registrationType = code('registrationType', lookups.registrationType, '户类型');
  if (householdKey && cellText(v.relation) === undefined)
    errors.push({ column: headerOf('relation'), message: '填写户号时须填写与户主关系' });
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
    household: relation
      ? { key: householdKey ?? null, relation, registrationType: registrationType ?? null }
      : null,
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

/** An existing resident found by the blind index, with their house and current household. */
interface Existing {
  r: ResidentRow;
  placeKey: string;
  householdId: string | null;
  relation: string | null;
}

const optional = new Set([
  'ethnicity',
  'residenceStatus',
  'politicalStatus',
  'education',
  'employment',
  'employer',
  'healthNotes',
]);
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
] as const;

/**
 * The record an import row leaves on an existing resident: only cells that were filled in change
 * it, and the place. Returns the merged columns and whether anything differs.
 */
function mergeWith(old: Existing, row: ResidentInsert, given: Set<string>, place: Place) {
  const e = old.r;
  const merged: ResidentInsert = { ...row };
  let changed = old.placeKey !== place.key || e.gridId !== place.gridId;
  for (const key of compared) {
    if (optional.has(key) && !given.has(key)) {
      (merged as Record<string, unknown>)[key] = e[key];
      continue;
    }
    if ((row[key] ?? null) !== (e[key] ?? null)) changed = true;
  }
  if (!given.has('phone') || row.phoneIndex === e.phoneIndex) {
    merged.phoneCipher = e.phoneCipher;
    merged.phoneIndex = e.phoneIndex;
  } else changed = true;
  if (given.has('tags')) {
    if ([...(row.tags ?? [])].sort().join(',') !== [...e.tags].sort().join(',')) changed = true;
  } else merged.tags = e.tags;
  // Same number, same person: keep the stored ciphertext (each encryption makes a new one).
  merged.idNumberCipher = e.idNumberCipher;
  return { merged, changed };
}

/**
 * The staging table of one import: every good row, checked and encrypted, as the writing pass will
 * write it. Unlogged and dropped at the end; a plain table (not TEMP) so it works over a pool.
 * Rows found bad by set checks (duplicates in the file, households) are deleted from it.
 */
const stageColumns = [
  ['seq', 'int'],
  ['sheet_row', 'int'],
  ['id', 'uuid'],
  ['existing', 'bool'],
  ['changed', 'bool'],
  ['name', 'text'],
  ['name_initials', 'text'],
  ['gender', 'text'],
  ['birth_date', 'date'],
  ['ethnicity', 'text'],
  ['document_type', 'text'],
  ['id_number_cipher', 'text'],
  ['id_number_index', 'text'],
  ['phone_cipher', 'text'],
  ['phone_index', 'text'],
  ['residence_status', 'text'],
  ['political_status', 'text'],
  ['education', 'text'],
  ['employment', 'text'],
  ['employer', 'text'],
  ['health_notes', 'text'],
  ['tags', 'text[]'],
  ['grid_id', 'uuid'],
  ['building_id', 'uuid'],
  ['unit', 'int'],
  ['floor', 'int'],
  ['room', 'text'],
  ['address', 'text'],
  ['needs_grid', 'bool'],
  ['org_path', 'text'],
  ['district_code', 'text'],
  ['house_id', 'uuid'],
  ['place', 'text'],
  ['household_key', 'text'],
  ['relation', 'text'],
  ['registration_type', 'text'],
  ['household_id', 'uuid'],
  ['member_id', 'uuid'],
  ['move_id', 'uuid'],
  ['cur_household_id', 'uuid'],
  ['cur_relation', 'text'],
  ['cur_place', 'text'],
] as const;
type StageColumn = (typeof stageColumns)[number][0];
type StageRecord = Record<StageColumn, string | number | boolean | null>;
/** A staged row for an unchanged resident outside any household: only what the set checks read. */
const unchangedRow = {
  ...(Object.fromEntries(stageColumns.map(([c]) => [c, null])) as StageRecord),
  existing: true,
  changed: false,
};

/** A CSV field for COPY: NULL unquoted and empty, everything else quoted. */
const csvField = (v: string | number | boolean | null) =>
  v === null ? '' : typeof v === 'string' ? `"${v.replaceAll('"', '""')}"` : String(v);

/**
 * Drops the stages of imports that died mid-way (a crash or kill leaves the unlogged table): with
 * `all`, every one (PGlite: this process alone opens the database, and no import runs yet); else
 * those over a day old (PostgreSQL: another server may be importing now; no import takes a day).
 */
export async function dropLeftoverStages(ex: Executor, all: boolean): Promise<string[]> {
  const stages = rowsOf<{ name: string; made: string | null }>(
    await ex.execute(sql`select c.relname as name, obj_description(c.oid, 'pg_class') as made
      from pg_class c where c.relkind = 'r' and c.relnamespace = current_schema()::regnamespace
      and left(c.relname, 16) = 'resident_import_'`),
  );
  const dayAgo = Date.now() - 86_400_000;
  const old = stages.filter((s) => all || !s.made || !(Date.parse(s.made) > dayAgo)).map((s) => s.name);
  for (const name of old) await ex.execute(sql.raw(`drop table if exists "${name}"`));
  return old;
}

class Stage {
  readonly table: SQL;
  private ex: Executor;
  constructor(
    private database: Database,
    readonly name = `resident_import_${randomBytes(6).toString('hex')}`,
  ) {
    this.ex = database.db;
    this.table = sql.raw(`"${name}"`);
  }

  async create() {
    const cols = stageColumns.map(([c, t]) => `${c} ${t}`).join(', ');
    await this.ex.execute(
      sql.raw(
        `create unlogged table "${this.name}" (${cols}, target_household uuid, head_place text, hh_changed bool not null default false, headless bool not null default false, anchor bool not null default false, leaves bool not null default false)`,
      ),
    );
    // When it was made: a stage left by a crashed import is dropped later by its age.
    await this.ex.execute(sql.raw(`comment on table "${this.name}" is '${new Date().toISOString()}'`));
  }

  drop() {
    return this.ex.execute(sql.raw(`drop table if exists "${this.name}"`));
  }

  /**
   * One COPY per batch from an in-memory CSV (parsed in C, no parameters): read from `/dev/blob` on
   * PGlite, streamed on a connection of its own on PostgreSQL (unnesting one array parameter per
   * column took four times as long there).
   */
  async insert(rows: StageRecord[]) {
    if (!rows.length) return;
    const csv = rows.map((r) => stageColumns.map(([c]) => csvField(r[c])).join(',')).join('\n');
    const copy = `copy "${this.name}" (${stageColumns.map(([c]) => c).join(', ')})`;
    if (this.database.pglite) {
      await this.database.pglite.query(`${copy} from '/dev/blob' with (format csv)`, [], {
        blob: new Blob([csv]),
      });
      return;
    }
    const client = await this.database.pool!.connect();
    try {
      await pipeline(Readable.from([csv]), client.query(copyFrom(`${copy} from stdin with (format csv)`)));
    } finally {
      client.release();
    }
  }

  async rows<T>(query: SQL): Promise<T[]> {
    return rowsOf<T>(await this.ex.execute(query));
  }
}

/**
 * The house a staged row names: its building room (hb), or its standalone address in the grid (ha).
 * Two lateral lookups rather than one OR, so each uses its index.
 */
const houseOf = (s: string) => `
  left join lateral (select h.id from house h
    where ${s}.building_id is not null and h.building_id = ${s}.building_id and h.room = ${s}.room
      and h.unit is not distinct from ${s}.unit and h.deleted_at is null limit 1) hb on true
  left join lateral (select h.id from house h
    where ${s}.building_id is null and ${s}.address is not null and h.grid_id = ${s}.grid_id
      and h.building_id is null and h.address = ${s}.address and h.deleted_at is null
    order by h.created_at limit 1) ha on true`;

const residentColumnsSql =
  'name, name_initials, gender, birth_date, ethnicity, document_type, id_number_cipher, id_number_index, phone_cipher, phone_index, residence_status, political_status, education, employment, employer, health_notes, tags, grid_id, house_id, org_path, district_code';

/**
 * Writes staged rows `from`..`to` (by seq): missing houses, new residents, changed residents.
 * One statement each, set-based, so the database does the work in one pass.
 */
async function writeChunk(tx: Executor, t: SQL, from: number, to: number, tick: (phase: string) => void) {
  await tx.execute(sql`
    insert into house (id, grid_id, building_id, unit, floor, room, address, use, org_path, district_code)
    select distinct on (s.building_id, s.unit, s.room) s.house_id, s.grid_id, s.building_id, s.unit, s.floor,
      s.room, s.address, 'selfOccupied', s.org_path::ltree, s.district_code
    from ${t} s
    where s.seq between ${from} and ${to} and s.building_id is not null and (not s.existing or s.changed)
      and not exists (select 1 from house h where h.building_id = s.building_id and h.room = s.room
        and h.unit is not distinct from s.unit and h.deleted_at is null)
    order by s.building_id, s.unit, s.room, s.seq
    on conflict do nothing`);
  await tx.execute(sql`
    insert into house (id, grid_id, address, use, needs_grid, org_path, district_code)
    select distinct on (s.grid_id, s.address) s.house_id, s.grid_id, s.address, 'selfOccupied',
      coalesce(s.needs_grid, false), s.org_path::ltree, s.district_code
    from ${t} s
    where s.seq between ${from} and ${to} and s.building_id is null and s.address is not null
      and (not s.existing or s.changed)
      and not exists (select 1 from house h where h.grid_id = s.grid_id and h.building_id is null
        and h.address = s.address and h.deleted_at is null)
    order by s.grid_id, s.address, s.seq`);
  tick('writeHouses');
  await tx.execute(sql`
    insert into resident (id, ${sql.raw(residentColumnsSql)})
    select s.id, s.name, s.name_initials, s.gender, s.birth_date, s.ethnicity, s.document_type,
      s.id_number_cipher, s.id_number_index, s.phone_cipher, s.phone_index, s.residence_status,
      s.political_status, s.education, s.employment, s.employer, s.health_notes, s.tags, s.grid_id,
      coalesce(hb.id, ha.id), s.org_path::ltree, s.district_code
    from ${t} s ${sql.raw(houseOf('s'))}
    where s.seq between ${from} and ${to} and not s.existing
    on conflict do nothing`);
  tick('writeResidents');
  await tx.execute(sql`
    update resident r set name = s.name, name_initials = s.name_initials, gender = s.gender,
      birth_date = s.birth_date, ethnicity = s.ethnicity, document_type = s.document_type,
      phone_cipher = s.phone_cipher, phone_index = s.phone_index, residence_status = s.residence_status,
      political_status = s.political_status, education = s.education, employment = s.employment,
      employer = s.employer, health_notes = s.health_notes, tags = s.tags, grid_id = s.grid_id,
      house_id = coalesce(hb.id, ha.id), org_path = s.org_path::ltree, district_code = s.district_code, updated_at = now()
    from ${t} s ${sql.raw(houseOf('s'))}
    where s.seq between ${from} and ${to} and s.existing and s.changed and r.id = s.id`);
  tick('writeUpdates');
}

/**
 * Households of the anchors staged in `from`..`to` (each household's head row, or the first row of
 * a household whose head was refused): new households (with their first move), an existing
 * household follows its head's house, members who moved leave their old household, members join,
 * changed relations are updated. Returns the households created and the existing ones joined.
 */
async function writeHouseholds(
  tx: Executor,
  t: SQL,
  from: number,
  to: number,
  today: string,
  userId: string | null,
) {
  const anchors = sql`s.anchor and s.seq between ${from} and ${to}`;
  const head = sql`s.relation = ${headRelation}`;
  const created = rowsOf<{ id: string }>(
    await tx.execute(sql`
    insert into household (id, house_id, head_resident_id, registration_type, org_path, district_code)
    select s.target_household, r.house_id, case when ${head} then s.id end,
      coalesce(s.registration_type, case when s.residence_status = 'registered' then 'registered' else 'unregistered' end),
      r.org_path, r.district_code
    from ${t} s join resident r on r.id = s.id
    where ${anchors} and (s.cur_household_id is null or s.leaves)
    returning id`),
  );
  await tx.execute(sql`
    insert into household_move (id, household_id, from_house_id, to_house_id, moved_on, created_by)
    select s.move_id, h.id, case when s.cur_household_id is null or s.leaves then null else h.house_id end,
      r.house_id, ${today}, ${userId}
    from ${t} s join resident r on r.id = s.id join household h on h.id = s.target_household
    where ${anchors} and (s.cur_household_id is null or s.leaves or h.house_id <> r.house_id)`);
  await tx.execute(sql`
    update household h set house_id = r.house_id, org_path = r.org_path, district_code = r.district_code,
      registration_type = coalesce(s.registration_type, h.registration_type),
      head_resident_id = case when ${head} then s.id else h.head_resident_id end, updated_at = now()
    from ${t} s join resident r on r.id = s.id
    where ${anchors} and s.cur_household_id is not null and not s.leaves and h.id = s.target_household
      and (h.house_id <> r.house_id or (${head} and h.head_resident_id is distinct from s.id)
        or h.registration_type <> coalesce(s.registration_type, h.registration_type))`);
  // Moved away: out of the old household (kept in its history); a head who left leaves it headless.
  await tx.execute(sql`
    update household_member hm set left_on = ${today}
    from ${t} m join ${t} s on s.household_key = m.household_key
    where ${anchors} and m.leaves and hm.resident_id = m.id and hm.household_id = m.cur_household_id
      and hm.left_on is null`);
  await tx.execute(sql`
    update household h set head_resident_id = null, updated_at = now()
    from ${t} m join ${t} s on s.household_key = m.household_key
    where ${anchors} and m.leaves and h.id = m.cur_household_id and h.head_resident_id = m.id`);
  const joined = rowsOf<{ household_id: string }>(
    await tx.execute(sql`
    insert into household_member (id, household_id, resident_id, relation, joined_on)
    select m.member_id, m.target_household, m.id, m.relation, ${today}
    from ${t} m join ${t} s on s.household_key = m.household_key
    where ${anchors} and (m.cur_household_id is null or m.leaves)
    returning household_id`),
  );
  const changed = rowsOf<{ household_id: string }>(
    await tx.execute(sql`
    update household_member hm set relation = m.relation
    from ${t} m join ${t} s on s.household_key = m.household_key
    where ${anchors} and hm.resident_id = m.id and hm.left_on is null
      and hm.household_id = m.target_household and hm.relation <> m.relation
    returning hm.household_id`),
  );
  const made = new Set(created.map((c) => c.id));
  const existing = new Set([...joined, ...changed].map((j) => j.household_id).filter((id) => !made.has(id)));
  return { created: created.length, joined: existing.size };
}

class RollBack extends Error {}

/**
 * Two passes over one read of the workbook. The checking pass reads, checks, encrypts and places
 * every row (reading the database only) into a staging table; set checks over it find duplicate ID
 * numbers and household problems. Only when no row is bad (or `acceptPartial`) does the writing
 * pass apply it, set-based, one short transaction per chunk. So nothing is written for a bad file,
 * the database stays free for other requests between chunks (PGlite runs one transaction at a time),
 * and no memory grows with the file. A crash mid-way is repaired by importing again: every write
 * is an upsert by ID number.
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
    householdsCreated: 0,
    householdsJoined: 0,
    householdsWithoutHead: 0,
    ...noPlacements(),
    transferRequested: 0,
    transfers: [],
    written: false,
    errors: [],
    errorsTruncated: false,
    rejectedFile: false,
  };
  // Values null: a row found bad by a set check, its cells read again from the file at the end.
  const rejects = new Rejects<ResidentColumn>(result);
  const transfers: ImportedTransfer[] = [];
  const today = shanghaiToday();
  const stage = new Stage(ctx.database);
  const t = stage.table;
  // Progress: the checking pass is most of the work (reading the workbook); writing is the rest.
  const checkShare = 600;
  const chunk = opts.writeChunk ?? 5000;
  // Milliseconds per phase, for the bench.
  const T: Record<string, number> = {};
  let tl = performance.now();
  let cl = process.cpuUsage();
  const tick = (k: string) => {
    const n = performance.now();
    const c = process.cpuUsage();
    T[k] = (T[k] ?? 0) + n - tl;
    T[`${k}Cpu`] = (T[`${k}Cpu`] ?? 0) + (c.user - cl.user + c.system - cl.system) / 1000;
    tl = n;
    cl = c;
  };
  try {
    await stage.create();
    const places = new Places(ctx.db, caller, opts.withinPath ?? null, {
      byAddress: true,
      createBuildings: opts.createBuildings,
    });
    // Houses whose 户主 row was refused: their other rows form a household without a head.
    const headRefused = new Set<string>();
    const sheet = readSheetBatches(path, residentColumns, {
      batchSize: opts.batchSize ?? 1000,
      onBytes: (read, total) => opts.onProgress?.(Math.floor((read / total) * checkShare), 1000),
    });
    let seq = 0;
    tick('create');
    for await (const batch of sheet) {
      tick('read');
      result.rows += batch.length;
      await places.prefetch(batch);
      tick('prefetch');
      const good: { r: Row; p: Parsed; place: Place; cols: ResidentInsert }[] = [];
      for (const r of batch) {
        const p = parseRow(ctx, r.values, today);
        if (Array.isArray(p)) {
          rejects.add(r.row, r.values, p);
          if (
            lookups.relation(cellText(r.values.relation) ?? '') === headRelation &&
            !cellText(r.values.householdKey)
          ) {
            try {
              headRefused.add(`@${places.resolve(r.values).key}`);
            } catch (err) {
              if (!(err instanceof RowProblem)) throw err;
            }
          }
          continue;
        }
        try {
          const place = places.resolve(r.values);
          if (p.household && !p.household.key) {
            // No 户号: the household is the rows that share this house (one key per house, whatever the spelling).
            if (!place.address) problem('address', '没有户号时按住址成户，须写明现住址或楼栋编码和房号');
            p.household.key = `@${place.key}`;
          }
          countPlacement(result, place);
          good.push({ r, p, place, cols: { ...p.cols, ...place, houseId: null } });
        } catch (err) {
          if (!(err instanceof RowProblem)) throw err;
          rejects.add(r.row, r.values, [
            { column: err.column ? headerOf(err.column) : '', message: err.message },
          ]);
        }
      }
      tick('parse');
      const byIndex = new Map<string, Existing>();
      if (good.length) {
        // Three lookups by index rather than one join: the planner may hash-join a whole table.
        const found = await ctx.db
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
          );
        const houseIds = found.flatMap((r) => (r.houseId ? [r.houseId] : []));
        const houses = houseIds.length
          ? await ctx.db
              .select({
                id: house.id,
                buildingId: house.buildingId,
                unit: house.unit,
                room: house.room,
                address: house.address,
              })
              .from(house)
              .where(sql`${house.id} = any(${sql.param(houseIds)}::uuid[])`)
          : [];
        const members = found.length
          ? await ctx.db
              .select({
                residentId: householdMember.residentId,
                householdId: householdMember.householdId,
                relation: householdMember.relation,
              })
              .from(householdMember)
              .where(
                and(
                  sql`${householdMember.residentId} = any(${sql.param(found.map((r) => r.id))}::uuid[])`,
                  isNull(householdMember.leftOn),
                ),
              )
          : [];
        const houseById = new Map(houses.map((h) => [h.id, h]));
        const memberOf = new Map(members.map((m) => [m.residentId, m]));
        for (const r of found) {
          const h = r.houseId ? houseById.get(r.houseId) : undefined;
          const placeKey = houseKey({
            buildingId: h?.buildingId ?? null,
            unit: h?.unit ?? null,
            room: h?.room ?? null,
            gridId: r.gridId,
            address: h?.address ?? null,
          });
          const m = memberOf.get(r.id);
          byIndex.set(r.idNumberIndex, {
            r,
            placeKey,
            householdId: m?.householdId ?? null,
            relation: m?.relation ?? null,
          });
        }
      }
      tick('existing');
      const staged: StageRecord[] = [];
      for (const g of good) {
        const old = byIndex.get(g.cols.idNumberIndex);
        let cols = g.cols;
        let changed = false;
        if (old) {
          const visible =
            pathWithin(old.r.orgPath, opts.withinPath ?? null) &&
            (!caller.user ||
              grantsFor(caller.user, 'resident.import').some((a) => pathWithin(old.r.orgPath, a.orgPath)));
          if (!visible) {
            // Held outside the importer's reach: a 迁入申请 once the file is written, never a row
            // error that would say the number exists (the CLI, acting as nobody, is told plainly).
            if (caller.user && transfers.length < maxTransfers)
              transfers.push({
                row: g.r.row,
                residentId: old.r.id,
                gridId: g.place.gridId,
                name: g.cols.name,
                residenceStatus: g.cols.residenceStatus as ResidenceStatus,
              });
            else
              rejects.add(g.r.row, g.r.values, [
                {
                  column: headerOf('idNumber'),
                  message: caller.user ? transferLimitMessage : '该证件号码已在导入范围以外登记',
                },
              ]);
            continue;
          }
          ({ merged: cols, changed } = mergeWith(old, g.cols, g.p.given, g.place));
        }
        const hh = g.p.household;
        if (old && !changed && !hh) {
          // Nothing to write: staged only for the duplicate check.
          staged.push({
            ...unchangedRow,
            seq: ++seq,
            sheet_row: g.r.row,
            id: old.r.id,
            id_number_index: cols.idNumberIndex,
          });
          continue;
        }
        staged.push({
          seq: ++seq,
          sheet_row: g.r.row,
          id: old?.r.id ?? newId(),
          existing: !!old,
          changed,
          name: cols.name,
          name_initials: cols.nameInitials,
          gender: cols.gender,
          birth_date: cols.birthDate,
          ethnicity: cols.ethnicity,
          document_type: cols.documentType ?? 'idCard',
          id_number_cipher: cols.idNumberCipher,
          id_number_index: cols.idNumberIndex,
          phone_cipher: cols.phoneCipher ?? null,
          phone_index: cols.phoneIndex ?? null,
          residence_status: cols.residenceStatus,
          political_status: cols.politicalStatus ?? 'masses',
          education: cols.education ?? null,
          employment: cols.employment ?? null,
          employer: cols.employer ?? null,
          health_notes: cols.healthNotes ?? null,
          tags: `{${(cols.tags ?? []).join(',')}}`,
          grid_id: g.place.gridId,
          building_id: g.place.buildingId,
          unit: g.place.unit,
          floor: g.place.floor,
          room: g.place.room,
          address: g.place.address,
          needs_grid: g.place.needsGrid,
          org_path: g.place.orgPath,
          district_code: g.place.districtCode,
          house_id: g.place.address ? newId() : null,
          place: g.place.key,
          household_key: hh?.key ?? null,
          relation: hh?.relation ?? null,
          registration_type: hh?.registrationType ?? null,
          household_id: hh?.relation === headRelation ? newId() : null,
          member_id: hh ? newId() : null,
          move_id: hh?.relation === headRelation ? newId() : null,
          cur_household_id: old?.householdId ?? null,
          cur_relation: old?.relation ?? null,
          cur_place: old?.placeKey ?? null,
        });
      }
      tick('build');
      await stage.insert(staged);
      tick('stage');
    }

    // Set checks over the whole file, each followed by dropping its rows from the stage.
    const setReject = async (rows: { sheet_row: number; col: string; msg: string }[]) => {
      if (!rows.length) return;
      for (const r of rows) rejects.add(r.sheet_row, null, [{ column: r.col, message: r.msg }]);
      await ctx.db.execute(
        sql`delete from ${t} where sheet_row = any(${sql.param(rows.map((r) => r.sheet_row))}::int[])`,
      );
    };
    const idCol = headerOf('idNumber');
    const relCol = headerOf('relation');
    await setReject(
      await stage.rows(sql`
        select s.sheet_row, ${idCol} as col, '与第 ' || f.first || ' 行的证件号码重复' as msg
        from ${t} s join (select id_number_index, min(sheet_row) as first from ${t}
          group by id_number_index having count(*) > 1) f using (id_number_index)
        where s.sheet_row <> f.first order by s.sheet_row`),
    );
    await setReject(
      await stage.rows(sql`
        select sheet_row, ${relCol} as col,
          '户主须有房屋（填写楼栋编码和房号，或房屋地址）' as msg
        from ${t} where relation = ${headRelation} and address is null order by sheet_row`),
    );
    // A household without its head's row because that row was refused forms without a head.
    if (headRefused.size)
      await ctx.db.execute(sql`
        update ${t} s set headless = true where s.household_key = any(${sql.param([...headRefused])}::text[])
          and not exists (select 1 from ${t} h where h.household_key = s.household_key and h.relation = ${headRelation})`);
    // A group refused as a whole names its place (户号, or the address it shares) and all its rows.
    const group = sql.raw(`case when left(s.household_key, 1) = '@' then '住址「' || s.address || '」的'
      else '户号「' || s.household_key || '」的' end`);
    const ways = sql.raw(`case when left(s.household_key, 1) = '@'
      then '：请改正与户主关系（每户一位“户主”），或加一列户号把这些人分户'
      else '：请改正与户主关系（每户一位“户主”），或改正户号' end`);
    await setReject(
      await stage.rows(sql`
        select s.sheet_row, ${relCol} as col,
          ${group} || ' ' || k.n || ' 行（第 ' || k.rows || ' 行）' ||
          case when k.heads = 0 then '没有户主' else '有 ' || k.heads || ' 位户主' end || ${ways} as msg
        from ${t} s join (select household_key, count(*) filter (where relation = ${headRelation}) as heads,
            count(*) as n, string_agg(sheet_row::text, '、' order by sheet_row) as rows
          from ${t} where household_key is not null and not headless group by household_key
          having count(*) filter (where relation = ${headRelation}) <> 1) k using (household_key)
        order by s.sheet_row`),
    );
    // The first row of a headless household anchors it, as a head row anchors the others.
    await ctx.db.execute(sql`
      update ${t} s set household_id = grassroots_uuid_v7(), move_id = grassroots_uuid_v7(), anchor = true
      from (select distinct on (household_key) household_key, seq from ${t} where headless
        order by household_key, seq) f where s.seq = f.seq`);
    await ctx.db.execute(sql`update ${t} set anchor = true where relation = ${headRelation}`);
    // A head listed at another house than their own moved there: they leave their household and head a new one.
    await ctx.db.execute(sql`
      update ${t} set leaves = true where anchor and left(household_key, 1) = '@'
        and cur_household_id is not null and cur_place is distinct from place`);
    // A head already in a household keeps it: as its head, or as its new head (户主变更).
    await ctx.db.execute(sql`
      update ${t} m set head_place = h.place,
        target_household = case when h.leaves then h.household_id else coalesce(h.cur_household_id, h.household_id) end
      from ${t} h where h.household_key = m.household_key and h.anchor`);
    // 户主变更 only with the former head (while still a member) listed under the same 户号 as a member.
    await setReject(
      await stage.rows(sql`
        select s.sheet_row, ${relCol} as col,
          '户号「' || h.household_key || '」的户主' || h.name || '现为另一户的成员：如为户主变更，须在同一户号下填写原户主及其新的与户主关系；如另立新户，请先移出原户' as msg
        from ${t} h join ${t} s on s.household_key = h.household_key
        where h.relation = ${headRelation} and h.cur_relation <> ${headRelation} and not h.leaves
          and exists (select 1 from household_member f where f.household_id = h.cur_household_id
            and f.left_on is null and f.relation = ${headRelation} and f.resident_id <> h.id
            and not exists (select 1 from ${t} o where o.id = f.resident_id
              and o.household_key = h.household_key and o.relation <> ${headRelation}))
        order by s.sheet_row`),
    );
    // A person listed at another address than their household's: they moved, and leave it (as a life event would).
    await ctx.db.execute(sql`
      update ${t} set leaves = true where left(household_key, 1) = '@' and not anchor
        and cur_household_id is not null and cur_household_id <> target_household`);
    await setReject(
      await stage.rows(sql`
        select sheet_row,
          case when cur_household_id is not null and cur_household_id <> target_household then ${relCol}
          else ${headerOf('room')} end as col,
          case when cur_household_id is not null and cur_household_id <> target_household
            then '该居民已在另一户中，一人只能在一户，请先移出原户'
          else '与户主不在同一房屋' end as msg
        from ${t}
        where household_key is not null and not anchor
          and ((cur_household_id is not null and cur_household_id <> target_household and not leaves)
            or place <> head_place)
        order by sheet_row`),
    );
    tick('setChecks');
    if (result.rejected && !opts.acceptPartial) throw new RollBack();

    // Buildings the addresses named, made only now that the file is to be written.
    const wanted = [...places.newBuildings.values()];
    if (wanted.length) {
      const used = rowsOf<{ id: string }>(
        await ctx.db.execute(
          sql`select distinct building_id as id from ${t} where building_id = any(${sql.param(wanted.map((b) => b.id))}::uuid[])`,
        ),
      ).map((r) => r.id);
      const made = await ctx.db.transaction((tx) =>
        makeBuildings(
          tx,
          wanted.filter((b) => used.includes(b.id)),
        ),
      );
      for (const [id, path] of made)
        await ctx.db.execute(sql`update ${t} set org_path = ${path} where building_id = ${id}::uuid`);
      result.buildingsCreated = made.size;
    }

    await ctx.db.execute(sql`
      update ${t} set hh_changed = true
      where household_key is not null
        and (cur_household_id is distinct from target_household or cur_relation is distinct from relation)`);
    await ctx.db.execute(sql`create index on ${t} (seq)`);
    await ctx.db.execute(sql`create index on ${t} (household_key)`);
    const [counts] = await stage.rows<{
      imported: number;
      updated: number;
      unchanged: number;
      last: number;
      households: number;
      headless: number;
    }>(sql`
      select count(*) filter (where not existing)::int as imported,
        count(*) filter (where headless and anchor)::int as headless,
        count(*) filter (where household_key is not null)::int as households,
        count(*) filter (where existing and (changed or hh_changed))::int as updated,
        count(*) filter (where existing and not changed and not hh_changed)::int as unchanged,
        coalesce(max(seq), 0)::int as last
      from ${t}`);
    const steps = Math.max(1, Math.ceil(counts.last / chunk) * (counts.households ? 2 : 1));
    let done = 0;
    const progress = () =>
      opts.onProgress?.(checkShare + Math.floor((++done / steps) * (1000 - checkShare)), 1000);
    for (let from = 1; from <= counts.last; from += chunk) {
      await ctx.db.transaction((tx) => writeChunk(tx, t, from, from + chunk - 1, tick));
      await progress();
      await ctx.database.turns.giveWay(); // requests are answered between chunks
    }
    tick('write');
    for (let from = 1; counts.households && from <= counts.last; from += chunk) {
      const hh = await ctx.db.transaction((tx) =>
        writeHouseholds(tx, t, from, from + chunk - 1, today, caller.user?.id ?? null),
      );
      result.householdsCreated += hh.created;
      result.householdsJoined += hh.joined;
      await progress();
      await ctx.database.turns.giveWay(); // requests are answered between chunks
    }
    tick('households');
    if (transfers.length) {
      await ctx.db.transaction((tx) => requestImportedTransfers(tx, caller, transfers));
      result.transferRequested = transfers.length;
      result.transfers = transfers.map((x) => ({ row: x.row, message: transferSentNote }));
    }
    if (opts.timings) for (const [k, v] of Object.entries(T)) opts.timings[k] = Math.round(v);
    Object.assign(result, {
      householdsWithoutHead: counts.headless,
      imported: counts.imported,
      updated: counts.updated,
      unchanged: counts.unchanged,
      written: true,
    });
    const scope = caller.user ? (grantsFor(caller.user, 'resident.import')[0]?.orgPath ?? null) : null;
    await audit(ctx.db, caller, {
      action: 'resident.imported',
      targetType: 'resident',
      orgPath: opts.withinPath ?? scope,
      summary: `导入居民：新增 ${result.imported}，更新 ${result.updated}，未变 ${result.unchanged}，拒绝 ${result.rejected}，新建户 ${result.householdsCreated}，迁入申请 ${result.transferRequested}`,
      details: {
        rows: result.rows,
        imported: result.imported,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected,
        householdsCreated: result.householdsCreated,
        transferRequested: result.transferRequested,
      },
    });
  } catch (err) {
    if (err instanceof HeaderError) return { ...result, written: false, errors: err.errors, rejected: 0 };
    if (!(err instanceof RollBack)) throw err;
    Object.assign(result, { imported: 0, updated: 0, unchanged: 0, written: false });
  } finally {
    await stage.drop();
  }
  if (rejects.rows.length && opts.rejectedPath) {
    rejects.rows.sort((a, b) => a.row - b.row);
    const missing = new Map(rejects.rows.filter((r) => !r.values).map((r) => [r.row, r]));
    if (missing.size)
      for await (const batch of readSheetBatches(path, residentColumns))
        for (const r of batch) {
          const entry = missing.get(r.row);
          if (entry) entry.values = r.values;
        }
    await rejects.write(opts.rejectedPath, residentColumns);
    result.rejectedFile = true;
  }
  result.errors.sort((a, b) => a.row - b.row);
  return result;
}
