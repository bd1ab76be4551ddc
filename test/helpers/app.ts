import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { openAppContext } from '../../src/domains.js';
import { ensureAdmin } from '../../src/modules/accounts/admin.js';
import { loadConfig } from '../../src/platform/config.js';
import type { AppContext } from '../../src/platform/context.js';
import type { App } from '../../src/platform/http/types.js';
import { testDatabase } from './db.js';

export const adminPassword = 'Admin-Test-Pass-2026';

export interface TestApp {
  app: App;
  ctx: AppContext;
  /** Logs in and returns headers carrying the bearer token. */
  login(username: string, password: string): Promise<{ authorization: string }>;
  asAdmin(): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/** A whole application on a database of its own, with the admin account created. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'grassroots-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    GRASSROOTS_SECRET: 'test-secret-test-secret-test-secret-0123',
    GRASSROOTS_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'silent',
    LOGIN_RATE_PER_MINUTE: '100000',
    ...env,
  });
  const database = await testDatabase();
  const ctx = await openAppContext(config, { database });
  await ensureAdmin(ctx);
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  const login = async (username: string, password: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    return { authorization: `Bearer ${res.json().token}` };
  };
  let adminHeaders: { authorization: string } | null = null;
  return {
    app,
    ctx,
    login,
    asAdmin: async () => {
      adminHeaders ??= await login('admin', adminPassword);
      return adminHeaders;
    },
    close: async () => {
      await app.close();
      await ctx.jobs.stop();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
