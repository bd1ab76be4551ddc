import { createReadStream } from 'node:fs';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { grantsFor, pathWithin } from '../../platform/auth/authorize.js';
import { localDate } from '../../platform/calendar/local-time.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { maskPhone } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { jobOutputPath } from '../../platform/jobs/output.js';
import { maskPiiInText } from '../../platform/pii-text.js';
import ExcelJS, { type Row } from '../../platform/tabular/exceljs.js';
import {
  type Cell,
  type ColumnSpec,
  HeaderError,
  plainCell,
  type RowError,
  readSheetBatches,
  type SheetRow,
  type WriteColumn,
  writeSheet,
} from '../../platform/tabular/xlsx.js';
import { callerForUser } from '../accounts/sessions.js';
import { AddressMatcher, districtRoots, mostPrecise } from '../org/address-match.js';
import { findOrgUnit } from '../org/units.js';
import { hotlineTicket } from './hotline-schema.js';
import { intake } from './intake.js';
import { workOrder, workOrderCategory, workOrderEvent } from './schema.js';
import { act, visibleTo } from './service.js';
import { type Outcome, type Status, statusName } from './workflow.js';

/**
 * 12345 hotline workbooks in and out. Columns are found by header name (any order, extra columns
 * ignored); a ticket is keyed by its 工单编号 (the work order's `external_no`), so importing the
 * same sheet again updates instead of duplicating. Times in the sheet are Beijing wall-clock time.
 */
type Key =
  | 'externalNo'
  | 'calledAt'
  | 'caller'
  | 'phone'
  | 'category'
  | 'content'
  | 'address'
  | 'handler'
  | 'deadline'
  | 'status';

export const hotlineColumns: ColumnSpec<Key>[] = [
  { key: 'externalNo', header: '工单编号', aliases: ['工单号', '受理编号', '编号'], required: true },
  { key: 'calledAt', header: '来电时间', aliases: ['受理时间', '来电日期', '登记时间'], required: true },
  { key: 'caller', header: '来电人', aliases: ['来电人姓名', '诉求人', '姓名'] },
  { key: 'phone', header: '联系电话', aliases: ['来电号码', '电话', '联系方式'] },
  { key: 'category', header: '诉求类型', aliases: ['诉求分类', '问题类型', '业务类型'] },
  { key: 'content', header: '诉求内容', aliases: ['来电内容', '问题描述', '诉求描述'], required: true },
  { key: 'address', header: '事发地址', aliases: ['事件地址', '地址', '发生地址'] },
  { key: 'handler', header: '承办单位', aliases: ['办理单位', '责任单位'] },
  { key: 'deadline', header: '办理时限', aliases: ['截止时间', '办结时限'] },
  { key: 'status', header: '工单状态', aliases: ['办理状态', '状态'] },
];

const header = (k: Key) => hotlineColumns.find((c) => c.key === k)!.header;

export interface HotlineResult {
  imported: number;
  updated: number;
  rejected: number;
  errors: RowError[];
  /** Set when more rows were wrong than `errors` lists. */
  errorsTruncated?: boolean;
}

interface Parsed {
  row: number;
  externalNo: string;
  calledAt: Date;
  caller?: string;
  phone?: string;
  categoryId: string;
  content: string;
  address?: string;
  placeId?: string;
  lng?: number;
  lat?: number;
  handler?: string;
  deadline?: Date;
  status?: string;
}

const beijing = 8 * 3600_000;

/**
 * A sheet time as Beijing wall-clock: ExcelJS gives date cells as UTC with the face value, strings
 * are `2026-11-20 09:30[:00]` (or with / . 年月日), numbers are Excel serial days.
 */
export function sheetTime(cell: Cell): Date | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : new Date(cell.getTime() - beijing);
  if (typeof cell === 'number')
    return cell > 20000 && cell < 80000 ? new Date(Math.round((cell - 25569) * 86400_000) - beijing) : null;
  if (typeof cell !== 'string') return null;
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[\sT]*(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?秒?)?$/.exec(
      cell.trim(),
    );
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - beijing);
  return new Date(date.getTime() + beijing).getUTCDate() === d ? date : null;
}

