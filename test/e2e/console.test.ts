import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  adminPassword,
  chooseOption,
  launchBrowser,
  loginAs,
  type RunningServer,
  screenshot as saveScreenshot,
  startServer,
} from './harness.js';

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

async function apiAs(token: string, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function token(username: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** Presses OK in the open Popconfirm. */
const confirmPopup = (page: Page) =>
  page
    .locator('.ant-popconfirm')
    .filter({ visible: true })
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();

/** Lets antd's open/close animations finish, then saves the screenshot artifact. */
async function screenshot(page: Page, name: string) {
  await page.waitForTimeout(500);
  return saveScreenshot(page, name);
}

const newPage = () => browser.newPage({ viewport: { width: 1366, height: 860 } });
/** A menu entry by its label (its accessible name also carries the icon's name, e.g. "team 用户与角色"). */
const menu = (page: Page, label: string) =>
  page.getByRole('menuitem', { name: new RegExp(`(^|\\s)${label}$`) });

describe('web console', () => {
  it('lets the admin move around the shell: menus by group, users, audit filters, account, English', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'admin', adminPassword);
    await page.getByText('您的角色').waitFor();
    await screenshot(page, 'console-home');

    await menu(page, '用户与角色').click();
    await page.getByRole('cell', { name: 'district', exact: true }).waitFor();
    expect(await page.getByText('旗县区工作人员 · 东胜区').count()).toBeGreaterThan(0);
    await screenshot(page, 'console-users');

    await menu(page, '审计日志').click();
    await page.getByRole('cell', { name: '登录', exact: true }).first().waitFor();
    await page.getByLabel('动作').click();
    await page.getByTitle('登录', { exact: true }).click();
    await expect.poll(() => page.getByText(/^共 \d+ 条$/).textContent()).toMatch(/共 [1-9]\d* 条/);
    await screenshot(page, 'console-audit');

    await menu(page, '我的账号').click();
    await page.getByText('登录设备').waitFor();
    await page.getByRole('cell', { name: '本机' }).waitFor();
    await screenshot(page, 'console-account');

    await page.getByTestId('language').click();
    await page.getByTitle('English').click();
    await page.getByText('Signed-in devices').waitFor();
    expect(await menu(page, 'Users & roles').count()).toBe(1);
    await screenshot(page, 'console-account-en');
    await page.getByTestId('language').click();
    await page.getByTitle('中文').click();
    await page.getByText('登录设备').waitFor();

    // The QR sheet opened by its address, with no unit: it asks for one (it sent ?orgUnitId= → 400
    // and spun for ever); the chosen grid's buildings follow.
    const refused: string[] = [];
    page.on('response', (r) => r.status() >= 400 && refused.push(`${r.status()} ${r.url()}`));
    await page.goto(`${server.url}/org/qr`);
    const sheet = page.getByTestId('qr-sheet');
    await sheet.getByText('请选择要打印二维码的社区、网格或楼栋').last().waitFor();
    const grid = await page.evaluate(async () => {
      const res = await fetch('/api/grids?pageSize=1&sort=code', { credentials: 'same-origin' });
      return (await res.json()).items[0] as { code: string; name: string; communityName: string };
    });
    await sheet.getByRole('combobox').click();
    await page.keyboard.type(grid.code);
    // A search hit stands outside the tree: the grid is named with its community.
    await page.getByTitle(`${grid.communityName} ${grid.name}（${grid.code}）`, { exact: true }).click();
    await sheet.locator('img[src$="/qr.svg"]').first().waitFor();
    expect(page.url()).toContain('orgUnitId=');
    await screenshot(page, 'console-qr-sheet');
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a password error under the field, then creates a staff user and shows the password once', async () => {
    const page = await newPage();
    await loginAs(page, server.url, 'admin', adminPassword);
    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('button', { name: '新建工作人员' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('wangwei');
    await dialog.getByLabel('姓名').fill('王伟');
    await dialog.getByLabel('初始密码').fill('12345678');
    await dialog.getByLabel('角色').click();
    await chooseOption(page, '社区工作者');
    // The org-unit picker searches the admin's subtree on the server.
    await dialog.getByLabel('所属组织').click();
    await page.keyboard.type('吉劳庆社区');
    await page.getByTitle('吉劳庆社区（150602001001）').click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // The server's 400 {fields:[{path:'password'}]} lands under the password field, in Chinese.
    await expect
      .poll(() => page.locator('#createUser_password_help').textContent())
      .toContain('密码至少 10 位');
    await screenshot(page, 'console-users-create-error');

    await dialog.getByLabel('初始密码').fill('');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const shown = page.getByTestId('new-password');
    await shown.waitFor();
    expect(await shown.textContent()).toMatch(/初始密码（只显示一次）：\S{10,}/);
    await screenshot(page, 'console-users-created');
    await page.getByRole('button', { name: '知道了' }).click();

    await page.getByPlaceholder('用户名或姓名').fill('wangwei');
    const row = page.getByRole('row').filter({ hasText: 'wangwei' });
    await row.getByText('社区工作者 · 吉劳庆社区').waitFor();

    await row.getByRole('button', { name: '重置密码' }).click();
    await confirmPopup(page);
    await expect
      .poll(() => page.getByTestId('new-password').textContent())
      .toMatch(/新密码（只显示一次）：\S{10,}/);
    const reset = (await page.getByTestId('new-password').textContent())!.match(/：(\S{10,})/)![1];
    await page.getByRole('button', { name: '知道了' }).click();

    // The reset password opens only the change-password form; the new one opens the console.
    const theirs = await newPage();
    await theirs.goto(server.url);
    await theirs.getByLabel('用户名').fill('wangwei');
    await theirs.getByLabel('密码').fill(reset);
    await theirs.getByRole('button', { name: /登\s*录/ }).click();
    await theirs.getByText('请先设置新密码').waitFor();
    expect(await theirs.getByTestId('current-user').count()).toBe(0);
    await theirs.getByLabel('原密码').fill(reset);
    await theirs.getByLabel('新密码', { exact: true }).fill('Chosen-Pass-2026x');
    await theirs.getByLabel('确认新密码').fill('Chosen-Pass-2026x');
    await theirs.getByRole('button', { name: /保\s*存/ }).click();
    await theirs.getByTestId('current-user').waitFor();
    await theirs.close();

    await row.getByRole('button', { name: /停\s*用/ }).click();
    await confirmPopup(page);
    await row.getByText('已停用').waitFor();
    await screenshot(page, 'console-users-disabled');
    await page.close();
  });

  it('gives a user with two roles an act-as switch; menus follow the role and the server still refuses', async () => {
    const admin = await token('admin', adminPassword);
    const community = (await apiAs(admin, `/api/org-units?q=${encodeURIComponent('锦秀社区')}`)).body
      .items[0];
    expect(community?.name).toBe('锦秀社区');
    const password = 'Jinxiu-Worker-2026';
    const created = await apiAs(admin, '/api/users', {
      method: 'POST',
      json: {
        username: 'liuxia',
        displayName: '刘霞',
        password,
        role: 'communityWorker',
        orgUnitId: community.id,
      },
    });
    expect(created.status).toBe(201);
    const granted = await apiAs(admin, `/api/users/${created.body.id}/roles`, {
      method: 'POST',
      json: { role: 'buildingLeader', orgUnitId: community.id },
    });
    expect(granted.status).toBe(200);

    const page = await newPage();
    await loginAs(page, server.url, 'liuxia', password);
    expect(await page.getByTestId('current-user').textContent()).toBe('刘霞');
    // Union of both roles: a community worker may read users, so the menu shows them.
    await menu(page, '用户与角色').waitFor();
    expect(await menu(page, '党员身份确认').count()).toBe(0); // only secretaries confirm party members

    await page.getByLabel('当前身份').click();
    await page.getByTitle('楼栋长 · 锦秀社区').click();
    await page.getByText('已切换身份').waitFor();
    await expect.poll(() => menu(page, '用户与角色').count()).toBe(0);
    await page.getByText('当前身份：楼栋长 · 锦秀社区').waitFor();
    await screenshot(page, 'console-act-as');

    // Typing the address does not help: the page says no, and so does the server.
    await page.goto(`${server.url}/admin/users`);
    await page.getByText('您当前的身份没有权限使用此页面').waitFor();
    await screenshot(page, 'console-forbidden');
    const me = await token('liuxia', password);
    const acting = await apiAs(me, '/api/auth/me');
    const leader = acting.body.assignments.find((a: { role: string }) => a.role === 'buildingLeader');
    await apiAs(me, '/api/auth/act-as', { method: 'POST', json: { assignmentId: leader.id } });
    expect((await apiAs(me, '/api/users')).status).toBe(403);
    await page.close();
  });

  it('follows a background job with a progress bar until it ends', async () => {
    const admin = await token('admin', adminPassword);
    const page = await newPage();
    await loginAs(page, server.url, 'admin', adminPassword);
    await menu(page, '后台任务').click();
    await page.getByRole('columnheader', { name: '任务' }).waitFor();
    // Importing a city's divisions (idempotent over the demo data) is a real job with real progress.
    const started = await apiAs(admin, '/api/org/division-imports', {
      method: 'POST',
      json: { province: '15', scope: '1506' },
    });
    expect(started.status).toBe(202);
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: '导入行政区划' }).first();
    await row.waitFor();
    await screenshot(page, 'console-jobs');
    await row.getByText('已完成').waitFor({ timeout: 120_000 });
    await row.locator('.ant-progress-status-success').waitFor();
    expect(await row.textContent()).toMatch(/新增：\d+/);
    await screenshot(page, 'console-jobs-done');
    await page.close();
  });
});
