import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../src/modules/demo/accounts.js';
import { shanghaiToday } from '../../src/modules/people/validators.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { launchBrowser, loginAs, type RunningServer, screenshot, settled, startServer } from './harness.js';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const id = (birth: string, seq: string) => {
  const body = `150602${birth}${seq}`;
  return body + idNumberCheckChar(body);
};

async function workbookFile(rows: (string | null)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('居民');
  ws.addRow(['姓名', '证件号码', '民族', '手机号', '居住状态', '网格编码', '房屋地址', '人群标签']);
  for (const r of rows) ws.addRow(r);
  const path = join(mkdtempSync(join(tmpdir(), 'people-e2e-')), '居民.xlsx');
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

async function importThroughUi(page: Page, file: string) {
  await page.getByTestId('open-import').click();
  const dialog = await settled(page.getByRole('dialog', { name: '从 Excel 导入居民' }));
  await dialog.locator('input[type=file]').setInputFiles(file);
  await dialog.getByTestId('start-import').click();
  const progress = page.getByTestId('job-progress');
  await expect.poll(() => progress.getAttribute('data-status'), { timeout: 90_000 }).toBe('succeeded');
  expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  return page.getByTestId('import-result').textContent();
}

describe('people register console', () => {
  it('imports a small workbook with a progress bar to 100 %, shows row errors, then finds the people', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'secretary', demoPassword);
    const grid = await page.evaluate(async () => {
      const res = await fetch('/api/grids?pageSize=1&sort=code', { credentials: 'same-origin' });
      return (await res.json()).items[0].code as string;
    });
    await page.getByRole('menuitem', { name: '人口登记' }).click();
    await page.getByTestId('resident-table').waitFor();

    const good = [
      ['那日苏测试', id('19520304', '011'), '蒙古族', '13947711111', '户籍', grid, '测试嘎查1号', '独居'],
      ['王测试', id('19880506', '021'), '汉族', null, '常住', grid, '测试嘎查2号', null],
      ['李测试', id('20150607', '032'), '汉族', null, '流动', grid, '测试嘎查2号', '留守儿童'],
    ];
    const bad = [...good, ['错测试', '150602199001011230', '火星族', null, '户籍', grid, null, null]];
    const refused = await importThroughUi(page, await workbookFile(bad));
    expect(refused).toContain('全部未导入');
    const table = page.getByTestId('import-errors');
    await table.getByText('未知的民族「火星族」').waitFor();
    await screenshot(page, 'people-import-errors');
    await page
      .getByRole('button', { name: /关\s*闭/ })
      .last()
      .click();

    expect(await importThroughUi(page, await workbookFile(good))).toContain('新增 3');
    await screenshot(page, 'people-import-done');
    await page
      .getByRole('button', { name: /关\s*闭/ })
      .last()
      .click();

    await page.getByTestId('resident-search').locator('input').fill('测试');
    await page.getByTestId('resident-search').locator('input').press('Enter');
    await page.getByRole('link', { name: '那日苏测试' }).click();
    await page.getByTestId('resident-page').waitFor();
    // Masked on the page; the secretary may reveal with a reason.
    await page.getByText('150602********').first().waitFor();
    await page.getByRole('button', { name: /查看完整证件号码/ }).click();
    await page.getByLabel('查看理由').fill('核对独居老人信息');
    await page
      .getByRole('button', { name: /确\s*定|OK/ })
      .last()
      .click();
    await page.getByTestId('revealed').getByText(id('19520304', '011')).waitFor();
    await screenshot(page, 'people-person');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('imports a register without codes or 户号 (placed by 现住址, households by address) and opens a household card', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'secretary', demoPassword);
    // A building of the secretary's community, named as a register names it: its address, unit, room.
    const { address, community, grid } = await page.evaluate(async () => {
      const grids = (await (await fetch('/api/grids?pageSize=2&sort=code')).json()).items;
      const b = (await (await fetch(`/api/buildings?orgUnitId=${grids[0].id}&pageSize=1`)).json()).items[0];
      const root = (await (await fetch('/api/org-units')).json()).items[0];
      return {
        address: b.address as string,
        community: root.name as string,
        grid: (grids[1] ?? grids[0]) as { code: string; name: string; communityName: string },
      };
    });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('居民');
    ws.addRow(['姓名', '性别', '身份证号码', '民族', '现住址', '与户主关系', '备注']);
    ws.addRow(['户主测甲', '男', id('19650101', '951'), '汉族', `${address}9单元9901室`, '户主', null]);
    ws.addRow(['配偶测甲', '女', id('19670202', '962'), '汉族', `${address} ９单元 ９９０１`, '妻', null]);
    // Only the community named: its house waits in the first grid for a grid to be chosen.
    ws.addRow(['平房测乙', '男', id('19580303', '973'), '汉族', `${community}平房测试9排9号`, '户主', null]);
    const file = join(mkdtempSync(join(tmpdir(), 'people-e2e-')), '社区登记表.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    await page.getByRole('menuitem', { name: '人口登记' }).click();
    await page.getByTestId('resident-table').waitFor();
    expect(await importThroughUi(page, file)).toContain('新增 3');
    await page.getByTestId('import-result').getByText('新建户 2').waitFor();
    expect(await page.getByTestId('import-at-community').textContent()).toContain(
      '其中 1 行的地址只写到社区',
    );
    await screenshot(page, 'people-register-import');
    await page
      .getByRole('button', { name: /关\s*闭/ })
      .last()
      .click();
    await page.getByTestId('resident-search').locator('input').fill('户主测甲');
    await page.getByTestId('resident-search').locator('input').press('Enter');
    await page.getByRole('link', { name: '户主测甲' }).click();
    const members = page.getByTestId('household-members');
    await members.getByText('配偶测甲').waitFor();
    await members.getByText('户主测甲').waitFor();
    await screenshot(page, 'people-register-household');

    // 房屋 → 待选网格 lists the house; 选择网格 moves it and it leaves the list.
    await page.getByRole('menuitem', { name: '人口登记' }).click();
    await page.getByRole('tab', { name: '房屋' }).click();
    await page.getByTestId('house-needs-grid').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '待选网格' })
      .click();
    const row = page.getByTestId('house-table').getByRole('row', { name: /平房测试9排9号/ });
    await row.getByText('待选网格').waitFor();
    await row.getByRole('button', { name: '选择网格' }).click();
    const dialog = await settled(page.getByRole('dialog', { name: '为 1 处房屋选择网格' }));
    await dialog.getByLabel('网格').fill(grid.code);
    await page.getByTitle(`${grid.communityName} ${grid.name}（${grid.code}）`).click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已为 1 处房屋选定网格，1 位居民随之调整').waitFor();
    await row.waitFor({ state: 'detached' });
    await screenshot(page, 'people-house-grid-chosen');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('counts each house’s households and people, draws 人口统计, and a page that fails says so with a way back', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'secretary', demoPassword);
    // A page whose code cannot load (a weak network, a failed chunk) is caught, named, and left.
    await page.route(/\/assets\/echarts-[^/]+\.js$/, (route) => route.abort());
    await page.goto(`${server.url}/people`);
    const crashed = page.getByTestId('page-crashed');
    await crashed.getByText('此页面出错了').waitFor();
    expect(await crashed.textContent()).toContain('出错的页面：人口登记');
    await screenshot(page, 'console-page-crashed');
    await page.unroute(/\/assets\/echarts-[^/]+\.js$/);
    await crashed.getByRole('button', { name: '回到首页' }).click();
    await crashed.waitFor({ state: 'detached' });
    await page.goto(`${server.url}/people`);

    // 房屋: the demo's houses have households and residents, counted on each row.
    await page.getByRole('tab', { name: '房屋' }).click();
    const houses = page.getByTestId('house-table');
    await houses.locator('tbody tr.ant-table-row').first().waitFor();
    const counts = await houses
      .locator('tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    const header = await houses.locator('thead th').allTextContents();
    const [hh, people] = [header.indexOf('户数'), header.indexOf('居民')];
    expect(hh).toBeGreaterThan(0);
    expect(counts.some((row) => Number(row[hh]) > 0 && Number(row[people]) > 0)).toBe(true);

    // 人口统计 draws its counts and charts (it crashed the console with React error #130).
    await page.getByRole('tab', { name: '人口统计' }).click();
    const stats = page.getByTestId('people-stats');
    await stats.locator('canvas').first().waitFor();
    expect(await stats.locator('canvas').count()).toBeGreaterThanOrEqual(6);
    await screenshot(page, 'people-stats');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('records a move out with a date: Chinese validation, the person leaves the active list, history stays', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'secretary', demoPassword);
    await page.getByRole('menuitem', { name: '人口登记' }).click();
    const first = page.getByTestId('resident-table').getByRole('link').first();
    const name = (await first.textContent())!.trim();
    await first.click();
    await page.getByTestId('resident-page').waitFor();
    const form = page.getByTestId('life-event-form');
    // Nothing chosen: both fields say what is missing, in Chinese.
    await form.getByTestId('event-submit').click();
    await form.getByText('请选择事件：迁入、迁出或死亡').waitFor();
    await form.getByText('请选择日期').waitFor();
    await form.getByTestId('event-kind').click();
    await page.getByTitle('迁出', { exact: true }).click();
    await form.getByTestId('event-date').fill('2099-01-01');
    await form.getByTestId('event-submit').click();
    await form.getByText('日期不能晚于今天').waitFor();
    await form.getByTestId('event-date').fill('2026-01-15');
    await form.getByLabel('说明').fill('迁往呼和浩特');
    await form.getByTestId('event-submit').click();
    await page.getByText('已迁出').first().waitFor();
    await page.getByText('2026-01-15 迁出：迁往呼和浩特').waitFor();
    await screenshot(page, 'people-moved-out');

    // The active list no longer has them; the record (and its history) is still there.
    const url = page.url();
    expect(url).toContain('/people/residents/');
    await page.getByText('返回居民列表').click();
    await page.getByTestId('resident-search').locator('input').fill(name);
    await page.getByTestId('resident-search').locator('input').press('Enter');
    // (A namesake may stay listed: look for this person's own link.)
    const own = page.getByTestId('resident-table').locator(`a[href="${new URL(url).pathname}"]`);
    await expect.poll(() => own.count()).toBe(0);
    await page.goto(url);
    await page.getByText('2026-01-15 迁出：迁往呼和浩特').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('registers a house, makes a household of two in it, adds a member and moves it, all from the console', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'secretary', demoPassword);
    type Grid = { id: string; code: string; name: string; communityName: string };
    const grid = await page.evaluate(
      async () => (await (await fetch('/api/grids?pageSize=1&sort=code')).json()).items[0] as Grid,
    );
    // Two people not yet in any household, and a second house to move to, made through the API.
    const people = [
      ['配偶测乙', id('19720909', '902')],
      ['子女测丙', id('20001010', '903')],
    ];
    await page.evaluate(
      async ({ people, gridId }) => {
        const post = (url: string, json: unknown) =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(json),
          });
        for (const [name, idNumber] of people)
          await post('/api/residents', {
            name,
            idNumber,
            ethnicity: '02',
            residenceStatus: 'registered',
            gridId,
          });
        await post('/api/houses', { gridId, address: '测户嘎查 10 号', use: 'selfOccupied' });
      },
      { people, gridId: grid.id },
    );
    await page.getByRole('menuitem', { name: '人口登记' }).click();

    // 登记房屋: nothing chosen says what is missing; a grid asks for an address.
    await page.getByRole('tab', { name: '房屋' }).click();
    await page.getByTestId('new-house').click();
    const houseDialog = await settled(page.getByRole('dialog', { name: '登记房屋' }));
    await houseDialog.getByRole('button', { name: /保\s*存/ }).click();
    await houseDialog.getByText('请填写所在楼栋或网格').waitFor();
    await houseDialog.getByLabel('所在楼栋或网格').fill(grid.code);
    // Every community has a 第1–7网格: the grid found by its code is named with its community.
    const gridLabel = `${grid.communityName} ${grid.name}`;
    await page.getByTitle(`${gridLabel}（${grid.code}）`).click();
    await houseDialog.getByLabel('房屋地址').fill('测户嘎查 9 号');
    await houseDialog.getByLabel('面积（㎡）').fill('65');
    await houseDialog.getByRole('button', { name: /保\s*存/ }).click();
    await houseDialog.waitFor({ state: 'hidden' });
    const search = page.getByPlaceholder('住址');
    await search.fill('测户嘎查');
    await search.press('Enter');
    const houseRow = page.getByTestId('house-table').getByRole('row', { name: /测户嘎查 9 号/ });
    await houseRow.getByRole('cell', { name: gridLabel, exact: true }).waitFor();

    // A picker searches the server as one types: choose from the answer to this very text.
    const pick = async (picker: ReturnType<Page['getByTestId']>, text: string) => {
      await picker.click();
      const answered = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === text);
      await picker.locator('input').fill(text);
      await answered;
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
        .first()
        .click();
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    };

    // 登记居民 into that house: the house gives the grid.
    await page.getByRole('tab', { name: '居民' }).click();
    await page.getByRole('button', { name: '登记居民' }).click();
    const residentDialog = await settled(page.getByRole('dialog', { name: '登记居民' }));
    await residentDialog.getByRole('button', { name: /保\s*存/ }).click();
    await residentDialog.getByText('请选择房屋或网格').waitFor();
    await residentDialog.getByLabel('姓名').fill('户主测甲');
    await residentDialog.getByLabel('证件号码').fill(id('19700808', '901'));
    await pick(residentDialog.getByTestId('house-picker'), '测户嘎查 9 号');
    await residentDialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('resident-page').getByText('测户嘎查 9 号').waitFor();
    await page.getByText('返回居民列表').click();

    // 新建户: one head exactly; members found by name.
    await page.getByRole('tab', { name: '户' }).click();
    await page.getByTestId('new-household').click();
    const hhDialog = await settled(page.getByRole('dialog', { name: '新建户' }));
    await pick(hhDialog.getByTestId('house-picker'), '测户嘎查 9 号');
    await pick(hhDialog.getByTestId('resident-picker').first(), '户主测甲');
    await hhDialog.getByTestId('add-member-row').click();
    await pick(hhDialog.getByTestId('resident-picker').nth(1), '配偶测乙');
    await hhDialog.getByRole('button', { name: /保\s*存/ }).click();
    await hhDialog.getByText('请填写与户主关系').waitFor();
    const relation = hhDialog.getByTestId('household-member-row').nth(1).getByRole('combobox').nth(1);
    await relation.fill('配偶');
    await page.getByTitle('10 配偶').click();
    await hhDialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('resident-page').waitFor();
    const members = page.getByTestId('household-members');
    await members.getByText('配偶测乙').waitFor();

    // 添加成员, then 整户迁移 to the other house: the card shows the new address.
    await page.getByTestId('add-member').click();
    const add = await settled(page.getByRole('dialog', { name: '添加成员' }));
    await pick(add.getByTestId('resident-picker'), '子女测丙');
    await add.getByRole('combobox').nth(1).fill('子');
    await page.getByTitle('20 子', { exact: true }).click();
    await add.getByRole('button', { name: /保\s*存/ }).click();
    await members.getByText('子女测丙').waitFor();
    await page.getByTestId('move-household').click();
    const move = await settled(page.getByRole('dialog', { name: '整户迁移' }));
    await pick(move.getByTestId('house-picker'), '测户嘎查 10 号');
    await move.getByLabel('日期').fill(shanghaiToday());
    await move.getByRole('button', { name: /保\s*存/ }).click();
    await move.waitFor({ state: 'hidden' });
    await page.getByTestId('household-moves').getByText('由 测户嘎查 9 号 迁至 测户嘎查 10 号').waitFor();
    await screenshot(page, 'people-household-made');
    expect(await members.locator('tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('changes the head of a household from the head’s page: asks what the former head becomes', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'secretary', demoPassword);
    await page.getByRole('menuitem', { name: '人口登记' }).click();
    await page.getByRole('tab', { name: '户' }).click();
    type Row = { id: string; headResidentId: string | null; headName: string; memberCount: number };
    const hh = await page.evaluate(async () => {
      const body = await (await fetch('/api/households?pageSize=50')).json();
      return body.items.find((h: Row) => h.memberCount >= 2 && h.headResidentId) as Row;
    });
    await page.getByRole('link', { name: hh.headName }).first().click();
    await page.getByTestId('resident-page').waitFor();
    const members = page.getByTestId('household-members');
    // Relations are shown by name, the head marked.
    await members.getByText('户主', { exact: true }).waitFor();
    const member = members
      .locator('tbody tr')
      .filter({ hasNot: page.getByText('户主', { exact: true }) })
      .first();
    const name = (await member.locator('td').first().textContent())!.trim();
    await member.getByRole('button', { name: '设为户主' }).click();
    const dialog = await settled(page.getByRole('dialog', { name: `设为户主：${name}` }));
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('请选择原户主与新户主的关系').waitFor();
    await dialog.getByRole('combobox').fill('父亲');
    await page.getByTitle('51 父亲').click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    const newHead = members.locator('tbody tr').filter({ has: page.getByText('户主', { exact: true }) });
    await expect.poll(() => newHead.locator('td').first().textContent()).toBe(name);
    await members.getByText('父亲', { exact: true }).waitFor();
    await screenshot(page, 'people-household-head');
    const after = await page.evaluate(async (id) => (await fetch(`/api/households/${id}`)).json(), hh.id);
    expect(after.headResidentId).not.toBe(hh.headResidentId);
    expect(
      after.members.find((m: { residentId: string }) => m.residentId === hh.headResidentId).relation,
    ).toBe('51');
    expect(errors).toEqual([]);
    await page.close();
  });
  it('exports with full numbers only for a stated reason after the count, then 后台任务 offers the file', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'secretary', demoPassword);
    await page.getByRole('menuitem', { name: '人口登记' }).click();
    await page.getByTestId('resident-table').waitFor();
    await page.getByTestId('resident-search').locator('input').fill('王');
    await page.getByTestId('resident-search').locator('input').press('Enter');
    await page.getByTestId('export').click();
    const dialog = await settled(page.getByRole('dialog', { name: '导出居民' }));
    // Masked by default, and the count comes first.
    const count = dialog.getByTestId('export-count');
    await count.getByText(/将导出 \d+ 人，证件号码和手机号脱敏/).waitFor();
    await dialog.getByText('完整证件号码和手机号').click();
    await count.getByText(/将导出 \d+ 人，其中 \d+ 人含完整证件号码和手机号/).waitFor();
    const [rows, unmasked] = ((await count.textContent()) ?? '').match(/\d+/g)!.map(Number);
    expect(rows).toBeGreaterThan(0);
    expect(unmasked).toBe(rows);
    await dialog.getByTestId('start-export').click();
    await dialog.getByText('请说明导出完整证件号码和手机号的理由（至少 5 个字）').waitFor();
    await screenshot(page, 'people-export-reason');
    await dialog.getByTestId('export-reason').fill('民政局低保年审核对名单');
    await dialog.getByTestId('start-export').click();

    const progress = page.getByTestId('job-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 90_000 }).toBe('succeeded');
    await page.getByTestId('job-download').waitFor();
    await page
      .getByRole('button', { name: /关\s*闭/ })
      .last()
      .click();

    // The dialog is gone; the jobs page names the job in Chinese and offers the file.
    await page.getByRole('menuitem', { name: '后台任务' }).click();
    const row = page.locator('tr', { has: page.locator('[data-kind="resident.export"]') }).first();
    await row.getByText('导出居民').waitFor();
    expect(await row.textContent()).toContain(`条数：${rows}，含完整证件号码和手机号`);
    expect(await page.locator('main').textContent()).not.toMatch(/resident\.export|masked/);
    await screenshot(page, 'people-export-jobs');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByTestId('jobs-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^居民-\d{4}-\d\d-\d\d\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const sheet = wb.worksheets[0];
    expect(sheet.rowCount - 1).toBe(rows);
    const idColumn = (sheet.getRow(1).values as string[]).indexOf('证件号码');
    expect(String(sheet.getRow(2).getCell(idColumn).value)).toMatch(/^\d{17}[\dX]$/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
