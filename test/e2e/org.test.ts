import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../src/modules/demo/accounts.js';
import { launchBrowser, loginAs, type RunningServer, screenshot, startServer } from './harness.js';

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

describe('org tree and map', () => {
  it('shows Dongsheng’s tree, counts and its 809 grids on a map', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await loginAs(page, server.url, 'district', demoPassword);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.getByRole('menuitem', { name: '组织与网格' }).click();
    await page.getByRole('tree').getByText('东胜区').waitFor();
    const map = page.getByTestId('grid-map');
    await expect.poll(() => map.getAttribute('data-features'), { timeout: 30_000 }).not.toBeNull();
    // 809 grids plus their buildings.
    expect(Number(await map.getAttribute('data-features'))).toBeGreaterThan(809);
    await expect.poll(() => page.locator('.ant-statistic').nth(2).textContent()).toContain('809');
    await screenshot(page, 'org-dongsheng-map');

    // Open a street in the tree and look at its grids list.
    await page.getByRole('tree').locator('.ant-tree-switcher').first().click();
    await page.waitForTimeout(1500);
    await screenshot(page, 'debug-tree');
    await page.getByRole('tree').getByText('交通街道').click();
    await page.getByRole('tab', { name: '网格' }).click();
    await page.getByRole('cell', { name: '第1网格' }).first().waitFor();
    await screenshot(page, 'org-street-grids');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('imports divisions with a progress bar, exports grids, and adds a unit', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await loginAs(page, server.url, 'district', demoPassword);
    await page.getByRole('menuitem', { name: '组织与网格' }).click();
    await page.getByRole('tree').getByText('东胜区').waitFor();

    // District staff may re-import their own district: idempotent, so everything is unchanged.
    await page.getByRole('button', { name: '导入行政区划' }).click();
    const form = page.getByRole('dialog', { name: '导入行政区划' });
    await form.getByLabel(/只导入某盟市或旗县区/).fill('150602');
    await form.getByRole('button', { name: '开始导入' }).click();
    const progress = page.getByTestId('job-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await screenshot(page, 'org-division-import');
    await page.getByRole('button', { name: '关闭' }).last().click();

    await page.getByRole('button', { name: /导出/ }).click();
    await page.getByRole('menuitem', { name: '网格（Excel）' }).click();
    const link = page.getByTestId('job-download');
    await link.waitFor({ timeout: 60_000 });
    expect(await link.textContent()).toMatch(/809 条/);
    await page.getByRole('button', { name: '关闭' }).last().click();

    await page.getByRole('button', { name: '新建下级' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('职能部门').check();
    await dialog.getByLabel('名称').fill('东胜区退役军人事务局');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'detached' });
    // The new department is found by name, with the next department code.
    await page.getByPlaceholder('名称或编码').fill('退役军人');
    await page.getByPlaceholder('名称或编码').press('Enter');
    await page.getByRole('button', { name: /东胜区退役军人事务局/ }).click();
    await page.getByText('150602D10').waitFor();
    await screenshot(page, 'org-new-department');
    await page.close();
  });
});
