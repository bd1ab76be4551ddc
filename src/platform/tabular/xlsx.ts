import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import ExcelJS, { type Row } from './exceljs.js';
import { checkWorkbookFile, limitMessages, WorkbookLimitError, workbookLimits } from './limits.js';

/**
 * Streaming xlsx in and out, for imports and exports of any size: rows are read and written one at
 * a time, so memory does not grow with the file. Columns are found by their header text (and
 * aliases), as the 12345 and register workbooks people actually have name them.
 */
export interface ColumnSpec<K extends string = string> {
  key: K;
  header: string;
  aliases?: readonly string[];
  required?: boolean;
}

/** A problem in a workbook, located as a user would look for it: sheet row number and column header. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

export type Cell = string | number | boolean | Date | null;

export interface SheetRow<K extends string> {
  /** 1-based row number in the sheet (the header is row 1 or wherever it was found). */
  row: number;
  values: Record<K, Cell>;
}

/** Flattens ExcelJS cell values (rich text, formulas, hyperlinks, errors) to plain values. */
export function plainCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  const v = value as Record<string, any>;
  if (Array.isArray(v.richText)) return plainCell(v.richText.map((r: { text: string }) => r.text).join(''));
  if ('result' in v) return plainCell(v.result);
  if ('text' in v) return plainCell(v.text);
  if ('error' in v) return null;
  return plainCell(String(value));
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

export interface ReadOptions {
  /** Rows per batch handed to the caller (one transaction each, typically). */
  batchSize?: number;
  /** Bytes of the file read so far, for a progress bar (row counts are unknown while streaming). */
  onBytes?: (read: number, total: number) => void | Promise<void>;
  /** Fewer rows than workbookLimits.rows, for an import that must stay short (it holds one transaction). */
  maxRows?: number;
}

/** The workbook cannot be read as a whole: a missing column, or a limit (`limit` names it). */
export class HeaderError extends Error {
  constructor(
    readonly errors: RowError[],
    readonly limit?: WorkbookLimitError['limit'],
  ) {
    super(errors.map((e) => e.message).join('；'));
  }
}

/** The columns the caller asked for, by header: which one a too-long cell is in. */
function columnName<K extends string>(
  index: Map<number, K> | null,
  columns: readonly ColumnSpec<K>[],
  col: number,
) {
  const key = index?.get(col);
  return key ? (columns.find((c) => c.key === key)?.header ?? '') : '';
}

/** Row, column and cell limits on one row as ExcelJS read it; throws HeaderError naming the limit. */
function checkRow<K extends string>(
  row: Row,
  count: number,
  cells: Cell[],
  index: Map<number, K> | null,
  columns: readonly ColumnSpec<K>[],
  maxRows: number,
) {
  const refuse = (limit: WorkbookLimitError['limit'], column: string, message: string): never => {
    throw new HeaderError([{ row: row.number, column, message }], limit);
  };
  if (Math.max(count, row.number || 0) > maxRows) refuse('rows', '', limitMessages.rows(maxRows));
  if (cells.length - 1 > workbookLimits.columns)
    refuse('columns', '', limitMessages.columns(cells.length - 1));
  cells.forEach((c, col) => {
    if (typeof c === 'string' && c.length > workbookLimits.cellChars)
      refuse('cellChars', columnName(index, columns, col), limitMessages.cellChars(c.length));
  });
}

/**
 * Reads the first worksheet of an xlsx file in batches. The header row is the first row that
 * names every required column; a missing required column throws HeaderError before any row is read.
 * So does a workbook over a limit (workbookLimits): its declared size before reading anything, its
 * rows, columns and cells as they come.
 */
export async function* readSheetBatches<K extends string>(
  path: string,
  columns: readonly ColumnSpec<K>[],
  opts: ReadOptions = {},
): AsyncGenerator<SheetRow<K>[]> {
  try {
    checkWorkbookFile(path);
    yield* readChecked(path, columns, opts);
  } catch (err) {
    if (err instanceof WorkbookLimitError)
      throw new HeaderError([{ row: 0, column: '', message: err.message }], err.limit);
    throw err;
  }
}

async function* readChecked<K extends string>(
  path: string,
  columns: readonly ColumnSpec<K>[],
  opts: ReadOptions,
): AsyncGenerator<SheetRow<K>[]> {
  const total = statSync(path).size;
  let read = 0;
  const counter = new Transform({
    transform(chunk, _enc, done) {
      read += chunk.length;
      done(null, chunk);
    },
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path).pipe(counter), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  const batchSize = opts.batchSize ?? 1000;
  for await (const sheet of reader) {
    let index: Map<number, K> | null = null;
    let batch: SheetRow<K>[] = [];
    // Rows as read, besides their numbers: a crafted sheet may repeat or leave out `r`.
    let count = 0;
    for await (const row of sheet as AsyncIterable<Row>) {
      const cells = (row.values as unknown[]).map(plainCell);
      checkRow(
        row,
        ++count,
        cells,
        index,
        columns,
        Math.min(opts.maxRows ?? workbookLimits.rows, workbookLimits.rows),
      );
      if (!index) {
        index = headerIndex(cells, columns);
        if (index) continue;
        if (row.number >= 10) throw new HeaderError(missingHeaders(cells, columns));
        continue;
      }
      if (cells.every((c) => c === null)) continue;
      const values = {} as Record<K, Cell>;
      for (const c of columns) values[c.key] = null;
      for (const [col, key] of index) values[key] = cells[col] ?? null;
      batch.push({ row: row.number, values });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
        await opts.onBytes?.(read, total);
      }
    }
    if (!index) throw new HeaderError(missingHeaders([], columns));
    if (batch.length) yield batch;
    await opts.onBytes?.(total, total);
    return; // the first worksheet only
  }
  throw new HeaderError([{ row: 1, column: '', message: '工作簿中没有工作表' }]);
}

function headerIndex<K extends string>(
  cells: Cell[],
  columns: readonly ColumnSpec<K>[],
): Map<number, K> | null {
  const index = new Map<number, K>();
  cells.forEach((cell, col) => {
    if (typeof cell !== 'string') return;
    const found = columns.find((c) => [c.header, ...(c.aliases ?? [])].some((h) => norm(h) === norm(cell)));
    if (found && ![...index.values()].includes(found.key)) index.set(col, found.key);
  });
  const keys = new Set(index.values());
  return index.size > 0 && columns.every((c) => !c.required || keys.has(c.key)) ? index : null;
}

function missingHeaders<K extends string>(cells: Cell[], columns: readonly ColumnSpec<K>[]): RowError[] {
  const present = new Set(cells.filter((c): c is string => typeof c === 'string').map(norm));
  return columns
    .filter((c) => c.required && ![c.header, ...(c.aliases ?? [])].some((h) => present.has(norm(h))))
    .map((c) => ({ row: 1, column: c.header, message: `缺少必填列「${c.header}」` }));
}

export interface WriteColumn<R> {
  header: string;
  width?: number;
  value: (row: R) => Cell | undefined;
}

/** Writes rows to an xlsx file as they come (header row frozen and bold). Returns the row count. */
export async function writeSheet<R>(
  path: string,
  sheetName: string,
  columns: WriteColumn<R>[],
  rows: AsyncIterable<R> | Iterable<R>,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 14 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let count = 0;
  for await (const r of rows) {
    sheet.addRow(columns.map((c) => c.value(r) ?? null)).commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
