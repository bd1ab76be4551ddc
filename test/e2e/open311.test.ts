import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../src/modules/demo/accounts.js';
import {
  adminPassword,
  launchBrowser,
  loginAs,
  type RunningServer,
  screenshot,
  startServer,
} from './harness.js';

/**
 * Open311 keys in Chromium: an administrator issues a key (shown once), an app files a report
 * with it through GeoReport v2, the administrator revokes it and the app is refused.
 */
let server: RunningServer;
let browser: Browser;
let communityName: string;

beforeAll(async () => {
  server = await startServer(inject('e2eSeedDir'));
  browser = await launchBrowser();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'worker', password: demoPassword }),
  });
  const { token } = (await login.json()) as { token: string };
  const me = (await (
    await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { assignments: { orgName: string }[] };
  communityName = me.assignments[0].orgName;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const file = (key: string) =>
  fetch(`${server.url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      api_key: key,
      service_code: 'city.environment',
      address_string: `${communityName}东门`,
      description: '门口垃圾桶满溢（Open311 浏览器测试）',
    }),
  });

describe('Open311 API keys', () => {
  it('issues a key shown once, which files a report until it is revoked', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, server.url, 'admin', adminPassword);
    await page.getByRole('menuitem', { name: /Open311 接口密钥/ }).click();
    await page.getByRole('button', { name: /发放密钥/ }).click();
    await page.getByLabel('名称（使用方）').fill('城市随手拍 App');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /发放密钥/ })
      .click();
    const shown = page.getByTestId('open311-key');
    await shown.waitFor();
    const key = (await shown.textContent())!.trim();
    expect(key).toMatch(/^o311_[\w-]{32}$/);
    await screenshot(page, 'open311-key-issued');
    await page.getByRole('button', { name: /我已保存/ }).click();
    await page.getByRole('cell', { name: '城市随手拍 App' }).waitFor();
    await shown.waitFor({ state: 'detached' });
    // The key itself appears nowhere once the dialog is closed.
    expect(await page.content()).not.toContain(key);

    const filed = await file(key);
    expect(filed.status).toBe(200);
    const [{ service_request_id: id }] = (await filed.json()) as { service_request_id: string }[];
    const got = await fetch(`${server.url}/open311/v2/requests/${id}.json`);
    expect(((await got.json()) as { status: string }[])[0].status).toBe('open');

    await page
      .getByRole('button', { name: /吊\s*销/ })
      .first()
      .click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page
      .getByText(/已吊销/)
      .first()
      .waitFor();
    await screenshot(page, 'open311-keys');
    expect((await file(key)).status).toBe(403);
    expect(errors).toEqual([]);
    await page.close();
  });
});
