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
    await page.getByRole('tree').getByText('交通街道').click();
    await page.getByRole('tab', { name: '网格' }).click();
    await page.getByRole('cell', { name: '第1网格' }).first().waitFor();
    await screenshot(page, 'org-street-grids');
    expect(errors).toEqual([]);
    await page.close();
  });
});
