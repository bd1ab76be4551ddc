import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mobile as mn } from '../../src/i18n/mn/mobile.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import {
  apiClient,
  demoPassword,
  launchBrowser,
  loginOnPhone,
  phoneContext,
  phoneShot,
  type RunningServer,
  startServer,
} from './harness.js';

/**
 * The mobile app's grid-worker and sign-up parts in real Chromium at 375×667: a building opened from
 * a photo of its real QR code (headless Chromium has no camera) and by its typed code, a household
 * visit with a photo and a tag change (also offline: it arrives exactly once), quick edits of a
 * resident's phone and tags, 迁出, and a resident registering with a community found by name.
 */

let server: RunningServer;
let browser: Browser;
let qrPhoto: string;
let smallPhoto: string;
let building: { id: string; code: string; name: string };

const { token, apiAs } = apiClient(() => server.url);

beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
  const dir = mkdtempSync(join(tmpdir(), 'grassroots-m-worker-'));
  const gw = await token('gridworker');
  const grid = (await apiAs(gw, '/api/my-grid')).body.grids[0];
  building = grid.buildings.find((b: any) => b.residents > 1);
  expect(building, 'a demo building with residents in the grid worker’s grid').toBeTruthy();
  // The building's real QR code, as the server draws it (qrcode → SVG), photographed: rasterised,
  // set off-centre on a larger grey "wall" the way a phone photo of a door plate looks.
  const svg = await fetch(`${server.url}/api/buildings/${building.id}/qr.svg`, {
    headers: { authorization: `Bearer ${gw}` },
  });
  expect(svg.status).toBe(200);
  const qr = await sharp(Buffer.from(await svg.text()), { density: 300 })
    .resize(520)
    .png()
    .toBuffer();
  qrPhoto = join(dir, 'door-plate.jpg');
  await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 180, g: 176, b: 168 } } })
    .composite([{ input: qr, left: 610, top: 280 }])
    .jpeg({ quality: 85 })
    .toFile(qrPhoto);
  smallPhoto = join(dir, 'visit.jpg');
  await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 120, g: 150, b: 190 } } })
    .jpeg()
    .toFile(smallPhoto);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('mobile app for grid workers', () => {
  it('opens a building from a photo of its QR code, records a visit, edits a resident, moves one out', async () => {
    const gw = await token('gridworker');
    const ctx = await phoneContext(browser);
    const page = await loginOnPhone(ctx, server.url, 'gridworker');
    await page.getByRole('button', { name: '我的网格' }).click();
    await page.getByRole('heading', { name: '我的网格' }).waitFor();
    await page.getByText(building.name).first().waitFor();
    await phoneShot(page, 'mobile-grid');

    // The file-picker path of the scanner (no camera in headless Chromium): a photo of the code.
    const scanChunk = page.waitForResponse((r) => /\/assets\/scan-[\w-]+\.js$/.test(r.url()));
    await page.getByTestId('qr-photo-input').setInputFiles(qrPhoto);
    await scanChunk; // ZXing is fetched only now, not with the first screen
    await page
      .getByRole('heading', { name: building.name })
      .waitFor()
      .catch(async (err) => {
        throw new Error(`not opened: ${await page.locator('main').textContent()}\n${err}`);
      });
    expect(page.url()).toBe(`${server.url}/m/building/${building.id}`);
    await page.getByTestId('house').first().waitFor();
    await phoneShot(page, 'mobile-building');

    // Residents of the building as the API lists them appear in the app.
    const people = (await apiAs(gw, `/api/residents?orgUnitId=${building.id}&pageSize=200`)).body.items;
    expect(people.length).toBeGreaterThan(1);
    const person = people.find((p: any) => !p.tags.includes('livesAlone')) ?? people[0];
    await page
      .getByRole('button', { name: new RegExp(person.name) })
      .first()
      .click();
    await page.getByRole('heading', { name: person.name }).waitFor();

    // A household visit with notes, a photo and a tag added.
    const visit = page.getByRole('form', { name: '入户走访' });
    await visit.getByLabel('走访记录').fill('老人身体尚好，反映楼道灯不亮');
    await visit.getByTestId('photo-input').setInputFiles(smallPhoto);
    await visit.getByText(/已压缩为 \d+ KB/).waitFor();
    const tagOn = !person.tags.includes('livesAlone');
    await visit.getByRole('button', { name: '独居' }).click();
    await phoneShot(page, 'mobile-visit');
    await visit.getByRole('button', { name: '提交走访' }).click();
    await page.getByTestId('visits').getByText('老人身体尚好，反映楼道灯不亮').waitFor();
    const visits = (await apiAs(gw, `/api/residents/${person.id}/visits`)).body.items;
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ notes: '老人身体尚好，反映楼道灯不亮' });
    expect(visits[0].photos).toHaveLength(1);
    expect(tagOn ? visits[0].tagsAdded : visits[0].tagsRemoved).toEqual(['livesAlone']);
    const afterVisit = (await apiAs(gw, `/api/residents/${person.id}`)).body;
    expect(afterVisit.tags.includes('livesAlone')).toBe(tagOn);

    // Quick edit: a new phone number and one more tag.
    const quick = page.getByRole('form', { name: '快速修改' });
    await quick.getByLabel('新手机号').fill('13904770199');
    await quick.getByRole('button', { name: '退役军人' }).click();
    await quick.getByRole('button', { name: '保存修改' }).click();
    await expect.poll(() => page.getByTestId('resident-phone').textContent()).toMatch(/0199$/);
    const edited = (await apiAs(gw, `/api/residents/${person.id}`)).body;
    expect(edited.phone).toMatch(/^139\*+0199$/);
    expect(edited.tags.includes('veteran')).toBe(!afterVisit.tags.includes('veteran'));

    // Offline: a second visit waits as 待发送, then arrives exactly once.
    await ctx.setOffline(true);
    await visit.getByLabel('走访记录').fill('二次走访：已联系物业修灯（离线登记）');
    await visit.getByRole('button', { name: '提交走访' }).click();
    await page.getByTestId('outbox-item').getByText('待发送').waitFor();
    await phoneShot(page, 'mobile-visit-offline');
    expect((await apiAs(gw, `/api/residents/${person.id}/visits`)).body.items).toHaveLength(1);
    await ctx.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-item').count(), { timeout: 30_000 }).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForTimeout(1000);
    const both = (await apiAs(gw, `/api/residents/${person.id}/visits`)).body.items;
    expect(both.map((v: any) => v.notes).sort()).toEqual(
      ['二次走访：已联系物业修灯（离线登记）', '老人身体尚好，反映楼道灯不亮'].sort(),
    );

    // 迁出 (moved out), confirmed in a dialog.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '登记迁出' }).click();
    await expect
      .poll(async () => (await apiAs(gw, `/api/residents/${person.id}?`)).body.status, { timeout: 15_000 })
      .toBe('movedOut');
    await page.getByText('已迁出').first().waitFor();

    // A typed building code (no camera, no photo) opens the same building; a wrong one says so.
    await page.getByRole('button', { name: '我的网格' }).click();
    await page.getByLabel('楼栋编码').fill('NOPE-404');
    await page.getByRole('button', { name: '打开' }).click();
    await page.getByRole('alert').getByText('没有找到这个楼栋').waitFor();
    await page.getByLabel('楼栋编码').fill(building.code.slice(-4));
    await page.getByRole('button', { name: '打开' }).click();
    await page.getByRole('heading', { name: building.name }).waitFor();

    // The QR link opened by the phone's own camera app lands on /m/b/<token>.
    const admin = await apiAs(gw, `/api/buildings/${building.id}`);
    await page.goto(`${server.url}/m/b/${admin.body.qrToken}`);
    await page.getByRole('heading', { name: building.name }).waitFor();
    await ctx.close();
  });
});

