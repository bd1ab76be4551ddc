import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apiClient,
  demoPassword,
  launchBrowser,
  loginAs,
  type RunningServer,
  startServer,
} from './harness.js';

/**
 * Names and titles are users' input, and Leaflet's tooltips take HTML (issue 14, finding 7): a grid
 * named like an <img> tag and a work order titled like one must show as text on the org map and
 * the statistics map, and no element may be made of them.
 */
let server: RunningServer;
let browser: Browser;
const { token, apiAs } = apiClient(() => server.url);
const gridName = '<img src=x onerror=alert(31)>';
const title = '<img src=x onerror=alert(32)>';

beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
  const secretary = await token('secretary');
  const me = (await apiAs(secretary, '/api/auth/me')).body;
  const community = me.assignments[0].orgUnitId;
  const grids = await apiAs(secretary, `/api/grids?orgUnitId=${community}&pageSize=1`);
  const grid = grids.body.items[0];
  const renamed = await apiAs(secretary, `/api/grids/${grid.id}`, {
    method: 'PATCH',
    json: { name: gridName },
  });
  expect(renamed.status, renamed.raw).toBe(200);
  const shape = (await apiAs(secretary, `/api/grids/${grid.id}`)).body.boundary.coordinates[0] as number[][];
  const [lng, lat] = [0, 1].map((i) => shape.reduce((s, p) => s + p[i], 0) / shape.length);
  const cats = (await apiAs(secretary, '/api/work-order-categories')).body as {
    parentCode: string | null;
    id: string;
  }[];
  const filed = await apiAs(secretary, '/api/work-orders', {
    json: {
      channel: 'patrol',
      categoryId: cats.find((c) => c.parentCode)!.id,
      title,
      description: '地图提示框里的标题应当按原文显示',
      placeId: grid.id,
      lng,
      lat,
    },
  });
  expect(filed.status, filed.raw).toBe(201);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Records every Leaflet map the page creates, so a test can open a layer's tooltip as hovering does. */
const recordMaps = (page: Page) =>
  page.addInitScript(() => {
    const w = window as any;
    w.__maps = [];
    let leaflet: any;
    Object.defineProperty(w, 'L', {
      configurable: true,
      get: () => leaflet,
      set: (value) => {
        leaflet = value;
        value?.Map?.addInitHook(function (this: unknown) {
          w.__maps.push(this);
        });
      },
    });
  });

/** Opens the tooltip whose content mentions `marker` and returns what the page shows in it. */
async function openTooltip(page: Page, marker: string) {
  await expect
    .poll(
      () =>
        page.evaluate((m) => {
          for (const map of (window as any).__maps) {
            let found: any = null;
            map.eachLayer((l: any) => {
              if (!found && String(l.getTooltip?.()?.getContent() ?? '').includes(m)) found = l;
            });
            if (found) {
              found.openTooltip(found.getLatLng?.() ?? found.getCenter());
              return true;
            }
          }
          return false;
        }, marker),
      { timeout: 30_000 },
    )
    .toBe(true);
  const tooltip = page.locator('.leaflet-tooltip').last();
  await tooltip.waitFor();
  return {
    text: await tooltip.textContent(),
    images: await page.locator('.leaflet-tooltip img').count(),
  };
}

describe('map tooltips', () => {
  it('show grid names and work-order titles as text on the org and statistics maps', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      return d.dismiss();
    });
    await recordMaps(page);
    await loginAs(page, server.url, 'secretary', demoPassword);

    await page.getByRole('menuitem', { name: '组织与网格' }).click();
    await expect
      .poll(() => page.getByTestId('grid-map').getAttribute('data-features'), { timeout: 30_000 })
      .not.toBeNull();
    const grid = await openTooltip(page, 'alert(31)');
    expect(grid.text).toContain(gridName);
    expect(grid.images).toBe(0);

    await page.getByRole('menuitem', { name: /工单统计$/ }).click();
    await expect
      .poll(async () => Number(await page.getByTestId('points-map').getAttribute('data-points')), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const point = await openTooltip(page, 'alert(32)');
    expect(point.text).toContain(title);
    expect(point.images).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps one map per page and removes a zooming map without an error', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await recordMaps(page);
    await loginAs(page, server.url, 'secretary', demoPassword);
    const mapsMade = () => page.evaluate(() => (window as any).__maps.length as number);
    /** Waits until the map numbered `i` has no zoom pending (and, if `removed`, is gone). */
    const settledMap = (i: number, removed: boolean) =>
      expect
        .poll(
          () =>
            page.evaluate(
              ([n, gone]) => {
                const map = (window as any).__maps[n];
                return !map._animatingZoom && (!gone || !map._mapPane);
              },
              [i, removed] as const,
            ),
          { timeout: 10_000 },
        )
        .toBe(true);

    // The statistics page re-renders as each of its queries answers; its map is made once.
    const before = await mapsMade();
    await page.getByRole('menuitem', { name: /工单统计$/ }).click();
    await expect
      .poll(async () => Number(await page.getByTestId('points-map').getAttribute('data-points')), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    expect(await mapsMade()).toBe(before + 1);

    // Leave a map that keeps zooming (as a wheel does): it is removed once its zoom has ended.
    const stats = await page.evaluate(() => {
      const maps = (window as any).__maps;
      const map = maps[maps.length - 1];
      let step = 1;
      const zoom = () => {
        if (!map._mapPane) return;
        step = -step;
        if (!map._animatingZoom) map.setZoom(map.getZoom() + step);
        requestAnimationFrame(zoom);
      };
      zoom();
      return maps.length - 1;
    });
    await page.getByRole('menuitem', { name: '组织与网格' }).click();
    await settledMap(stats, true);
    await expect
      .poll(() => page.getByTestId('grid-map').getAttribute('data-features'), { timeout: 30_000 })
      .not.toBeNull();

    // Another unit in the tree while the map zooms: the same map shows it, nothing is re-created.
    await page.locator('.ant-tree-switcher').first().click();
    const child = page.locator('.ant-tree-node-content-wrapper').nth(1);
    await child.waitFor();
    const org = (await mapsMade()) - 1;
    await page.evaluate(async (i) => {
      const map = (window as any).__maps[i];
      map.zoomIn();
      while (!map._animatingZoom) await new Promise(requestAnimationFrame);
    }, org);
    await child.click();
    await settledMap(org, false);
    expect(await mapsMade()).toBe(org + 1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
