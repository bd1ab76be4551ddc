import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/platform/db/index.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
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

const idNumber = (seq: number) => {
  const body = `15060219850315${String(seq).padStart(3, '0')}`;
  return body + idNumberCheckChar(body);
};
let phoneSerial = 0;
const registration = (over: Record<string, unknown> = {}) => ({
  phone: `1380471${String(++phoneSerial).padStart(4, '0')}`,
  password: 'Caoyuan-2026',
  name: '乌云其木格',
  idNumber: idNumber(phoneSerial),
  communityId: tree.community.id,
  ...over,
});
const register = (payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/auth/register', payload: payload as object });
const count = async (table: string) =>
  Number(
    rowsOf<{ n: number }>(await t.ctx.db.execute(sql.raw(`select count(*)::int as n from "${table}"`)))[0].n,
  );

describe('resident registration', () => {
  it('creates a resident account that can log in at once and waits for its community', async () => {
    const body = registration();
    const res = await register(body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: `138****${body.phone.slice(-4)}`, status: 'pending' });

    const headers = await t.login(body.phone, body.password);
    const me = (await t.app.inject({ url: '/api/auth/me', headers })).json();
    expect(me).toMatchObject({ kind: 'resident', displayName: '乌云其木格' });
    expect(me.assignments).toEqual([
      expect.objectContaining({ role: 'resident', orgUnitId: tree.community.id }),
    ]);
    expect(me.permissions).not.toContain('resident.read');

    const mine = (await t.app.inject({ url: '/api/account-requests/mine', headers })).json();
    expect(mine).toEqual([
      expect.objectContaining({
        kind: 'resident',
        status: 'pending',
        phone: `138****${body.phone.slice(-4)}`,
      }),
    ]);
    // Personal data is stored only encrypted.
    const raw = JSON.stringify(
      rowsOf(await t.ctx.db.execute(sql`select * from "user" u join account_request r on r.user_id = u.id`)),
    );
    expect(raw).not.toContain(body.idNumber);
    expect(raw).not.toContain(body.phone.slice(3));
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const before = [await count('user'), await count('account_request'), await count('role_assignment')];
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ idNumber: '150602198503150011' }, 'idNumber', /校验位/],
      [{ phone: '1380471' }, 'phone', /11 位/],
      [{ password: 'short' }, 'password', /密码/],
      [{ communityId: tree.street.id }, 'communityId', /社区/],
      [{ name: '' }, 'name', /姓名/],
    ];
    for (const [over, field, message] of cases) {
      const res = await register(registration(over));
      expect(res.statusCode, field).toBe(400);
      expect(res.json().fields).toEqual([
        expect.objectContaining({ path: field, message: expect.stringMatching(message) }),
      ]);
    }
    // Mass assignment of roles or kinds is refused outright.
    const sneaky = await register({ ...registration(), role: 'systemAdmin' });
    expect(sneaky.statusCode).toBe(400);
    expect([await count('user'), await count('account_request'), await count('role_assignment')]).toEqual(
      before,
    );

    const first = registration();
    expect((await register(first)).statusCode).toBe(201);
    const again = await register({ ...registration(), phone: first.phone });
    expect(again.statusCode).toBe(400);
    expect(again.json().fields[0]).toMatchObject({ path: 'phone', message: expect.stringMatching(/已注册/) });
  });

  it('one person, one account: a second sign-up with the same ID number is refused (409), until the first is rejected', async () => {
    const first = registration({ name: '图雅' });
    expect((await register(first)).statusCode).toBe(201);
    const before = [await count('user'), await count('account_request'), await count('role_assignment')];
    // Another phone, another community, the ID number in lower case: the same person.
    const second = registration({
      idNumber: first.idNumber.toLowerCase(),
      communityId: tree.neighbourCommunity.id,
    });
    const refused = await register(second);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('一人只能注册一个账号'),
    });
    expect([await count('user'), await count('account_request'), await count('role_assignment')]).toEqual(
      before,
    );
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: second.phone, password: second.password },
        })
      ).statusCode,
    ).toBe(401);

    // The community finds the first claim false: the ID number is free for its real holder.
    const worker = await buildUser(t, 'communityWorker', tree.community);
    const queue = (
      await t.app.inject({
        url: '/api/account-requests?status=pending&pageSize=100',
        headers: worker.headers,
      })
    ).json();
    const row = queue.items.find((r: any) => r.name === '图雅');
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/account-requests/${row.id}/reject`,
      headers: worker.headers,
      payload: { reason: '身份证号与本人不符' },
    });
    expect(rejected.statusCode).toBe(200);
    expect((await register(second)).statusCode).toBe(201);
  });

  it('is confirmed by a worker of that community only, once, and audited', async () => {
    const body = registration({ communityId: tree.grid.id, name: '巴特尔' });
    const { id: userId } = (await register(body)).json();
    const own = await buildUser(t, 'communityWorker', tree.community);
    const neighbour = await buildUser(t, 'communityWorker', tree.neighbourCommunity);
    const street = await buildUser(t, 'streetStaff', tree.street);

    const queue = (headers: object) =>
      t.app
        .inject({ url: '/api/account-requests?status=pending', headers: headers as any })
        .then((r) => r.json());
    const ownQueue = await queue(own.headers);
    const row = ownQueue.items.find((r: any) => r.name === '巴特尔');
    expect(row).toMatchObject({
      idNumber: expect.stringMatching(/^150602\*{8}\d{3}[\dX]$/),
      orgName: tree.grid.name,
    });
    expect((await queue(street.headers)).items.map((r: any) => r.id)).toContain(row.id);
    expect((await queue(neighbour.headers)).items.map((r: any) => r.id)).not.toContain(row.id);

    const approveAs = (headers: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/account-requests/${row.id}/approve`,
        headers: headers as any,
      });
    expect((await approveAs(neighbour.headers)).statusCode).toBe(404);
    const approved = await approveAs(own.headers);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved' });
    expect((await approveAs(own.headers)).statusCode).toBe(409);
    const audited = rowsOf<{ action: string }>(
      await t.ctx.db.execute(sql`select action from audit_event where target_id = ${userId} order by at`),
    ).map((r) => r.action);
    expect(audited).toEqual(['user.registered', 'account.approved']);
  });
});

