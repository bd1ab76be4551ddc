import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../src/modules/demo/accounts.js';
import { lastLocalMonths } from '../../src/platform/calendar/local-time.js';
import { launchBrowser, loginAs, type RunningServer, screenshot, startServer } from './harness.js';

/**
 * The statistics dashboard in Chromium: a few work orders filed and handled through the API, then
 * the district's dashboard shows them in the KPI cards, the charts, the map and the overdue list.
 */
let server: RunningServer;
let browser: Browser;

async function token(username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function apiAs(tok: string, path: string, json?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${tok}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  return body;
}

let before: number;

beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
  const worker = await token('worker');
  const me = await apiAs(worker, '/api/auth/me');
  const community = me.assignments[0].orgUnitId;
  const district = await token('district');
  const year = lastLocalMonths(12);
  const range = new URLSearchParams({ from: year.from.toISOString(), to: year.to.toISOString() });
  before = (await apiAs(district, `/api/work-orders/stats?${range}`)).summary.total;
  const cats = (await apiAs(worker, '/api/work-order-categories')) as any[];
  const leaf = cats.filter((c) => c.parentCode);
  for (let i = 0; i < 4; i++) {
    // Filed and handled by the district, whose reach covers whichever grid the point falls in.
    const { id } = await apiAs(district, '/api/work-orders', {
      channel: i % 2 ? 'hotline' : 'patrol',
      categoryId: leaf[i % leaf.length].id,
      description: `统计看板测试诉求第 ${i + 1} 件`,
      placeId: community,
      lng: 109.95 + i * 0.002,
      lat: 39.81,
    });
    if (i < 2) {
      await apiAs(district, `/api/work-orders/${id}/events`, { type: 'accepted' });
      await apiAs(district, `/api/work-orders/${id}/events`, { type: 'closed', outcome: 'resolved' });
    }
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('work-order statistics dashboard', () => {
  it('shows the district its rates, trend, category mix, channels, boards and open items on the map', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'district', demoPassword);
    await page.getByRole('menuitem', { name: /工单统计$/ }).click();
    await page
      .getByTestId('wo-stats')
      .waitFor()
      .catch(async (e) => {
        await screenshot(page, 'work-order-stats-failed');
        throw new Error(`${e.message}\nurl ${page.url()}\npage errors: ${errors.join('; ')}`);
      });
    const total = page.getByTestId('kpi-total').locator('.ant-statistic-content-value');
    await expect
      .poll(async () => Number((await total.textContent())?.replace(/,/g, '')), { timeout: 20_000 })
      .toBe(before + 4);
    await expect
      .poll(async () => (await page.getByTestId('kpi-resolvedRate').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/\d+\.\d%/);
    // Trend, categories, channels: three ECharts canvases.
    await expect
      .poll(() => page.locator('[data-testid="wo-stats"] canvas').count())
      .toBeGreaterThanOrEqual(3);
    await expect
      .poll(async () => Number(await page.getByTestId('points-map').getAttribute('data-points')), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(2);
    // The browser runs on UTC; the period is still cut at Beijing midnight on the 1st of a month.
    expect(await page.getByText(/统计期间/).textContent()).toMatch(
      /\d{4}\/\d{2}\/01 00:00 至 \d{4}\/\d{2}\/01 00:00/,
    );
    // The map shows the same open orders as the 未结案 card (and says how many have no point).
    const open = Number(
      (await page.getByTestId('kpi-open').locator('.ant-statistic-content-value').textContent())?.replace(
        /,/g,
        '',
      ),
    );
    await page.getByTestId('points-map').waitFor();
    const title = (await page.getByTestId('wo-map-title').textContent()) ?? '';
    const [onMap, unlocated = 0] = (title.match(/\d+/g) ?? []).map(Number);
    expect(onMap + unlocated, title).toBe(open);
    await page.getByText('红榜').first().waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, 'work-order-stats');
    expect(errors).toEqual([]);
    await page.close();
  });
});
