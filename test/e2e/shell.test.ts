import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  adminPassword,
  launchBrowser,
  loginAs,
  type RunningServer,
  screenshot,
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

describe('console shell', () => {
  it('refuses a wrong password with the server message, then logs in and navigates', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    await screenshot(page, 'login-error');

    await loginAs(page, server.url, 'admin', adminPassword);
    expect(await page.getByTestId('current-user').textContent()).toBe('系统管理员');
    await screenshot(page, 'home');

    await page.getByRole('menuitem', { name: '用户与角色' }).click();
    await page.getByRole('cell', { name: 'district', exact: true }).waitFor();
    await screenshot(page, 'users');

    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.getByRole('cell', { name: '登录失败' }).first().waitFor();
    await screenshot(page, 'audit');

    await page.getByRole('menuitem', { name: '我的账号' }).click();
    await page.getByText('登录设备').waitFor();
    await screenshot(page, 'account');
    await page.close();
  });

  it('shows the server’s refusal under the field when creating a staff user', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginAs(page, server.url, 'admin', adminPassword);
    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('button', { name: '新建工作人员' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('wangwei');
    await dialog.getByLabel('姓名').fill('王伟');
    await dialog.getByLabel('初始密码').fill('12345678');
    // Chosen by keyboard: a click on an option while the list is still sliding in can be lost.
    await dialog.getByLabel('角色').click();
    await page.locator('.ant-select-dropdown').waitFor();
    // 市级管理员 (cityAdmin): a role below the admin's own (nobody grants their own level).
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    expect(await dialog.textContent()).toContain('市级管理员');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // A city role needs its city: the server names the field and the form shows it there.
    await expect.poll(() => dialog.textContent()).toContain('请选择所属组织');
    await screenshot(page, 'users-create-error');
    await page.close();
  });
});
