import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import './exceljs.js';
import { readSheetBatches, writeSheet } from './xlsx.js';

it('reads Chinese text split across stream chunks without replacement characters', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xlsx-utf8-'));
  const path = join(dir, 'big.xlsx');
  const words = ['汉族', '蒙古族', '户籍', '常住', '流动', '中共党员', '群众'];
  const rows = Array.from({ length: 30_000 }, (_, i) => i);
  await writeSheet(path, '居民', [{ header: '值', value: (i: number) => `${words[i % 7]}${i}` }], rows);
  let n = 0;
  for await (const batch of readSheetBatches(path, [{ key: 'v', header: '值' }]))
    for (const r of batch) {
      expect(r.values.v).toBe(`${words[n % 7]}${n}`);
      n++;
    }
  expect(n).toBe(30_000);
  rmSync(dir, { recursive: true, force: true });
});

it('keeps reading zip entries pushed after an early hand-emitted end, as unzipper does when its input is written', async () => {
  // What ExcelJS's reader now iterates the zip with (exceljs.ts replaced the module).
  const iterateStream = createRequire(import.meta.url)('exceljs/lib/utils/iterate-stream.js') as (
    s: Readable,
  ) => AsyncIterable<string>;
  const zip = new Readable({ objectMode: true, read() {} });
  zip.push('xl/_rels/workbook.xml.rels');
  zip.push('xl/worksheets/sheet1.xml');
  const seen: string[] = [];
  for await (const entry of iterateStream(zip)) {
    seen.push(entry);
    if (seen.length === 1) {
      // unzipper's Parse on 'finish': 'end' by hand while entries are still to come.
      zip.emit('end');
      setTimeout(() => {
        zip.push('xl/workbook.xml');
        zip.push(null);
      }, 20);
    }
  }
  expect(seen).toEqual(['xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/workbook.xml']);
});
