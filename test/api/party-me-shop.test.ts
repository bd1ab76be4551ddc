import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyMember } from '../../src/modules/party/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildPartyMember, buildPartyOrg } from '../factories/party.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** What a member sees of the 积分超市 on the phone: their own branch's items and those of the organisations above. */
let t: TestApp;
type H = { authorization: string };
let member: H;
let unlinked: H;
let secretary: H;

beforeAll(async () => {
  t = await createTestApp();
  const tree = await buildOrgTree(t.ctx.db);
  const committee = await buildPartyOrg(t.ctx, tree.community, { name: '测试社区党委' });
  const branch = await buildPartyOrg(t.ctx, tree.grid, { name: '第一网格党支部', parentId: committee.id });
  const neighbour = await buildPartyOrg(t.ctx, tree.neighbourCommunity, { name: '邻近社区党委' });
  secretary = (await buildUser(t, 'communitySecretary', tree.street)).headers;
  const offer = async (partyOrgId: string, name: string, price: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/party/shop/items',
      headers: secretary,
      payload: { partyOrgId, name, price, stock: 5 },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  await offer(committee.id, '社区党委：理发服务一次', 20);
  await offer(branch.id, '网格党支部：洗衣液一瓶', 10);
  await offer(neighbour.id, '邻近社区：大米一袋', 30);
  const m = await buildPartyMember(t.ctx, tree.grid, branch.id, '巴特尔');
  const account = await buildUser(t, 'partyMember', tree.grid);
  await t.ctx.db.update(partyMember).set({ userId: account.user.id }).where(eq(partyMember.id, m.id));
  member = account.headers;
  unlinked = (await buildUser(t, 'partyMember', tree.grid)).headers;
});

afterAll(() => t?.close());

describe('GET /api/party/me/shop', () => {
  it('lists the items of the member’s branch and of the committee above it, cheapest first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/party/me/shop', headers: member });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().map((i: { name: string }) => i.name)).toEqual([
      '网格党支部：洗衣液一瓶',
      '社区党委：理发服务一次',
    ]);
  });

  it('is 404 for an account that is not linked to a member record', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/party/me/shop', headers: unlinked });
    expect(res.statusCode).toBe(404);
  });

  it('is refused to staff, who have no member record of their own to act on', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/party/me/shop', headers: secretary });
    expect(res.statusCode).toBe(403);
  });
});
