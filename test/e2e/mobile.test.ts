import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  adminPassword,
  apiClient,
  chooseOption,
  demoPassword,
  launchBrowser,
  loginAs,
  loginOnPhone,
  phoneContext,
  phoneShot,
  type RunningServer,
  screenshot,
  startServer,
} from './harness.js';

/**
 * The mobile H5 app (/m/) in real Chromium at a phone's size (375×667): 随手拍 with a photo and the
 * phone's position, my reports, rating, the offline outbox (reload while offline, each item reaching
 * the server exactly once), a grid worker resolving with a photo, and elderly mode.
 */
const resident = '13947700001';

let server: RunningServer;
let browser: Browser;
let bigPhoto: string;
let smallPhoto: string;
let position: { longitude: number; latitude: number };
let residentGridId: string;

const { token, apiAs } = apiClient(() => server.url);

const step = async (tok: string, id: string, body: Record<string, unknown>) => {
  const res = await apiAs(tok, `/api/work-orders/${id}/events`, { json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

/** Files a report as the resident through the API (the setup for rating and the offline test). */
async function reportByApi(tok: string, description: string, placeId: string) {
  const cats = (await apiAs(tok, '/api/work-order-categories')).body as any[];
  const category = cats.find((c) => c.parentCode && c.common) ?? cats.find((c) => c.parentCode);
  const res = await apiAs(tok, '/api/work-orders/reports', {
    json: { categoryId: category.id, description, placeId },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** The community accepts and closes it (解释说明), so the reporter may rate it. */
async function closeByStaff(id: string) {
  const secretary = await token('secretary');
  await step(secretary, id, { type: 'accepted', text: '内部：该居民多次反映，注意答复口径' });
  await step(secretary, id, {
    type: 'closed',
    outcome: 'explained',
    text: '内部：物业费用另议',
    publicText: '已联系物业，本周内处理',
  });
}

const phoneWithGps = () => phoneContext(browser, { geolocation: position, permissions: ['geolocation'] });

/** The service worker controls the page: from now on the app shell opens without a network. */
const swReady = (page: Page) =>
  page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });

beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
  const dir = mkdtempSync(join(tmpdir(), 'grassroots-m-e2e-'));
  // A camera-sized photo taken with the phone on its side (EXIF orientation 6): noise so that it
  // does not compress to nothing; the app must shrink it under 300 KB and stand it upright.
  bigPhoto = join(dir, 'camera.jpg');
  const width = 2400;
  const height = 1800;
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + ((i / 3) | 0) * 31) % 251;
  await sharp(noise, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toFile(bigPhoto);
  smallPhoto = join(dir, 'after.jpg');
  await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 90, g: 140, b: 90 } } })
    .jpeg()
    .toFile(smallPhoto);

  // The resident's grid and a point inside it, for the phone's GPS.
  const me = (await apiAs(await token(resident), '/api/auth/me')).body;
  residentGridId = me.assignments.find((a: any) => a.orgUnitId)?.orgUnitId;
  const admin = await token('admin', adminPassword);
  const map = (await apiAs(admin, '/api/grids/geojson?buildings=0')).body;
  const feature =
    map.features.find((f: any) => f.properties?.id === residentGridId && f.geometry) ??
    map.features.find((f: any) => f.geometry?.type?.includes('Polygon'));
  const ring: number[][] =
    feature.geometry.type === 'Polygon'
      ? feature.geometry.coordinates[0]
      : feature.geometry.coordinates[0][0];
  const pts = ring.slice(0, -1);
  position = {
    longitude: pts.reduce((s, p) => s + p[0], 0) / pts.length,
    latitude: pts.reduce((s, p) => s + p[1], 0) / pts.length,
  };
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('mobile H5 app', () => {
  it('a resident files 随手拍 with a photo and location, sees it in my reports, and rates it once closed', async () => {
    const ctx = await phoneWithGps();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/m/`);
    await page.getByLabel('手机号或用户名').waitFor();
    await phoneShot(page, 'mobile-login');
    await page.getByLabel('手机号或用户名').fill(resident);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();

    await page.getByRole('heading', { name: '随手拍' }).waitFor();
    await expect.poll(() => page.getByTestId('location-status').textContent()).toContain('已定位');
    // Sent empty: every missing field says so under itself, all at once.
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('[data-field="category"] .field-error').getByText('请选择问题类别').waitFor();
    await page.locator('[data-field="description"] .field-error').getByText('请描述问题').waitFor();
    await phoneShot(page, 'mobile-report-errors');
    await page.getByTestId('photo-input').setInputFiles(bigPhoto);
    await page.getByText(/已压缩为 \d+ KB/).waitFor();
    const tile = page.locator('.tile').first();
    const categoryName = (await tile.textContent())!.slice(1);
    await tile.click();
    expect(await page.locator('[data-field="category"] .field-error').count()).toBe(0);
    const description = '楼下垃圾箱满了好几天没人清运，味道很大';
    await page.getByLabel('问题描述').fill(description);
    await phoneShot(page, 'mobile-report');
    await page.getByRole('button', { name: '提交' }).click();

    await page.getByRole('heading', { name: '诉求详情' }).waitFor();
    await page.getByText(description, { exact: true }).waitFor();
    const id = page.url().split('/').pop()!;
    await phoneShot(page, 'mobile-detail');

    // One request made it: the work order has the place, the category and one photo ≤ 300 KB, upright.
    const tok = await token(resident);
    const order = (await apiAs(tok, `/api/work-orders/${id}`)).body;
    expect(order).toMatchObject({ description, categoryName, channel: 'snapshot', status: 'submitted' });
    expect(order.lng).toBeCloseTo(position.longitude, 5);
    expect(order.lat).toBeCloseTo(position.latitude, 5);
    const photos = order.timeline[0].photos;
    expect(photos).toHaveLength(1);
    const img = await fetch(`${server.url}${photos[0].url}`, { headers: { authorization: `Bearer ${tok}` } });
    const bytes = Buffer.from(await img.arrayBuffer());
    expect(bytes.length).toBeLessThanOrEqual(300 * 1024);
    const meta = await sharp(bytes).metadata();
    expect(meta.height!).toBeGreaterThan(meta.width!); // EXIF orientation applied in the browser

    await page.getByRole('button', { name: '我的诉求' }).click();
    await page.getByRole('heading', { name: '我的诉求' }).waitFor();
    await page.getByRole('list', { name: '我的诉求' }).getByText(order.title).waitFor();
    await phoneShot(page, 'mobile-mine');

    // Staff close it; the resident rates it from the phone.
    await closeByStaff(id);
    await page.getByRole('list', { name: '我的诉求' }).getByText(order.title).click();
    await page.getByRole('heading', { name: '评价办理结果' }).waitFor();
    await page.getByRole('button', { name: '满意', exact: true }).click();
    await page.getByLabel('意见（可不填）').fill('回复及时');
    await phoneShot(page, 'mobile-rate');
    await page.getByRole('button', { name: '提交评价' }).click();
    const timeline = page.locator('.timeline');
    await timeline.getByText('评价', { exact: true }).waitFor();
    // The resident reads plain words and their own rating, never the staff's notes.
    await timeline.getByText('评价：满意：回复及时').waitFor();
    await timeline.getByText('已结案，已向您解释说明：已联系物业，本周内处理').waitFor();
    expect(await timeline.textContent()).not.toContain('内部');
    expect(await timeline.locator('strong').allTextContents()).toEqual([
      '已提交',
      '已受理',
      '已结案',
      '评价',
    ]);
    await phoneShot(page, 'mobile-rated-timeline');
    const rated = (await apiAs(tok, `/api/work-orders/${id}`)).body;
    expect(rated.rating).toBe('satisfied');
    expect(rated.timeline.filter((e: any) => e.type === 'rated')).toHaveLength(1);
    await ctx.close();
  });

  it('offline: a report and a rating wait in the outbox (also across a reload) and each reaches the server exactly once', async () => {
    const tok = await token(resident);
    const closedId = await reportByApi(tok, '单元门禁坏了，外人随便进出', residentGridId);
    await closeByStaff(closedId);
    const before = (await apiAs(tok, '/api/work-orders/mine?pageSize=200')).body.total;

    const ctx = await phoneWithGps();
    const page = await loginOnPhone(ctx, server.url, resident);
    await swReady(page);
    // Reopen under the service worker, so that going offline below covers the worker too.
    await page.reload();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.locator('.tile').first().waitFor(); // categories saved on the phone
    // Open the closed one once online, so its page is on the phone.
    await page.getByRole('button', { name: '我的诉求' }).click();
    await page.getByText('单元门禁坏了').first().click();
    await page.getByRole('heading', { name: '评价办理结果' }).waitFor();

    await ctx.setOffline(true);
    page.on('request', (r) => process.env.M_DEBUG && console.log('req', r.method(), r.url(), Date.now()));
    page.on('requestfailed', (r) => process.env.M_DEBUG && console.log('failed', r.method(), r.url()));
    page.on('requestfinished', (r) => process.env.M_DEBUG && console.log('finished', r.method(), r.url()));
    // Rate it offline.
    await page.getByRole('button', { name: '基本满意' }).click();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByTestId('pending-steps').getByText('待发送').waitFor();

    // File a report offline.
    await page.getByRole('button', { name: '随手拍' }).click();
    await page.getByTestId('photo-input').setInputFiles(smallPhoto);
    await page.getByText(/已压缩为 \d+ KB/).waitFor();
    await page.locator('.tile').first().click();
    const description = '路灯不亮，晚上出门很不方便（离线提交）';
    await page.getByLabel('问题描述').fill(description);
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('heading', { name: '我的诉求' }).waitFor();
    await page.getByTestId('outbox-item').getByText('待发送').waitFor();
    await phoneShot(page, 'mobile-offline-outbox');

    // Closing and reopening the app without a network keeps both.
    await page.reload();
    await page.getByRole('heading', { name: '我的诉求' }).waitFor();
    await expect.poll(() => page.getByTestId('outbox-item').count()).toBe(1);
    await page.getByRole('button', { name: /^我的 2$/ }).click(); // the tab shows what waits
    await expect.poll(() => page.getByTestId('outbox-item').count()).toBe(2);
    await phoneShot(page, 'mobile-offline-profile');

    // Nothing reached the server while offline.
    expect((await apiAs(tok, '/api/work-orders/mine?pageSize=200')).body.total).toBe(before);
    expect((await apiAs(tok, `/api/work-orders/${closedId}`)).body.rating).toBeNull();

    await ctx.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-item').count(), { timeout: 30_000 }).toBe(0);
    const mine = (await apiAs(tok, '/api/work-orders/mine?pageSize=200')).body;
    expect(mine.total).toBe(before + 1);
    const sent = mine.items.filter((w: any) => w.description === description);
    expect(sent).toHaveLength(1);
    const detail = (await apiAs(tok, `/api/work-orders/${sent[0].id}`)).body;
    expect(detail.timeline[0].photos).toHaveLength(1);
    const rated = (await apiAs(tok, `/api/work-orders/${closedId}`)).body;
    expect(rated.rating).toBe('basicallySatisfied');
    expect(rated.timeline.filter((e: any) => e.type === 'rated')).toHaveLength(1);

    // A second flush (another `online`, a restart) sends nothing again.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.reload();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await page.waitForTimeout(1000);
    expect((await apiAs(tok, '/api/work-orders/mine?pageSize=200')).body.total).toBe(before + 1);
    await ctx.close();
  });

  it('a grid worker signs for an assigned work order, resolves it with a photo, and files a patrol report', async () => {
    const gw = await token('gridworker');
    const gridId = (await apiAs(gw, '/api/auth/me')).body.assignments[0].orgUnitId;
    const volunteer = await token('13947700003');
    const id = await reportByApi(volunteer, '小区东门的井盖松动了，踩上去会响', gridId);
    const worker = await token('worker');
    await step(worker, id, { type: 'accepted' });
    await step(worker, id, { type: 'dispatched', handlerUnitId: gridId });

    const ctx = await phoneWithGps();
    const page = await loginOnPhone(ctx, server.url, 'gridworker');
    await page.getByRole('heading', { name: '我的工单' }).waitFor();
    const row = page.getByRole('list', { name: '我的工单' }).getByText('井盖松动', { exact: false });
    await row.waitFor();
    await phoneShot(page, 'mobile-tasks');
    await row.click();
    await page.getByRole('button', { name: '签收' }).click();
    await page.getByRole('heading', { name: '办结回复' }).waitFor();
    await page.getByLabel('办理情况').fill('已更换井盖并加固');
    await page.getByTestId('photo-input').setInputFiles(smallPhoto);
    await page.getByText(/已压缩为 \d+ KB/).waitFor();
    await phoneShot(page, 'mobile-task-resolve');
    await page.getByRole('button', { name: '提交办结' }).click();
    await page.locator('.timeline').getByText('办结', { exact: true }).waitFor();

    const order = (await apiAs(gw, `/api/work-orders/${id}`)).body;
    expect(order.status).toBe('resolved');
    const resolved = order.timeline.filter((e: any) => e.type === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0].text).toBe('已更换井盖并加固');
    expect(resolved[0].photos).toHaveLength(1);

    // 巡查上报: a work order in channel `patrol`, filed from the same form.
    await page.getByRole('button', { name: '我的工单' }).click();
    await page.getByRole('button', { name: '巡查上报' }).click();
    await page.getByRole('heading', { name: '巡查上报' }).waitFor();
    await page.getByTestId('photo-input').setInputFiles(smallPhoto);
    await page.getByText(/已压缩为 \d+ KB/).waitFor();
    await page.locator('.tile').first().click();
    await page.getByLabel('问题描述').fill('巡查发现楼道堆放杂物，存在消防隐患');
    await phoneShot(page, 'mobile-patrol');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('heading', { name: '诉求详情' }).waitFor();
    const patrolId = page.url().split('/').pop()!;
    const patrol = (await apiAs(gw, `/api/work-orders/${patrolId}`)).body;
    expect(patrol).toMatchObject({ channel: 'patrol', description: '巡查发现楼道堆放杂物，存在消防隐患' });
    expect(patrol.timeline[0].photos).toHaveLength(1);
    await ctx.close();
  });

  it('elderly mode: large type, big targets, remembered on the device', async () => {
    const ctx = await phoneWithGps();
    const page = await loginOnPhone(ctx, server.url, resident);
    await page.getByRole('button', { name: '我的', exact: true }).click();
    await page.getByLabel('长辈模式').check();
    await phoneShot(page, 'mobile-profile-elderly');
    await page.reload();
    await page.getByRole('button', { name: '随手拍' }).click();
    await page.getByRole('heading', { name: '随手拍' }).waitFor();
    await page.locator('.tile').first().waitFor();
    const sizes = await page.evaluate(() => {
      const px = (el: Element | null) => (el ? Number.parseFloat(getComputedStyle(el).fontSize) : 0);
      const buttons = [...document.querySelectorAll('button, .btn')].filter(
        (b) => (b as HTMLElement).offsetParent !== null,
      );
      return {
        elderly: document.documentElement.classList.contains('elderly'),
        body: px(document.body),
        smallest: Math.min(...[...document.querySelectorAll('.muted, .small, .tab span')].map(px)),
        lowestTarget: Math.min(...buttons.map((b) => b.getBoundingClientRect().height)),
      };
    });
    expect(sizes.elderly).toBe(true);
    expect(sizes.body).toBeGreaterThanOrEqual(18);
    expect(sizes.smallest).toBeGreaterThanOrEqual(18);
    expect(sizes.lowestTarget).toBeGreaterThanOrEqual(44);
    await phoneShot(page, 'mobile-report-elderly');
    await ctx.close();
  });

  it('a reset password opens only the change-password screen; the new one opens the app', async () => {
    const secretary = await token('secretary');
    const found = (await apiAs(secretary, '/api/users?q=13947700002')).body.items;
    expect(found).toHaveLength(1);
    const reset = await apiAs(secretary, `/api/users/${found[0].id}/reset-password`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const ctx = await phoneWithGps();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/m/`);
    await page.getByLabel('手机号或用户名').fill('13947700002');
    await page.getByLabel('密码').fill(reset.body.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '请先设置新密码' }).waitFor();
    expect(await page.getByRole('navigation', { name: '主导航' }).count()).toBe(0);
    await page.getByLabel('现在的密码').fill(reset.body.password);
    await page.getByLabel(/^新密码/).fill(demoPassword);
    await page.getByLabel('再输一次新密码').fill(demoPassword);
    await phoneShot(page, 'mobile-must-change-password');
    await page.getByRole('button', { name: '保存新密码' }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await ctx.close();
  });
  it('the console gives 供暖 two questions; a resident must answer the required one, and the answers show on the order', async () => {
    // Console: the admin edits the category's questions; a choice question without choices is refused.
    const desk = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await loginAs(desk, server.url, 'admin', adminPassword);
    await desk.getByRole('menuitem', { name: '诉求类别' }).click();
    await desk.getByTestId('edit-questions-livelihood.heating').click();
    const dialog = desk.getByRole('dialog');
    await dialog.getByTestId('add-question').click();
    const first = dialog.getByTestId('question').nth(0);
    await first.getByLabel('问题', { exact: true }).fill('室内温度（℃）');
    await first.getByLabel('编码').fill('room');
    await first.getByLabel('回答方式').click();
    await chooseOption(desk, '数字');
    await first.getByText('必答').click();
    await dialog.getByTestId('add-question').click();
    const second = dialog.getByTestId('question').nth(1);
    await second.getByLabel('问题', { exact: true }).fill('哪个房间不热');
    await second.getByLabel('编码').fill('where');
    await second.getByLabel('回答方式').click();
    await chooseOption(desk, '单选');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await second.getByText('选择题须列出选项').waitFor();
    await screenshot(desk, 'categories-questions-error');
    for (const [name, key] of [
      ['卧室', 'bedroom'],
      ['客厅', 'living'],
    ]) {
      await second.getByTestId('add-choice').click();
      const choice = second.getByTestId('choice').last();
      await choice.getByPlaceholder('显示的文字').fill(name);
      await choice.getByPlaceholder('保存的值').fill(key);
    }
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = desk.locator('tr', { hasText: '供暖' }).first();
    await row.getByText('室内温度（℃）').waitFor();
    await row.getByText('哪个房间不热').waitFor();
    await screenshot(desk, 'categories-questions');

    // Phone: the report form asks them; the required one must be answered.
    const ctx = await phoneWithGps();
    const page = await loginOnPhone(ctx, server.url, resident);
    await page.getByRole('heading', { name: '随手拍' }).waitFor();
    await page.locator('.tile', { hasText: '供暖' }).click();
    const questions = page.getByTestId('questions');
    await questions.getByText('补充信息').waitFor();
    const description = '暖气片一直是凉的，家里老人受不了';
    await page.getByLabel('问题描述').fill(description);
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('[data-field="questions"] .field-error').getByText('请回答：室内温度（℃）').waitFor();
    await questions.getByLabel('室内温度（℃） *').fill('14');
    await questions.getByLabel('哪个房间不热').selectOption({ label: '卧室' });
    await phoneShot(page, 'mobile-report-questions');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('heading', { name: '诉求详情' }).waitFor();
    const answers = page.getByTestId('answers');
    await answers.getByText('室内温度（℃）').waitFor();
    expect(await answers.locator('dd').allTextContents()).toEqual(['14', '卧室']);
    await phoneShot(page, 'mobile-detail-answers');
    const id = page.url().split('/').pop()!;

    // Staff read the same answers on the work order.
    await desk.goto(`${server.url}/work-orders/${id}`);
    const shown = desk.getByTestId('wo-answers');
    await shown.getByText('哪个房间不热').waitFor();
    expect(await shown.textContent()).toContain('室内温度（℃）14');
    await ctx.close();
    await desk.close();
  });
});