/** `2026-11-20 09:30` in Beijing time, as a 12345 sheet writes it. */
export function formatSheetTime(d: Date | null | undefined): string | null {
  if (!d) return null;
  return new Date(d.getTime() + beijing).toISOString().slice(0, 16).replace('T', ' ');
}

const text = (cell: Cell): string | undefined => {
  if (cell === null) return undefined;
  if (cell instanceof Date) return formatSheetTime(new Date(cell.getTime() - beijing)) ?? undefined;
  const s = String(cell).trim();
  return s || undefined;
};

const norm = (s: string) => s.replace(/[\s\u3000（）()]/g, '');

/** 诉求类型 → a leaf category: exact name, then the last part of a path (城市管理/市容环境), then containment. */
export function categoryMatcher(
  categories: { id: string; code: string; name: string; parentCode: string | null }[],
) {
  const leaves = categories.filter((c) => c.parentCode !== null);
  const fallback = categories.find((c) => c.code === 'livelihood.other') ?? leaves[0];
  return (value: string | undefined) => {
    if (!value) return fallback;
    const v = norm(value);
    const last = norm(value.split(/[/／>＞\\|-]/).pop() ?? value);
    return (
      leaves.find((c) => norm(c.name) === v) ??
      leaves.find((c) => norm(c.name) === last) ??
      leaves
        .filter((c) => v.includes(norm(c.name)) || (last.length >= 2 && norm(c.name).includes(last)))
        .sort((a, b) => b.name.length - a.name.length)[0] ??
      fallback
    );
  };
}

/** Errors kept in a result: the first thousand say what is wrong; `rejected` counts every row. */
const maxErrors = 1000;

/**
 * Which required columns the header row lacks: the header row is the one among the first ten that
 * names the most of our columns (so the error names only what is really missing).
 */
async function missingColumns(path: string): Promise<RowError[] | null> {
  const names = (c: ColumnSpec<Key>) => [c.header, ...(c.aliases ?? [])].map(norm);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  let best: { row: number; found: Set<Key> } | null = null;
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<Row>) {
      if (row.number > 10) break;
      const cells = new Set(
        (row.values as unknown[])
          .map(plainCell)
          .filter((c): c is string => typeof c === 'string')
          .map(norm),
      );
      const found = new Set(
        hotlineColumns.filter((c) => names(c).some((n) => cells.has(n))).map((c) => c.key),
      );
      if (!best || found.size > best.found.size) best = { row: row.number, found };
    }
    break;
  }
  if (!best) return null;
  const { row, found } = best;
  return hotlineColumns
    .filter((c) => c.required && !found.has(c.key))
    .map((c) => ({ row, column: c.header, message: `缺少必填列「${c.header}」` }));
}