describe('a high-rise on the phone', () => {
  it('shows every house past one page of 200, unit by unit and rooms in number order, with its people', async () => {
    const gw = await token('gridworker');
    const street = await token('street');
    const grid = (await apiAs(gw, '/api/my-grid')).body.grids[0];
    // Beside a building of the grid: the position must lie inside the grid.
    const { lng, lat } = (await apiAs(gw, `/api/buildings/${grid.buildings[0].id}`)).body;
    const tower = await apiAs(street, '/api/buildings', {
      json: { gridId: grid.id, name: '高层测试楼', lng, lat },
    });
    expect(tower.status, tower.raw).toBe(201);
    // 3 units × 18 floors × 4 rooms = 216 houses, made in parallel runs of 12.
    const rooms = [1, 2, 3].flatMap((unit) =>
      Array.from({ length: 72 }, (_, i) => ({
        unit,
        room: String((Math.floor(i / 4) + 1) * 100 + (i % 4) + 1),
      })),
    );
    const made: Record<string, string> = {};
    for (let i = 0; i < rooms.length; i += 12)
      await Promise.all(
        rooms.slice(i, i + 12).map(async (r) => {
          const h = await apiAs(street, '/api/houses', {
            json: { buildingId: tower.body.id, unit: r.unit, room: r.room, use: 'selfOccupied' },
          });
          expect(h.status, h.raw).toBe(201);
          made[`${r.unit}-${r.room}`] = h.body.id;
        }),
      );
    const body = '15060219700707123';
    const top = await apiAs(street, '/api/residents', {
      json: {
        name: '顶楼测试',
        idNumber: body + idNumberCheckChar(body),
        ethnicity: '01',
        residenceStatus: 'registered',
        houseId: made['3-1804'],
      },
    });
    expect(top.status, top.raw).toBe(201);

    const ctx = await phoneContext(browser);
    const page = await loginOnPhone(ctx, server.url, 'gridworker');
    await page.goto(`${server.url}/m/building/${tower.body.id}`);
    await page.getByRole('heading', { name: '高层测试楼' }).waitFor();
    await expect.poll(() => page.getByTestId('house').count(), { timeout: 20_000 }).toBe(216);
    await page.getByText('216 套房屋 · 1 位居民').waitFor();
    expect(await page.getByTestId('unit-start').allTextContents()).toEqual(['1 单元', '2 单元', '3 单元']);
    const unit1 = await page.getByTestId('house').locator('h2').allTextContents();
    // Rooms in number order: 101 … 104, 201, … 1801 … (not 1001 before 101 as addresses sort).
    expect(unit1.slice(0, 5).map((t) => t.split(' ').slice(0, 3).join(' '))).toEqual([
      '1 单元 101',
      '1 单元 102',
      '1 单元 103',
      '1 单元 104',
      '1 单元 201',
    ]);
    const last = page.getByTestId('house').last();
    await last.getByRole('button', { name: /顶楼测试/ }).waitFor();
    expect(await last.locator('h2').textContent()).toContain('3 单元 1804');
    await ctx.close();
  });
});

