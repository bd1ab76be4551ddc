import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCatalog } from '../../src/modules/party/catalog.js';
import { recordEntry } from '../../src/modules/party/entries.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildPartyMember, buildPartyOrg, catalogItems } from '../factories/party.js';
import { factoryCaller } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** 红黑榜 for the party: the top and bottom members and branches under a unit, for a period. */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let street: { authorization: string };
let gridSecretary: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  const committee = await buildPartyOrg(t.ctx, tree.community, { name: '测试社区党委' });
  const first = await buildPartyOrg(t.ctx, tree.grid, { name: '第一网格党支部', parentId: committee.id });
  const second = await buildPartyOrg(t.ctx, tree.neighbourGrid, { name: '第二网格党支部' });
  const catalog = await createCatalog(t.ctx, factoryCaller, committee.id, [...catalogItems]);
  const other = await createCatalog(t.ctx, factoryCaller, second.id, [...catalogItems]);
  const item = (c: typeof catalog, category: string) => c.items.find((i) => i.category === category)!.id;
  const score = async (orgId: string, memberId: string, itemId: string, month: string) =>
    recordEntry(t.ctx, factoryCaller, { partyOrgId: orgId, memberId, itemId, month });
  const members: Record<string, string> = {};
  for (const name of ['阿拉坦', '宝音', '朝鲁', '达来'])
    members[name] = (await buildPartyMember(t.ctx, tree.grid, first.id, name)).id;
  const far = (await buildPartyMember(t.ctx, tree.neighbourGrid, second.id, '额尔敦')).id;
  // 2026Q3: 阿拉坦 8, 宝音 4, 朝鲁 2 (4 − 2), 达来 nothing; 额尔敦 in the other branch 9
  await score(first.id, members.阿拉坦, item(catalog, 'prosperity'), '2026-07');
  await score(first.id, members.阿拉坦, item(catalog, 'prosperity'), '2026-08');
  await score(first.id, members.宝音, item(catalog, 'study'), '2026-07');
  await score(first.id, members.宝音, item(catalog, 'study'), '2026-09');
  await score(first.id, members.朝鲁, item(catalog, 'prosperity'), '2026-07');
  await score(first.id, members.朝鲁, item(catalog, 'discipline'), '2026-08');
  await score(second.id, far, item(other, 'service'), '2026-07');
  await score(second.id, far, item(other, 'service'), '2026-08');
  await score(second.id, far, item(other, 'service'), '2026-09');
  // another quarter does not count in 2026Q3
  await score(first.id, members.达来, item(catalog, 'study'), '2026-10');
  street = (await buildUser(t, 'streetStaff', tree.street)).headers;
  gridSecretary = (await buildUser(t, 'partySecretary', tree.grid)).headers;
});
afterAll(() => t.close());

const get = (headers: object, query: string) =>
  t.app.inject({ method: 'GET', url: `/api/party/honour-board?${query}`, headers: headers as any });

it('puts the best on the red board and the least, members who scored nothing included, on the black board', async () => {
  const res = await get(street, `orgUnitId=${tree.street.id}&period=2026Q3&size=2`);
  expect(res.statusCode).toBe(200);
  const { members, branches } = res.json();
  expect(members.total).toBe(5);
  expect(members.red.map((m: any) => [m.name, m.points, m.rank])).toEqual([
    ['额尔敦', 9, 1],
    ['阿拉坦', 8, 2],
  ]);
  expect(members.black.map((m: any) => [m.name, m.points])).toEqual([
    ['达来', 0],
    ['朝鲁', 2],
  ]);
  // branches by their members' average: 9 against (8 + 4 + 2 + 0) / 4 = 3.5
  expect(branches.red.map((b: any) => [b.name, b.points])).toEqual([
    ['第二网格党支部', 9],
    ['第一网格党支部', 3.5],
  ]);
  expect(branches.black).toEqual([]);
});

it('the year counts every quarter, and a short list is not repeated on both boards', async () => {
  const { members } = (await get(street, `orgUnitId=${tree.grid.id}&period=2026&size=5`)).json();
  expect(members.red.map((m: any) => m.name)).toEqual(['阿拉坦', '宝音', '朝鲁', '达来']);
  expect(members.red.find((m: any) => m.name === '达来').points).toBe(2);
  expect(members.black).toEqual([]);
});

it('asks for a unit in reach and a well-formed period', async () => {
  expect((await get(gridSecretary, `orgUnitId=${tree.street.id}&period=2026Q3`)).statusCode).toBe(404);
  const bad = await get(street, `orgUnitId=${tree.street.id}&period=2026-3`);
  expect(bad.statusCode).toBe(400);
  expect(bad.json().fields[0]).toMatchObject({ path: 'querystring.period' });
  expect(bad.json().fields[0].message).toContain('季度');
});
