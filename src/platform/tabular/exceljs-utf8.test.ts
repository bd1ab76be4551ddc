import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
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
