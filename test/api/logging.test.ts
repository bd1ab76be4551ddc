import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { App } from '../../src/platform/http/types.js';
import { adminPassword, createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let app: App;
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  app = await buildApp(
    { ...t.ctx, config: { ...t.ctx.config, LOG_LEVEL: 'debug' } },
    { logStream: { write: (l) => lines.push(l) } },
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await t.close();
});

it('logs requests with ids but never passwords, tokens, ID numbers or phones', async () => {
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: adminPassword },
  });
  const token = login.json().token as string;
  await app.inject({
    url: '/api/users?q=150602197001011234&phone=13812345678',
    headers: { authorization: `Bearer ${token}`, cookie: `gr_session=${token}` },
  });
  await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: '13812345678', password: 'Secret-Wrong-1' },
  });
  const log = lines.join('');
  expect(log).toContain('"reqId"');
  expect(log).toContain('/api/users');
  for (const secret of [adminPassword, token, '150602197001011234', '13812345678', 'Secret-Wrong-1']) {
    expect(log).not.toContain(secret);
  }
  expect(log).toContain('150602********1234');
});
