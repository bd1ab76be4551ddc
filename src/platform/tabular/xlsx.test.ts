import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from './exceljs.js';
import { HeaderError, plainCell, readSheetBatches, writeSheet } from './xlsx.js';

const dir = mkdtempSync(join(tmpdir(), 'grassroots-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns = [
  { key: 'code', header: '工单编号', required: true },
  { key: 'caller', header: '来电人', aliases: ['诉求人'] },
  { key: 'at', header: '来电时间' },
] as const;

async function collect(path: string, batchSize = 2) {
  const rows = [];
  for await (const batch of readSheetBatches(path, columns, { batchSize })) rows.push(batch.length, ...batch);
  return rows;
}

describe('xlsx streaming', () => {
  it('round-trips rows written by writeSheet, in batches, finding columns by header', async () => {
    const path = join(dir, 'out.xlsx');
    const at = new Date('2026-11-24T02:30:00Z');
    const written = await writeSheet(
      path,
      '工单',
      [
        { header: '来电时间', value: (r: any) => r.at },
        { header: '工单编号', value: (r: any) => r.code },
        { header: '诉求人', value: (r: any) => r.caller },
      ],
      (async function* () {
        for (let i = 1; i <= 3; i++) yield { code: `GD2026112400${i}`, caller: i === 2 ? null : '张三', at };
      })(),
    );
    expect(written).toBe(3);
    const rows = await collect(path);
    expect(rows).toEqual([
      2,
      { row: 2, values: { code: 'GD20261124001', caller: '张三', at } },
      { row: 3, values: { code: 'GD20261124002', caller: null, at } },
      1,
      { row: 4, values: { code: 'GD20261124003', caller: '张三', at } },
    ]);
  });

  it('finds a header below a title row and skips blank rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导出');
    ws.addRow(['东胜区12345工单导出']);
    ws.addRow([' 工单 编号 ', '来电人']);
    ws.addRow(['A1', { richText: [{ text: '李' }, { text: '四' }] }]);
    ws.addRow([]);
    ws.addRow([{ formula: '"A"&2', result: 'A2' }, '  ']);
    const path = join(dir, 'title.xlsx');
    await wb.xlsx.writeFile(path);
    const rows = await collect(path, 10);
    expect(rows).toEqual([
      2,
      { row: 3, values: { code: 'A1', caller: '李四', at: null } },
      { row: 5, values: { code: 'A2', caller: null, at: null } },
    ]);
  });

  it('names a missing required column before reading any row', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['来电人', '来电时间']);
    const path = join(dir, 'missing.xlsx');
    await wb.xlsx.writeFile(path);
    const err = await collect(path).catch((e) => e);
    expect(err).toBeInstanceOf(HeaderError);
    expect(err.errors).toEqual([{ row: 1, column: '工单编号', message: '缺少必填列「工单编号」' }]);
  });

  it('flattens the cell shapes ExcelJS produces', () => {
    expect(plainCell({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(plainCell({ error: '#N/A' })).toBeNull();
    expect(plainCell('  ')).toBeNull();
    expect(plainCell(12)).toBe(12);
  });

  it("refuses a sheet past its row limit, a row past the column limit and a cell past Excel's length, naming each", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['工单编号']);
    for (let i = 1; i <= 5; i++) ws.addRow([`A${i}`]);
    const rowsPath = join(dir, 'rows.xlsx');
    await wb.xlsx.writeFile(rowsPath);
    const tooMany = await (async () => {
      for await (const _ of readSheetBatches(rowsPath, columns, { maxRows: 4 }));
    })().catch((e) => e);
    expect(tooMany).toBeInstanceOf(HeaderError);
    expect(tooMany.limit).toBe('rows');
    expect(tooMany.errors).toEqual([
      { row: 5, column: '', message: '工作表超过 4 行的上限；请拆分为多个文件导入' },
    ]);

    const wide = new ExcelJS.Workbook();
    const row = wide.addWorksheet('x').addRow(['工单编号']);
    row.getCell(1001).value = 'far';
    const widePath = join(dir, 'wide.xlsx');
    await wide.xlsx.writeFile(widePath);
    const err = await collect(widePath).catch((e) => e);
    expect(err.limit).toBe('columns');
    expect(err.errors[0].message).toBe('该行有 1001 列，超过 1000 列的上限');

    const long = new ExcelJS.Workbook();
    const sheet = long.addWorksheet('x');
    sheet.addRow(['工单编号']);
    sheet.addRow(['户'.repeat(32_768)]);
    const longPath = join(dir, 'long.xlsx');
    await long.xlsx.writeFile(longPath);
    const cell = await collect(longPath).catch((e) => e);
    expect(cell.limit).toBe('cellChars');
    expect(cell.errors).toEqual([
      { row: 2, column: '工单编号', message: '单元格内容 32768 个字符，超过 32767 个字符的上限' },
    ]);
  });
});
