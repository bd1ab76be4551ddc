import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedBeforePasswordChange } from '../../src/modules/accounts/password-gate.js';
import { setPassword } from '../../src/modules/accounts/service.js';
import { needsAction } from '../../src/platform/http/route-table.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
});
afterAll(() => t.close());

const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('a reset or generated password is good only for changing it', () => {
  it('after a reset: the login says so, every other route answers 403 until the password is changed', async () => {
    const secretary = await buildUser(t, 'communitySecretary', tree.community);
    const worker = await buildUser(t, 'gridWorker', tree.grid);
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/users/${worker.user.id}/reset-password`,
      headers: secretary.headers,
    });
    expect(reset.statusCode).toBe(200);
    const generated = reset.json().password;

    const res = await login(worker.user.username, generated);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(true);
    const headers = { authorization: `Bearer ${res.json().token}` };
    const me = await t.app.inject({ url: '/api/auth/me', headers });
    expect(me.json()).toMatchObject({ mustChangePassword: true });

    const one = await t.app.inject({ url: '/api/residents', headers });
    expect(one.json().message).toContain('请先修改密码');

    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { current: generated, next: 'Chosen-By-Me-2027' },
    });
    expect(change.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers })).json().mustChangePassword).toBe(false);
    expect((await t.app.inject({ url: '/api/residents', headers })).statusCode).toBe(200);
    const again = await login(worker.user.username, 'Chosen-By-Me-2027');
    expect(again.json().user.mustChangePassword).toBe(false);
  });

  it('holds back every route that needs a signed-in user, except seeing oneself, changing it and leaving', async () => {
    // A system administrator's password set by the command line: every role check passes, so only
    // the password gate can refuse.
    const admin = await buildUser(t, 'systemAdmin', null);
    await setPassword(t.ctx.db, admin.user.id, 'Set-By-Cli-2026x', true);
    const res = await login(admin.user.username, 'Set-By-Cli-2026x');
    const headers = { authorization: `Bearer ${res.json().token}` };
    const refused: string[] = [];
    const passed: string[] = [];
    const uuid = '0190a000-0000-7000-8000-000000000000';
    for (const r of t.app.routeTable) {
      if (!needsAction(r.url) || !r.action || r.action === 'public') continue;
      const key = `${r.method} ${r.url}`;
      if (allowedBeforePasswordChange.has(key)) continue;
      const url = r.url.replace(/:(\w+)/g, (_, name) => (name === 'year' ? '2026' : uuid));
      const answer = await t.app.inject({ method: r.method as any, url, headers, payload: {} });
      if (answer.statusCode === 403 && answer.json().code === 'PASSWORD_CHANGE_REQUIRED') refused.push(key);
      else passed.push(`${key} → ${answer.statusCode}`);
    }
    expect(passed).toEqual([]);
    expect(refused.length).toBeGreaterThan(60);
    for (const key of allowedBeforePasswordChange) {
      if (key.startsWith('HEAD')) continue;
      expect(
        t.app.routeTable.some((r) => `${r.method} ${r.url}` === key),
        key,
      ).toBe(true);
    }
  });

  it('an account created with a generated password starts the same way; logging out still works', async () => {
    const street = await buildUser(t, 'streetStaff', tree.street);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: street.headers,
      payload: {
        username: 'firstday',
        displayName: '新同事',
        role: 'communityWorker',
        orgUnitId: tree.community.id,
      },
    });
    expect(created.statusCode).toBe(201);
    const res = await login('firstday', created.json().initialPassword);
    expect(res.json().user.mustChangePassword).toBe(true);
    const headers = { authorization: `Bearer ${res.json().token}` };
    const list = await t.app.inject({ url: '/api/work-orders', headers });
    expect(list.statusCode).toBe(403);
    expect(list.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    // Public routes stay public with the token attached.
    expect((await t.app.inject({ url: '/api/health', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(401);
  });

  it('a password the holder chose themselves is not held back', async () => {
    const worker = await buildUser(t, 'gridWorker', tree.grid);
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: worker.headers })).json().mustChangePassword,
    ).toBe(false);
    expect((await t.app.inject({ url: '/api/residents', headers: worker.headers })).statusCode).toBe(200);
  });
});
