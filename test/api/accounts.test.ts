import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session, user } from '../../src/modules/accounts/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser, testPassword } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
});
afterAll(() => t.close());

const me = (headers: Record<string, string>) => t.app.inject({ url: '/api/auth/me', headers });
const auditCount = async (action: string, targetId: string) =>
  Number(
    rowsOf<{ n: number }>(
      await t.ctx.db.execute(
        sql`select count(*)::int as n from audit_event where action = ${action} and target_id = ${targetId}`,
      ),
    )[0].n,
  );

describe('sessions', () => {
  it('logs in with a cookie or a bearer token, and logs out', async () => {
    const { user: u } = await buildUser(t, 'communityWorker', tree.community);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: testPassword },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'gr_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(
      (await t.app.inject({ url: '/api/auth/me', cookies: { gr_session: cookie.value } })).json().username,
    ).toBe(u.username);
    const bearer = { authorization: `Bearer ${res.json().token}` };
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer })).statusCode,
    ).toBe(200);
    expect((await me(bearer)).statusCode).toBe(401);
  });

  it('does not reveal whether a user exists, and locks after repeated failures', async () => {
    const { user: u } = await buildUser(t, 'gridWorker', tree.grid);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody-here', password: 'x' },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: 'x' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    let last = wrong;
    for (let i = 0; i < 4; i++) {
      last = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u.username, password: 'x' },
      });
    }
    expect(last.statusCode).toBe(423);
    expect(last.json().message).toContain('锁定');
    // Even the right password is refused while locked.
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: testPassword },
    });
    expect(right.statusCode).toBe(423);
    expect(await auditCount('auth.locked', u.id)).toBe(1);
  });

  it('refuses tampered, idle-expired and absolutely-expired tokens with 401', async () => {
    const a = await buildUser(t, 'gridWorker', tree.grid);
    expect((await me({ authorization: `${a.headers.authorization}x` })).statusCode).toBe(401);
    await t.ctx.db
      .update(session)
      .set({ lastSeenAt: new Date(Date.now() - 3 * 3_600_000) })
      .where(eq(session.userId, a.user.id));
    const idle = await me(a.headers);
    expect(idle.statusCode).toBe(401);
    expect(idle.json().message).toContain('过期');
    const b = await buildUser(t, 'gridWorker', tree.grid);
    await t.ctx.db
      .update(session)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(session.userId, b.user.id));
    expect((await me(b.headers)).statusCode).toBe(401);
  });

  it('lists and revokes own sessions; a password change ends the others', async () => {
    const a = await buildUser(t, 'gridWorker', tree.grid);
    const second = await t.login(a.user.username, testPassword);
    const list = (await t.app.inject({ url: '/api/auth/sessions', headers: a.headers })).json();
    expect(list).toHaveLength(2);
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: a.headers,
      payload: { current: testPassword, next: 'Another-Pass-2027' },
    });
    expect(change.statusCode).toBe(200);
    expect((await me(second)).statusCode).toBe(401);
    expect((await me(a.headers)).statusCode).toBe(200);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: a.headers,
      payload: { current: 'Another-Pass-2027', next: 'password123' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().fields[0].path).toBe('next');
  });

  it('ignores nothing silently on self-service: extra fields like role are refused', async () => {
    const a = await buildUser(t, 'gridWorker', tree.grid);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: a.headers,
      payload: { displayName: '新名字', role: 'systemAdmin' },
    });
    expect(res.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: a.headers,
      payload: { displayName: '新名字' },
    });
    expect(ok.statusCode).toBe(200);
    expect((await me(a.headers)).json()).toMatchObject({
      displayName: '新名字',
      permissions: expect.not.arrayContaining(['user.manage']),
    });
  });

  it('acts in one assignment at a time when asked to', async () => {
    const a = await buildUser(t, 'gridWorker', tree.grid);
    const h = await t.asAdmin();
    await t.app.inject({
      method: 'POST',
      url: `/api/users/${a.user.id}/roles`,
      headers: h,
      payload: { role: 'communityWorker', orgUnitId: tree.community.id },
    });
    const fresh = await t.login(a.user.username, testPassword);
    const all = (await me(fresh)).json();
    expect(all.assignments).toHaveLength(2);
    expect(all.permissions).toContain('workOrder.dispatch');
    const grid = all.assignments.find((x: any) => x.role === 'gridWorker');
    const acting = await t.app.inject({
      method: 'POST',
      url: '/api/auth/act-as',
      headers: fresh,
      payload: { assignmentId: grid.id },
    });
    expect(acting.json().permissions).not.toContain('workOrder.dispatch');
    expect((await t.app.inject({ url: '/api/audit-events', headers: fresh })).statusCode).toBe(403);
  });
});