describe('mobile registration', () => {
  it('a resident registers with phone, password, name and a community found by name, then waits for approval', async () => {
    const gw = await token('gridworker');
    const ctx = await phoneContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/m/`);
    await page.getByRole('button', { name: '注册新账号' }).click();
    await page.getByRole('heading', { name: '居民注册' }).waitFor();
    const mobile = `1394771${String(Date.now() % 10000).padStart(4, '0')}`;
    const body = `15060219800101${String(Date.now() % 500).padStart(3, '0')}`;
    await page.getByLabel('手机号', { exact: true }).fill(mobile);
    await page.getByLabel('密码').fill('Caoyuan-2026');
    await page.getByLabel('姓名').fill('乌云其其格');
    await page.getByLabel('身份证号').fill(body + idNumberCheckChar(body));
    const hits = (await apiAs(gw, `/api/public/communities?q=${encodeURIComponent('社区')}`)).body;
    expect(hits.length).toBeGreaterThan(0);
    await page.getByLabel('所在社区（嘎查村）').fill(hits[0].name);
    await page.getByRole('list', { name: '所在社区（嘎查村）' }).getByText(hits[0].name).first().click();
    await page.getByTestId('picked-community').waitFor();
    await phoneShot(page, 'mobile-register');
    await page.getByRole('button', { name: '注册', exact: true }).click();
    await page.getByTestId('registered').waitFor();
    await phoneShot(page, 'mobile-registered');
    await page.getByRole('button', { name: '开始使用' }).click();
    await page.getByRole('heading', { name: '随手拍' }).waitFor();
    await page.getByRole('button', { name: '我的', exact: true }).click();
    await page.getByTestId('account-status').getByText('身份待社区确认').waitFor();

    const tok = await token(mobile, 'Caoyuan-2026');
    const mine = (await apiAs(tok, '/api/account-requests/mine')).body;
    expect(mine).toEqual([
      expect.objectContaining({ kind: 'resident', status: 'pending', orgUnitId: hits[0].id }),
    ]);
    await ctx.close();
  });
});

describe('map-pin location fallback', () => {
  it('without GPS and without tiles, a resident puts a pin on the coordinate plane and the report carries it', async () => {
    const resident = '13947700001';
    const tok = await token(resident);
    const communityId = (await apiAs(tok, '/api/auth/me')).body.assignments[0].orgUnitId;
    const [community] = (await apiAs(tok, `/api/public/communities?id=${communityId}`)).body;
    // No geolocation permission: the phone cannot say where it is.
    const ctx = await phoneContext(browser);
    const page = await loginOnPhone(ctx, server.url, resident);
    await page.getByTestId('location-status').getByText('未能获取位置').waitFor({ timeout: 20_000 });
    const mapChunk = page.waitForResponse((r) => /\/assets\/MapPin-[\w-]+\.js$/.test(r.url()));
    await page.getByRole('button', { name: '在地图上选点' }).click();
    await mapChunk; // Leaflet comes only with the map
    const map = page.getByTestId('pin-map');
    await expect.poll(() => map.getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    await page.getByText('未配置底图').waitFor(); // no tile server in tests: the plain plane
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => map.getAttribute('data-lng')).not.toBeNull();
    const pin = {
      lng: Number(await map.getAttribute('data-lng')),
      lat: Number(await map.getAttribute('data-lat')),
    };
    // It opened around the resident's community.
    expect(community.centre).toBeTruthy();
    expect(Math.abs(pin.lng - community.centre.lng)).toBeLessThan(0.01);
    expect(Math.abs(pin.lat - community.centre.lat)).toBeLessThan(0.01);
    await phoneShot(page, 'mobile-map-pin');
    await page.getByRole('button', { name: '使用此位置' }).click();
    await page.getByTestId('location-status').getByText('已在地图上选点').waitFor();

    await page.locator('.tile').first().click();
    const description = '小区西侧路面塌陷一个坑（地图选点）';
    await page.getByLabel('问题描述').fill(description);
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('heading', { name: '诉求详情' }).waitFor();
    const id = page.url().split('/').pop()!;
    const order = (await apiAs(tok, `/api/work-orders/${id}`)).body;
    expect(order.description).toBe(description);
    expect(order.lng).toBeCloseTo(pin.lng, 6);
    expect(order.lat).toBeCloseTo(pin.lat, 6);
    await ctx.close();
  });
});

describe('Mongolian (traditional script)', () => {
  it('switches to ᠮᠣᠩᠭᠣᠯ: text blocks run vertically, nothing overflows the phone’s width, the choice is kept', async () => {
    const ctx = await phoneContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/m/`);
    await page.getByRole('button', { name: 'ᠮᠣᠩᠭᠣᠯ' }).click();
    await page.getByRole('button', { name: mn['m.login.submit']! }).waitFor();
    const layout = () =>
      page.evaluate(() => ({
        lang: document.documentElement.lang,
        writing: [...document.querySelectorAll('.vtext, .field .hint')].map(
          (e) => getComputedStyle(e).writingMode,
        ),
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }));
    const login = await layout();
    expect(login.lang).toBe('mn');
    expect(login.writing.length).toBeGreaterThan(0);
    expect(new Set(login.writing)).toEqual(new Set(['vertical-lr']));
    expect(login.overflow).toBeLessThanOrEqual(0);
    await phoneShot(page, 'mobile-login-mn');

    await page.locator('input[autocomplete=username]').fill('13947700001');
    await page.locator('input[type=password]').fill(demoPassword);
    await page.getByRole('button', { name: mn['m.login.submit']! }).click();
    await page.getByRole('heading', { name: mn['m.report.title']! }).waitFor();
    await page.locator('.tile').first().waitFor();
    await page.reload(); // the choice is remembered on the phone
    await page.getByRole('heading', { name: mn['m.report.title']! }).waitFor();
    await page.getByRole('button', { name: mn['m.report.submit']! }).waitFor();
    const report = await layout();
    expect(report.lang).toBe('mn');
    expect(new Set(report.writing)).toEqual(new Set(['vertical-lr']));
    expect(report.overflow).toBeLessThanOrEqual(0);
    await phoneShot(page, 'mobile-report-mn');
    await ctx.close();
  });
});