export interface ImportOptions {
  acceptPartial?: boolean;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** What checking a row needs besides the row: lookups loaded once, and the numbers seen so far. */
interface RowContext {
  ctx: AppContext;
  matchCategory: ReturnType<typeof categoryMatcher>;
  matcher: AddressMatcher;
  /** 工单编号 → work order, for the numbers of the batch being read. */
  existing: Map<string, string>;
  /** 工单编号 → the first row that had it, over the whole sheet. */
  seen: Map<string, number>;
}

/** The work orders already filed under the batch's ticket numbers. */
async function existingTickets(ctx: AppContext, batch: SheetRow<Key>[]) {
  const numbers = [...new Set(batch.map((r) => text(r.values.externalNo)).filter((x): x is string => !!x))];
  const existing = new Map<string, string>();
  if (!numbers.length) return existing;
  const found = await ctx.db
    .select({ id: workOrder.id, externalNo: workOrder.externalNo })
    .from(workOrder)
    .where(inArray(workOrder.externalNo, numbers));
  for (const f of found) existing.set(f.externalNo!, f.id);
  return existing;
}

/** Checks (and places) one row: the ticket to file or update, or the row's errors. */
function checkRow(c: RowContext, row: number, v: SheetRow<Key>['values']): Parsed | RowError[] {
  const { ctx, matchCategory, matcher, existing, seen } = c;
  const errors: RowError[] = [];
  const fail = (row: number, key: Key, message: string) => errors.push({ row, column: header(key), message });
  const externalNo = text(v.externalNo);
  if (!externalNo) fail(row, 'externalNo', '工单编号不能为空');
  else if (externalNo.length > 40) fail(row, 'externalNo', '工单编号超过 40 个字符');
  else if (seen.has(externalNo)) fail(row, 'externalNo', `与第 ${seen.get(externalNo)} 行的工单编号重复`);
  else seen.set(externalNo, row);
  const calledAt = sheetTime(v.calledAt);
  if (!calledAt) fail(row, 'calledAt', '来电时间应为日期时间，如 2026-11-20 09:30');
  else if (calledAt.getTime() > Date.now() + 3600_000) fail(row, 'calledAt', '来电时间晚于当前时间');
  const content = text(v.content);
  if (!content) fail(row, 'content', '诉求内容不能为空');
  else if (content.length > 2000) fail(row, 'content', '诉求内容超过 2000 字');
  const callerName = text(v.caller);
  if (callerName && callerName.length > 40) fail(row, 'caller', '来电人超过 40 个字符');
  let phone = text(v.phone)?.replace(/[\s()-]/g, '');
  // A masked number (our own export sent back) keeps what we have.
  if (phone?.includes('*')) phone = undefined;
  if (phone) {
    phone = phone.replace(/^(\+?86)(?=1\d{10}$)/, '');
    if (!/^1\d{10}$|^0\d{9,11}$/.test(phone)) fail(row, 'phone', '联系电话应为 11 位手机号或带区号的固话');
  }
  let deadline: Date | undefined;
  const rawDeadline = v.deadline;
  if (rawDeadline !== null) {
    const days = typeof rawDeadline === 'string' ? /^(\d{1,3})\s*个?工作日$/.exec(rawDeadline.trim()) : null;
    const hours =
      typeof rawDeadline === 'string' ? /^(\d{1,3})\s*(?:小时|h)$/i.exec(rawDeadline.trim()) : null;
    if (days && calledAt) deadline = ctx.calendar.addWorkingDays(calledAt, Number(days[1]));
    else if (hours && calledAt) deadline = new Date(calledAt.getTime() + Number(hours[1]) * 3600_000);
    else deadline = sheetTime(rawDeadline) ?? undefined;
    if (!deadline) fail(row, 'deadline', '办理时限应为日期时间，或“3个工作日”“24小时”');
  }
  const address = text(v.address);
  if (address && address.length > 200) fail(row, 'address', '事发地址超过 200 个字符');
  const isNew = externalNo ? !existing.has(externalNo) : true;
  let place: { id: string; lng?: number; lat?: number } | null = null;
  if (isNew) {
    // The most precise unit the address or the handling unit names within the importer's reach
    // (a real export often names only the street): that unit's queue dispatches it down.
    place = mostPrecise(matcher.locate(address), matcher.locate(text(v.handler)))?.unit ?? null;
    if (!place)
      fail(
        row,
        'address',
        address
          ? `事发地址「${address}」和承办单位都没有写明本辖区内的楼栋、网格、社区、街道或旗区`
          : '事发地址为空，承办单位也没有写明本辖区内的单位',
      );
  }
  if (errors.length) return errors;
  return {
    row,
    externalNo: externalNo!,
    calledAt: calledAt!,
    caller: callerName,
    phone,
    categoryId: matchCategory(text(v.category))!.id,
    content: content!,
    address,
    placeId: place?.id,
    lng: place?.lng,
    lat: place?.lat,
    handler: text(v.handler),
    deadline,
    status: text(v.status),
  };
}

/**
 * Imports a 12345 workbook as the caller. All or nothing unless `acceptPartial`. The workbook is
 * streamed twice, never held: the first pass checks (and places) every row, keeping only the ticket
 * numbers seen and the rows refused; the second, when nothing is wrong (or `acceptPartial`), files
 * the good rows. A workbook over a limit (size, rows, columns, cell length) is refused before its
 * rows are read on. Progress (per mille) is reported after every batch, which is also where a
 * cancelled job stops.
 */
export async function importHotline(
  ctx: AppContext,
  caller: Caller,
  path: string,
  opts: ImportOptions = {},
): Promise<HotlineResult> {
  const errors: RowError[] = [];
  const rejected = new Set<number>();
  let truncated = false;
  const refuse = (rowErrors: RowError[]) => {
    rejected.add(rowErrors[0].row);
    for (const e of rowErrors)
      if (errors.length < maxErrors) errors.push(e);
      else truncated = true;
  };
  const categories = await ctx.db
    .select()
    .from(workOrderCategory)
    .where(eq(workOrderCategory.active, true))
    .orderBy(asc(workOrderCategory.sort));
  const rowContext: RowContext = {
    ctx,
    matchCategory: categoryMatcher(categories),
    matcher: await AddressMatcher.load(ctx.db, await districtRoots(ctx.db, caller)),
    existing: new Map(),
    seen: new Map(),
  };
  const read = (share: number, offset: number, batchSize: number) =>
    readSheetBatches(path, hotlineColumns, {
      batchSize,
      onBytes: (done, total) => opts.onProgress?.(offset + Math.floor((done / total) * share), 1000),
    });

  try {
    for await (const batch of read(300, 0, 1000)) {
      rowContext.existing = await existingTickets(ctx, batch);
      for (const { row, values } of batch) {
        const checked = checkRow(rowContext, row, values);
        if (Array.isArray(checked)) refuse(checked);
      }
    }
  } catch (err) {
    if (!(err instanceof HeaderError)) throw err;
    const headerErrors = err.limit ? err.errors : ((await missingColumns(path)) ?? err.errors);
    return { imported: 0, updated: 0, rejected: 0, errors: headerErrors };
  }
  const result = (imported: number, updated: number): HotlineResult => ({
    imported,
    updated,
    rejected: rejected.size,
    errors: errors.sort((a, b) => a.row - b.row),
    ...(truncated ? { errorsTruncated: true } : {}),
  });
  if (rejected.size && !opts.acceptPartial) return result(0, 0);

  let imported = 0;
  let updated = 0;
  const me = caller.user!;
  rowContext.seen = new Map();
  const pause = ctx.database.turns.slices(); // requests are answered between slices of rows
  for await (const batch of read(700, 300, 200)) {
    rowContext.existing = await existingTickets(ctx, batch);
    const existing = rowContext.existing;
    for (const { row, values } of batch) {
      const p = checkRow(rowContext, row, values);
      if (rejected.has(row)) continue;
      if (Array.isArray(p)) {
        refuse(p);
        continue;
      }
      try {
        const known = existing.get(p.externalNo);
        if (known) {
          await updateTicket(ctx, caller, known, p);
          updated++;
        } else {
          let id: string;
          try {
            ({ id } = await intake(ctx, caller, {
              channel: 'hotline',
              categoryId: p.categoryId,
              description: p.content,
              address: p.address,
              placeId: p.placeId,
              lng: p.lng,
              lat: p.lat,
              reporterName: p.caller,
              reporterPhone: p.phone,
              anonymous: !p.caller && !p.phone,
              externalNo: p.externalNo,
              createdAt: p.calledAt,
            }));
          } catch (err) {
            // Another import filed it meanwhile: never twice, update it instead.
            const [other] = await ctx.db
              .select({ id: workOrder.id })
              .from(workOrder)
              .where(eq(workOrder.externalNo, p.externalNo));
            if (!other) throw err;
            await updateTicket(ctx, caller, other.id, p);
            updated++;
            continue;
          }
          await ctx.db
            .insert(hotlineTicket)
            .values({
              externalNo: p.externalNo,
              workOrderId: id,
              handlerName: p.handler ?? null,
              deadline: p.deadline ?? null,
              status: p.status ?? null,
              importedBy: me.id,
            })
            .onConflictDoNothing();
          imported++;
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        refuse([
          {
            row: p.row,
            column: err.fields?.[0]?.path === 'placeId' ? header('address') : '',
            message: err.fields?.map((f) => f.message).join('；') || err.message,
          },
        ]);
      }
      await pause();
    }
  }
  await opts.onProgress?.(1000, 1000);
  return result(imported, updated);
}

/**
 * A ticket seen again: the centre's deadline, status and handling unit are kept; when one changed,
 * the change is noted on the work order's timeline (the work order itself is ours to handle).
 */
async function updateTicket(ctx: AppContext, caller: Caller, workOrderId: string, p: Parsed) {
  const [old] = await ctx.db.select().from(hotlineTicket).where(eq(hotlineTicket.externalNo, p.externalNo));
  const next = { handlerName: p.handler ?? null, deadline: p.deadline ?? null, status: p.status ?? null };
  if (!old) {
    await ctx.db
      .insert(hotlineTicket)
      .values({ externalNo: p.externalNo, workOrderId, importedBy: caller.user!.id, ...next })
      .onConflictDoNothing();
    return;
  }
  const changes: string[] = [];
  if ((old.status ?? null) !== next.status)
    changes.push(`工单状态：${old.status ?? '—'} → ${next.status ?? '—'}`);
  if ((old.deadline?.getTime() ?? null) !== (next.deadline?.getTime() ?? null))
    changes.push(
      `办理时限：${formatSheetTime(old.deadline) ?? '—'} → ${formatSheetTime(next.deadline) ?? '—'}`,
    );
  if ((old.handlerName ?? null) !== next.handlerName)
    changes.push(`承办单位：${old.handlerName ?? '—'} → ${next.handlerName ?? '—'}`);
  if (!changes.length) return;
  await ctx.db.update(hotlineTicket).set(next).where(eq(hotlineTicket.externalNo, p.externalNo));
  try {
    await act(ctx, caller, workOrderId, {
      type: 'commented',
      text: `12345 工单更新（${changes.join('；')}）`,
    });
  } catch (err) {
    // Outside the importer's reach the ticket is still updated; the note is only for those who see it.
    if (!(err instanceof AppError)) throw err;
  }
}

// ---------------------------------------------------------------- export

const outcomeNames: Record<Outcome, string> = {
  resolved: '已解决',
  explained: '解释说明',
  notOurs: '非本单位职责',
  duplicate: '重复工单',
};

export interface ExportQuery {
  from?: Date;
  to?: Date;
  orgUnitId?: string;
}

interface ExportRow {
  externalNo: string;
  createdAt: Date;
  reporterName: string | null;
  phone: string | null;
  categoryName: string;
  description: string;
  address: string | null;
  handlerName: string | null;
  deadline: Date | null;
  status: Status;
  outcome: Outcome | null;
  reply: string | null;
  closedAt: Date | null;
}

export const exportColumns: WriteColumn<ExportRow>[] = [
  { header: '工单编号', width: 20, value: (r) => r.externalNo },
  { header: '来电时间', width: 18, value: (r) => formatSheetTime(r.createdAt) },
  { header: '来电人', value: (r) => r.reporterName },
  { header: '联系电话', value: (r) => r.phone },
  { header: '诉求类型', value: (r) => r.categoryName },
  { header: '诉求内容', width: 40, value: (r) => r.description },
  { header: '事发地址', width: 30, value: (r) => r.address },
  { header: '承办单位', width: 20, value: (r) => r.handlerName },
  { header: '办理时限', width: 18, value: (r) => formatSheetTime(r.deadline) },
  { header: '工单状态', value: (r) => statusName(r.status) },
  { header: '办理结果', value: (r) => (r.outcome ? outcomeNames[r.outcome] : null) },
  { header: '回复内容', width: 40, value: (r) => r.reply },
  { header: '办结时间', width: 18, value: (r) => formatSheetTime(r.closedAt) },
];

const replyTypes = ['resolved', 'replied', 'closed', 'rejected'];

/** Hotline work orders the caller may see, in pages (a year of calls never sits in memory at once). */
async function* exportRowsOf(ctx: AppContext, caller: Caller, q: ExportQuery): AsyncGenerator<ExportRow> {
  const where = [eq(workOrder.channel, 'hotline'), visibleTo(caller)];
  if (q.from) where.push(sql`${workOrder.createdAt} >= ${q.from}`);
  if (q.to) where.push(sql`${workOrder.createdAt} < ${q.to}`);
  if (q.orgUnitId) {
    const unit = await findOrgUnit(ctx.db, q.orgUnitId);
    if (!unit) return;
    where.push(sql`${workOrder.orgPath} <@ ${unit.path}::ltree`);
  }
  // Without the full-data permission over an order, numbers written into its text are masked.
  const piiRoots = grantsFor(caller.user!, 'resident.readPII').map((g) => g.orgPath);
  const freeText = (orgPath: string, text: string | null) =>
    text && !piiRoots.some((root) => pathWithin(orgPath, root)) ? maskPiiInText(text) : text;
  let after = '00000000-0000-0000-0000-000000000000';
  const pause = ctx.database.turns.slices(); // requests are answered between slices of rows
  for (;;) {
    const rows = await ctx.db
      .select({
        wo: workOrder,
        categoryName: workOrderCategory.name,
        ticket: hotlineTicket,
        handlerName: sql<
          string | null
        >`(select h.name from org_unit h where h.id = ${workOrder.handlerUnitId})`,
        reply: sql<
          string | null
        >`(select e.data->>'text' from ${workOrderEvent} e where e.work_order_id = ${workOrder.id}
          and e.type in (${sql.join(
            replyTypes.map((t) => sql`${t}`),
            sql`, `,
          )}) and e.data->>'text' is not null order by e.seq desc limit 1)`,
      })
      .from(workOrder)
      .innerJoin(workOrderCategory, eq(workOrderCategory.id, workOrder.categoryId))
      .leftJoin(hotlineTicket, eq(hotlineTicket.workOrderId, workOrder.id))
      .where(and(...where, gt(workOrder.id, after)))
      .orderBy(asc(workOrder.id))
      .limit(250);
    if (!rows.length) return;
    for (const r of rows) {
      yield {
        externalNo: r.wo.externalNo ?? r.wo.number,
        createdAt: r.wo.createdAt,
        reporterName: r.wo.anonymous ? null : r.wo.reporterName,
        phone: r.wo.reporterPhoneEnc ? maskPhone(ctx.pii.decrypt(r.wo.reporterPhoneEnc)) : null,
        categoryName: r.categoryName,
        description: freeText(r.wo.orgPath, r.wo.description)!,
        address: freeText(r.wo.orgPath, r.wo.address),
        handlerName: r.handlerName ?? r.ticket?.handlerName ?? null,
        deadline: r.ticket?.deadline ?? r.wo.dueAt,
        status: r.wo.status as Status,
        outcome: r.wo.outcome as Outcome | null,
        reply: freeText(r.wo.orgPath, r.reply),
        closedAt: r.wo.closedAt,
      };
      await pause();
    }
    after = rows[rows.length - 1].wo.id;
  }
}

/** Writes the replies workbook (the import's columns plus 办理结果, 回复内容, 办结时间); returns the row count. */
export async function exportHotline(ctx: AppContext, caller: Caller, path: string, q: ExportQuery) {
  return writeSheet(path, '12345工单', exportColumns, exportRowsOf(ctx, caller, q));
}

// ---------------------------------------------------------------- jobs

export const hotlineImportJob = 'workOrder.hotlineImport';
export const hotlineExportJob = 'workOrder.hotlineExport';

/** Both act as the user who started them: rows are placed in, and replies read from, their reach. */
export function registerHotlineJobs(ctx: AppContext) {
  ctx.jobs.register(hotlineImportJob, async (job, ctl) => {
    // `acceptPartial`: a job queued before the flag took its one name.
    const p = job.params as { fileId: string; partial?: boolean; acceptPartial?: boolean };
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const file = (await ctx.files.find(ctl.db, p.fileId))!;
    const result = await importHotline(ctx, caller, ctx.files.blobPath(file.sha256), {
      acceptPartial: p.partial ?? p.acceptPartial ?? false,
      onProgress: (done, total) => ctl.progress(done, total),
    });
    // A job row is no place for a million errors; the first thousand say what is wrong.
    return { ...result, errors: result.errors.slice(0, 1000), errorCount: result.errors.length };
  });

  ctx.jobs.register(hotlineExportJob, async (job, ctl) => {
    const q = job.params as { from?: string; to?: string; orgUnitId?: string };
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const rows = await exportHotline(ctx, caller, jobOutputPath(ctx.config.dataDir, job.id), {
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      orgUnitId: q.orgUnitId,
    });
    await ctl.progress(rows, rows);
    return { rows, fileName: `12345工单回复-${localDate(new Date())}.xlsx` };
  });
}
