import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../src/modules/demo/accounts.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { launchBrowser, loginAs, type RunningServer, screenshot, startServer } from './harness.js';

/** A community worker imports a 12345 workbook in the console, sees a row error, and exports replies. */
let server: RunningServer;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'hotline-e2e-'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A call time inside the demo's rolling year (whose days are already numbered), in Beijing time. */
function daysAgo(days: number, hhmm: string) {
  const day = new Date(Date.now() + 8 * 3600_000 - days * 86400_000).toISOString().slice(0, 10);
  return `${day} ${hhmm}`;
}

async function workbook(path: string) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  ws.addRow(['工单编号', '来电时间', '来电人', '联系电话', '诉求类型', '诉求内容', '事发地址', '办理时限']);
  ws.addRow([
    'E2E-12345-0001',
    daysAgo(10, '09:30'),
    '张先生',
    '13812345678',
    '供暖',
    '暖气不热',
    '锦秀社区某某路 1 号',
    '3个工作日',
  ]);
  ws.addRow([
    'E2E-12345-0002',
    daysAgo(10, '10:30'),
    '李女士',
    '12345',
    '噪音',
    '夜间施工',
    '锦秀社区某某路 2 号',
    '24小时',
  ]);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
}

describe('12345 hotline import page', () => {
  it('imports the good rows, lists the bad one by row and column, and exports the replies', async () => {
    const path = join(dir, '12345.xlsx');
    await workbook(path);
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'worker', demoPassword);
    await page.getByRole('menuitem', { name: /12345 工单导入/ }).click();
    await page.locator('input[type=file]').setInputFiles(path);
    await page.getByRole('button', { name: /开始导入/ }).click();
    const result = page.getByTestId('hotline-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('整表未导入');
    await page.getByRole('cell', { name: '联系电话', exact: true }).waitFor();

    await page.getByText('有错误的行时，仍导入无误的行').click();
    await page.getByRole('button', { name: /开始导入/ }).click();
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('新增 1 件');
    await screenshot(page, 'hotline-import');

    await page.getByRole('button', { name: /导\s*出/ }).click();
    const link = page.getByTestId('hotline-download');
    await link.waitFor({ timeout: 30_000 });
    expect(await link.textContent()).toMatch(/12345工单回复-.*\.xlsx/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
