import { type Cell, type ColumnSpec, type RowError, writeSheet } from '../../platform/tabular/xlsx.js';

/** What a workbook import reports, whatever it imports. */
export interface WorkbookImportResult {
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

/**
 * The rows a workbook import refused: counted on its result, reported by row and column (the first
 * 1,000 errors), and kept (the first 20,000 rows) for the rejected-rows workbook the user fixes and
 * imports again.
 */
export class Rejects<K extends string> {
  /** Values null: a row found bad by a check over the whole file; the caller reads its cells again. */
  readonly rows: { row: number; values: Record<K, Cell> | null; reason: string }[] = [];

  constructor(private result: { rejected: number; errors: RowError[]; errorsTruncated: boolean }) {}

  add(row: number, values: Record<K, Cell> | null, errors: { column: string; message: string }[]) {
    this.result.rejected++;
    for (const e of errors) {
      if (this.result.errors.length < maxErrors)
        this.result.errors.push({ row, column: e.column, message: e.message });
      else this.result.errorsTruncated = true;
    }
    if (this.rows.length < maxRejectedRows)
      this.rows.push({ row, values, reason: errors.map((e) => `${e.column}：${e.message}`).join('；') });
  }

  /** The kept rows in the import's own columns with an 错误原因 column, as an xlsx at `path`. */
  write(path: string, columns: readonly ColumnSpec<K>[]) {
    return writeSheet<Rejects<K>['rows'][number]>(
      path,
      '未导入的行',
      [
        ...columns.map((c) => ({
          header: c.header,
          value: (r: { values: Record<K, Cell> | null }) => (r.values?.[c.key] ?? null) as Cell,
        })),
        { header: '错误原因', width: 40, value: (r) => r.reason },
      ],
      this.rows,
    );
  }
}

/** What identifies a house: its building, unit and room, or its grid and address (none: the grid only). */
export const houseKey = (h: {
  buildingId: string | null;
  unit: number | null;
  room: string | null;
  gridId: string;
  address: string | null;
}) =>
  h.buildingId
    ? `b:${h.buildingId}|${h.unit ?? ''}|${h.room}`
    : h.address
      ? `g:${h.gridId}|${h.address}`
      : `g:${h.gridId}`;
