import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { protectPhoneUsernames } from '../../src/modules/accounts/phone-login.js';
import { user } from '../../src/modules/accounts/schema.js';
import { assignRole, createUser } from '../../src/modules/accounts/service.js';
import { rowsOf } from '../../src/platform/db/index.js';
import type { App } from '../../src/platform/http/types.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** The app with its request log captured: every account response and log line is checked for the phone. */
let t: TestApp;
let app: App;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  app = await buildApp(
    { ...t.ctx, config: { ...t.ctx.config, LOG_LEVEL: 'debug' } },
    { logStream: { write: (l) => lines.push(l) } },
  );
  await app.ready();
  tree = await buildOrgTree(t.ctx.db);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const password = 'Caoyuan-Phone-2026';
const idNumber = (seq: number) => {
  const body = `15060219920202${String(seq).padStart(3, '0')}`;
  return body + idNumberCheckChar(body);
};
const login = (username: string, pass = password) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: pass } });
const get = async (url: string, headers: Record<string, string>) => {
  const res = await app.inject({ url, headers });
  expect(res.statusCode, url).toBe(200);
  return res.body;
};

describe('a phone used to sign in is kept and shown like any phone', () => {
  it('is found by its keyed hash, stored encrypted, and masked in every account response and log line', async () => {
    const phone = '13900000077';
    const masked = '139****0077';
    const registered = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { phone, password, name: '娜仁', idNumber: idNumber(1), communityId: tree.community.id },
    });
    expect(registered.statusCode).toBe(201);
    expect(registered.json().username).toBe(masked);

    // The phone signs in as people type it.
    for (const typed of [phone, '139 0000 0077', '139-0000-0077', '+8613900000077']) {
      expect((await login(typed)).statusCode, typed).toBe(200);
    }
    const signedIn = await login(phone);
    expect(signedIn.json().user.username).toBe(masked);
    const resident = { authorization: `Bearer ${signedIn.json().token}` };
    // The stored tag is not a way in.
    const [row] = await t.ctx.db.select().from(user).where(eq(user.id, registered.json().id));
    expect((await login(row.username)).statusCode).toBe(401);

    const worker = await buildUser(t, 'communitySecretary', tree.community);
    const staff = { authorization: worker.headers.authorization };
    const admin = await t.asAdmin();
    const bodies = [
      registered.body,
      signedIn.body,
      await get('/api/auth/me', resident),
      await get('/api/account-requests/mine', resident),
      await get('/api/account-requests?pageSize=100', staff),
      await get('/api/users?pageSize=100', staff),
      await get(`/api/users/${row.id}`, staff),
      await get('/api/audit-events?pageSize=200', admin),
    ];
    for (const body of bodies) {
      expect(body).toContain(masked);
      expect(body).not.toContain(phone);
    }
    // A worker still finds the account by the whole phone.
    const found = JSON.parse(await get(`/api/users?q=${phone}`, staff));
    expect(found.items.map((u: any) => u.id)).toEqual([row.id]);
    expect(JSON.stringify(found)).not.toContain(phone);

    // At rest: not in any column of the account, nor in the audit trail.
    const stored = JSON.stringify(
      rowsOf(await t.ctx.db.execute(sql`select * from "user" where id = ${row.id}`)),
    );
    expect(stored).not.toContain(phone);
    expect(t.ctx.pii.decrypt(row.phoneEnc!)).toBe(phone);
    const trail = JSON.stringify(rowsOf(await t.ctx.db.execute(sql`select * from audit_event`)));
    expect(trail).not.toContain(phone);
    expect(trail).toContain(masked);

    // Logs: a wrong password for the phone, a sign-up refused for it, and all of the above.
    await login(phone, 'Wrong-Pass-2026');
    await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { phone, password, name: '娜仁', idNumber: idNumber(2), communityId: tree.community.id },
    });
    const log = lines.join('');
    expect(log).toContain('/api/auth/login');
    expect(log).not.toContain(phone);
  });

  it('converts an account made before: its plain-phone username becomes the masked one, the phone still signs in', async () => {
    const phone = '13700000055';
    const legacy = await createUser(t.ctx.db, {
      username: phone,
      displayName: '旧账号',
      password,
      kind: 'resident',
    });
    await assignRole(t.ctx.db, {
      userId: legacy.id,
      role: 'resident',
      orgUnitId: tree.grid.id,
      orgPath: tree.grid.path,
    });
    expect(await protectPhoneUsernames(t.ctx)).toBe(1);
    expect(await protectPhoneUsernames(t.ctx)).toBe(0);
    const [row] = await t.ctx.db.select().from(user).where(eq(user.id, legacy.id));
    expect(JSON.stringify(row)).not.toContain(phone);
    expect(row).toMatchObject({ phoneLogin: true, phoneHash: t.ctx.pii.blindIndex(phone) });
    const res = await login(phone);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: legacy.id, username: '137****0055' });
  });
});
