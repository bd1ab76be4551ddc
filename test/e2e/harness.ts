import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';

export const adminPassword = 'Admin-E2E-Pass-2026';
export const screenshotDir = join(process.cwd(), 'artifacts', 'screenshots');

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The environment every e2e server and seed runs with. */
export function e2eEnv(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    GRASSROOTS_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456',
    GRASSROOTS_ADMIN_PASSWORD: adminPassword,
    GRASSROOTS_DEMO: '1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The real server (`grassroots serve`) on a random port, on a copy of the seeded demo data. */
export async function startServer(seedDir: string): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'grassroots-e2e-'));
  cpSync(seedDir, dataDir, { recursive: true });
  rmSync(join(dataDir, 'server.lock'), { force: true });
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--no-build'], {
    env: { ...process.env, ...e2eEnv(dataDir), PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium through playwright-core; fails loudly when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Waits until a dialog (or any element) has finished its opening animation. On a loaded machine a
 * click can land while antd's modal still zooms in and be lost; after this it cannot.
 */
export async function settled(el: Locator): Promise<Locator> {
  await el.waitFor();
  await el.evaluate((node) =>
    Promise.all(node.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined))),
  );
  return el;
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** A phone (375×667, touch) in Chinese for the mobile app; `extra` adds e.g. its GPS position. */
export const phoneContext = (browser: Browser, extra: BrowserContextOptions = {}): Promise<BrowserContext> =>
  browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...extra,
  });

/** Logs in on the mobile app's own form and waits for its navigation (or says what the page shows). */
export async function loginOnPhone(
  ctx: BrowserContext,
  url: string,
  username: string,
  path = '/m/',
): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${url}${path}`);
  await page.getByLabel('手机号或用户名').fill(username);
  await page.getByLabel('密码').fill(demoPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page
    .getByRole('navigation', { name: '主导航' })
    .waitFor({ timeout: 15_000 })
    .catch(async (err) => {
      throw new Error(`not logged in: ${await page.locator('body').textContent()}\n${err}`);
    });
  return page;
}

/** What the phone's screen shows (the viewport, not the whole scrolled page), once it has settled. */
export async function phoneShot(page: Page, name: string) {
  await page.waitForTimeout(300);
  return screenshot(page, name, false);
}

/** Logs in through the real login page and waits for the shell. */
export async function loginAs(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

/**
 * Picks an option in an open antd Select and waits for its list to close. A click that lands
 * while the list is still sliding open is sometimes not taken and the list stays over the next
 * field; then it is clicked again.
 */
export async function chooseOption(page: Page, title: string) {
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  for (let attempt = 0; attempt < 3; attempt++) {
    await open.getByTitle(title, { exact: true }).click();
    try {
      await open.waitFor({ state: 'hidden', timeout: 2000 });
      return;
    } catch {
      // still open: try the option again
    }
  }
  await open.waitFor({ state: 'hidden' });
}

/**
 * Clicks an option of the open select or tree-select list once the list has stopped moving, and
 * waits for the pick to close it. A click sent while the list still slides in is aimed at where the
 * option was when Playwright measured it, lands beside it and is lost; after the list has settled
 * the option is where it is measured.
 */
export async function pickFromOpenList(page: Page, option: (list: Locator) => Locator) {
  const list = await settled(page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
  await option(list).click();
  await list.waitFor({ state: 'hidden', timeout: 5000 });
}

/** The demo accounts' password (src/modules/demo). */
export const demoPassword = 'Demo@Dongsheng2026';

/**
 * The API of a running server for a test's own checks: one session per account (logins are
 * rate-limited per minute), and requests as a token with the JSON answer parsed.
 */
export function apiClient(baseUrl: () => string) {
  const tokens = new Map<string, string>();
  async function token(username: string, password = demoPassword): Promise<string> {
    const known = tokens.get(username);
    if (known) return known;
    const res = await fetch(`${baseUrl()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const tok = ((await res.json()) as { token: string }).token;
    tokens.set(username, tok);
    return tok;
  }
  async function apiAs(tok: string, path: string, init: { method?: string; json?: unknown } = {}) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
      headers: {
        authorization: `Bearer ${tok}`,
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any, raw: text };
  }
  return { token, apiAs };
}
