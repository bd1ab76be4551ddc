import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import { launchBrowser, loginAs, type RunningServer, screenshot, startServer } from './harness.js';

const demoPassword = 'Demo@Dongsheng2026';
let server: RunningServer;
let browser: Browser;

/** Registers a resident through the public API at the community with this code. */
async function registerAt(communityCode: string, name: string, phone: string, seq: number) {
  const admin = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'district', password: demoPassword }),
  }).then((r) => r.json());
  const found = await fetch(`${server.url}/api/org-units?q=${communityCode}&pageSize=5`, {
    headers: { authorization: `Bearer ${admin.token}` },
  }).then((r) => r.json());
  const community = found.items.find((u: { code: string }) => u.code === communityCode);
  const body = `15060219660606${String(seq).padStart(3, '0')}`;
  const res = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      phone,
      password: 'Caoyuan-2026',
      name,
      idNumber: body + idNumberCheckChar(body),
      communityId: community.id,
    }),
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
  // 锦秀社区 is where the demo community worker works; 吉劳庆社区 is its neighbour in the same street.
  await registerAt('150602001002', '敖登格日乐', '13947711001', 11);
  await registerAt('150602001001', '赵永胜', '13947711002', 13);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('each account sees only its own part of the tree', () => {
  it('a community worker sees their community’s registrations and staff, not the neighbour’s', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginAs(page, server.url, 'worker', demoPassword);
    // The registration in their community reached the worker's inbox; opening it leads to the queue.
    await page.getByRole('button', { name: '消息' }).click();
    await page.getByText('新居民注册待认证：敖登格日乐').click();
    await page.getByRole('cell', { name: '敖登格日乐' }).waitFor();
    expect(page.url()).toContain('/admin/account-requests');
    expect(await page.getByText('新居民注册待认证：赵永胜').count()).toBe(0);
    expect(await page.getByRole('cell', { name: '赵永胜' }).count()).toBe(0);
    // The ID number and phone arrive masked.
    await page.getByRole('cell', { name: '139****1001' }).waitFor();
    await screenshot(page, 'scope-worker-requests');

    // Confirming a party member is the branch secretary's job: no menu entry for the worker.
    expect(await page.getByRole('menuitem', { name: '党员身份确认' }).count()).toBe(0);

    await page.getByRole('menuitem', { name: '用户与角色' }).click();
    await page.getByRole('cell', { name: 'gridworker', exact: true }).waitFor();
    for (const outside of ['secretary', 'gridleader', 'district'])
      expect(await page.getByRole('cell', { name: outside, exact: true }).count(), outside).toBe(0);
    await screenshot(page, 'scope-worker-users');
    await page.close();
  });

  it('a resident sees only their own account, and the server refuses the rest', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginAs(page, server.url, '13947700001', demoPassword);
    const menu = await page.getByRole('menuitem').allTextContents();
    expect(menu.join(' ')).not.toMatch(/用户与角色|居民账号审核|组织与网格|审计日志/);
    await page.getByRole('menuitem', { name: '我的账号' }).click();
    await page.getByText('登录设备').waitFor();
    await screenshot(page, 'scope-resident-account');

    // Typing a staff page's address shows a refusal, and the API behind it says 403 too.
    await page.goto(`${server.url}/admin/users`);
    await page.getByText('您当前的身份没有权限使用此页面').waitFor();
    await screenshot(page, 'scope-resident-forbidden');
    const status = await page.evaluate(async () => (await fetch('/api/users')).status);
    expect(status).toBe(403);
    const own = await page.evaluate(async () => (await fetch('/api/account-requests/mine')).json());
    expect(own).toEqual([expect.objectContaining({ kind: 'resident', status: 'approved', name: '其其格' })]);
    await page.close();
  });
});