describe('who hears about a request', () => {
  it('tells the workers and secretary of the community, and the branch secretary for party members', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.neighbourCommunity);
    const secretary = await buildUser(t, 'communitySecretary', tree.neighbourCommunity);
    const farWorker = await buildUser(t, 'communityWorker', tree.farCommunity);
    const body = registration({ communityId: tree.neighbourGrid.id, name: '萨仁' });
    await register(body);
    const inbox = async (headers: object) =>
      (await t.app.inject({ url: '/api/notifications', headers: headers as any }))
        .json()
        .items.map((n: any) => n.title);
    expect(await inbox(worker.headers)).toEqual(['新居民注册待认证：萨仁']);
    expect(await inbox(secretary.headers)).toEqual(['新居民注册待认证：萨仁']);
    expect(await inbox(farWorker.headers)).toEqual([]);

    const headers = await t.login(body.phone, body.password);
    await t.app.inject({
      method: 'POST',
      url: '/api/party-membership',
      headers,
      payload: { branchId: tree.neighbourCommunity.id },
    });
    expect(await inbox(secretary.headers)).toEqual(['党员身份待确认：萨仁', '新居民注册待认证：萨仁']);
    expect(await inbox(worker.headers)).toHaveLength(1);
  });
});

describe('party membership', () => {
  it('is claimed by a resident and confirmed by the branch, which grants the role there', async () => {
    const body = registration();
    await register(body);
    const headers = await t.login(body.phone, body.password);
    const claim = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/party-membership', headers, payload });
    expect((await claim({ branchId: tree.community.id, inService: true })).json().fields[0].path).toBe(
      'workplace',
    );
    const created = await claim({ branchId: tree.community.id, inService: true, workplace: '东胜区住建局' });
    expect(created.statusCode).toBe(201);
    expect((await claim({ branchId: tree.community.id })).statusCode).toBe(400);

    const worker = await buildUser(t, 'communityWorker', tree.community);
    const secretary = await buildUser(t, 'communitySecretary', tree.community);
    const url = `/api/party-member-requests/${created.json().id}`;
    expect(
      (await t.app.inject({ method: 'POST', url: `${url}/approve`, headers: worker.headers })).statusCode,
    ).toBe(403);
    const noReason = await t.app.inject({
      method: 'POST',
      url: `${url}/reject`,
      headers: secretary.headers,
      payload: { reason: '' },
    });
    expect(noReason.statusCode).toBe(400);
    const list = await t.app.inject({ url: '/api/party-member-requests', headers: secretary.headers });
    expect(list.json().items[0]).toMatchObject({
      branchName: tree.community.name,
      workplace: '东胜区住建局',
      inService: true,
    });
    expect(
      (await t.app.inject({ method: 'POST', url: `${url}/approve`, headers: secretary.headers })).statusCode,
    ).toBe(200);

    const me = (await t.app.inject({ url: '/api/auth/me', headers })).json();
    expect(me.assignments.map((a: any) => a.role).sort()).toEqual(['partyMember', 'resident']);
  });

  it('records the reason when a branch rejects a claim', async () => {
    const body = registration();
    await register(body);
    const headers = await t.login(body.phone, body.password);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/party-membership',
      headers,
      payload: { branchId: tree.community.id },
    });
    const secretary = await buildUser(t, 'communitySecretary', tree.community);
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/party-member-requests/${created.json().id}/reject`,
      headers: secretary.headers,
      payload: { reason: '组织关系不在本支部' },
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: '组织关系不在本支部' });
    const mine = (await t.app.inject({ url: '/api/account-requests/mine', headers })).json();
    expect(mine.find((r: any) => r.kind === 'partyMember')).toMatchObject({ status: 'rejected' });
  });
});