describe('user management within a subtree', () => {
  it('a street staff member creates a worker in a community of their street, audited', async () => {
    const street = await buildUser(t, 'streetStaff', tree.street);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: street.headers,
      payload: {
        username: 'liuyang',
        displayName: '刘洋',
        role: 'communityWorker',
        orgUnitId: tree.community.id,
      },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.initialPassword).toMatch(/.{10,}/);
    expect(await auditCount('user.created', created.id)).toBe(1);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'liuyang', password: created.initialPassword },
    });
    expect(login.statusCode).toBe(200);
  });

  it('refuses places outside the subtree (403) and roles above one’s own (403)', async () => {
    const street = await buildUser(t, 'streetStaff', tree.street);
    const outside = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: street.headers,
      payload: {
        username: 'zhangmin',
        displayName: '张敏',
        role: 'communityWorker',
        orgUnitId: tree.farCommunity.id,
      },
    });
    expect(outside.statusCode).toBe(403);
    const above = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: street.headers,
      payload: {
        username: 'zhangmin',
        displayName: '张敏',
        role: 'districtStaff',
        orgUnitId: tree.community.id,
      },
    });
    expect(above.statusCode).toBe(403);
    const [row] = await t.ctx.db.select().from(user).where(eq(user.username, 'zhangmin'));
    expect(row).toBeUndefined();
  });

  it('hides users of other subtrees (404) and refuses changes to oneself', async () => {
    const street = await buildUser(t, 'streetStaff', tree.street);
    const far = await buildUser(t, 'communityWorker', tree.farCommunity);
    expect(
      (await t.app.inject({ url: `/api/users/${far.user.id}`, headers: street.headers })).statusCode,
    ).toBe(404);
    const list = (await t.app.inject({ url: '/api/users?pageSize=200', headers: street.headers })).json();
    expect(list.items.map((u: any) => u.id)).not.toContain(far.user.id);
    const self = await t.app.inject({
      method: 'POST',
      url: `/api/users/${street.user.id}/roles`,
      headers: street.headers,
      payload: { role: 'streetStaff', orgUnitId: tree.otherStreet.id },
    });
    expect(self.statusCode).toBe(403);
  });

  it('disabling an account ends its sessions and stops its logins', async () => {
    const community = await buildUser(t, 'communitySecretary', tree.community);
    const worker = await buildUser(t, 'gridWorker', tree.grid);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${worker.user.id}`,
      headers: community.headers,
      payload: { status: 'disabled' },
    });
    expect(res.statusCode).toBe(200);
    expect((await me(worker.headers)).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: worker.user.username, password: testPassword },
    });
    expect(login.statusCode).toBe(403);
    expect(await auditCount('user.disabled', worker.user.id)).toBe(1);
  });

  it('a community worker cannot manage users at all', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.community);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: worker.headers,
      payload: { username: 'abcde', displayName: 'x', role: 'gridWorker', orgUnitId: tree.grid.id },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('login rate limit', () => {
  it('slows down many logins from one address with 429', async () => {
    const limited = await createTestApp({ LOGIN_RATE_PER_MINUTE: '3' });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) {
        codes.push(
          (
            await limited.app.inject({
              method: 'POST',
              url: '/api/auth/login',
              payload: { username: 'x', password: 'y' },
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
