import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnit } from '../../src/modules/org/schema.js';
import { workOrder } from '../../src/modules/work-orders/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildBuilding, buildHouse, buildResident } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { applyStep } from '../helpers/work-orders.js';

/**
 * Every community has a 第1–7网格 (issue 15, "Ambiguous places"): wherever an answer names a grid,
 * it names the grid's community with it — the unit picker, the people lists, statistics, the phone
 * and Open311. Two communities of one street here each have a 第5网格.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
type User = Awaited<ReturnType<typeof buildUser>>;
let streetStaff: User;
let worker: User;
let gridWorker: User;
const ours = '吉劳庆社区 第5网格';
const theirs = '民族社区 第5网格';

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  const rename = (id: string, name: string) =>
    t.ctx.db.update(orgUnit).set({ name }).where(eq(orgUnit.id, id));
  await rename(tree.community.id, '吉劳庆社区');
  await rename(tree.neighbourCommunity.id, '民族社区');
  await rename(tree.grid.id, '第5网格');
  await rename(tree.neighbourGrid.id, '第5网格');
  streetStaff = await buildUser(t, 'streetStaff', tree.street);
  worker = await buildUser(t, 'communityWorker', tree.community);
  gridWorker = await buildUser(t, 'gridWorker', tree.grid);
});
afterAll(() => t.close());

const get = async (who: User, url: string) => {
  const res = await t.app.inject({ url, headers: who.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('a grid is named with its community', () => {
  it('in the unit picker: search hits and a unit opened by id', async () => {
    const hits = await get(streetStaff, `/api/org-units?q=${encodeURIComponent('第5网格')}`);
    expect(hits.items.map((u: { label: string }) => u.label).sort()).toEqual([ours, theirs].sort());
    expect(hits.items[0].name).toBe('第5网格');
    const children = await get(streetStaff, `/api/org-units?parentId=${tree.street.id}`);
    expect(children.items.map((u: { label: string }) => u.label)).toContain('吉劳庆社区');
    expect((await get(streetStaff, `/api/org-units/${tree.neighbourGrid.id}`)).label).toBe(theirs);
  });

  it('in the residents, households and houses lists, and on a resident', async () => {
    const mine = await buildResident(t.ctx, tree.grid);
    const other = await buildResident(t.ctx, tree.neighbourGrid);
    const residents = await get(streetStaff, '/api/residents?pageSize=100');
    const gridOf = (id: string) => residents.items.find((r: { id: string }) => r.id === id)?.gridName;
    expect([gridOf(mine.id), gridOf(other.id)]).toEqual([ours, theirs]);
    expect((await get(streetStaff, `/api/residents/${other.id}`)).gridName).toBe(theirs);

    const house = await buildHouse(t.ctx, tree.neighbourGrid);
    const houses = await get(streetStaff, `/api/houses?orgUnitId=${tree.neighbourCommunity.id}&pageSize=100`);
    expect(houses.items.find((h: { id: string }) => h.id === house.id).gridName).toBe(theirs);

    const formed = await t.app.inject({
      method: 'POST',
      url: '/api/households',
      headers: worker.headers,
      payload: {
        houseId: mine.houseId,
        registrationType: 'registered',
        members: [{ residentId: mine.id, relation: '02' }],
      },
    });
    expect(formed.statusCode, formed.body).toBe(201);
    const households = await get(streetStaff, `/api/households?orgUnitId=${tree.community.id}`);
    expect(households.items.find((h: { id: string }) => h.id === formed.json().id).gridName).toBe(ours);
  });

  it("in the buildings list and on the phone's grid screen", async () => {
    const building = await buildBuilding(t.ctx, tree.grid);
    const buildings = await get(streetStaff, `/api/buildings?orgUnitId=${tree.community.id}`);
    expect(buildings.items.find((b: { id: string }) => b.id === building.id).gridName).toBe(ours);
    const myGrid = await get(gridWorker, '/api/my-grid');
    expect(myGrid.grids.map((g: { name: string }) => g.name)).toEqual([ours]);
  });

  it("in statistics (scope, rankings, overdue list) and Open311's agency_responsible", async () => {
    const admin = await buildUser(t, 'cityAdmin', tree.city);
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/open311/keys',
      headers: admin.headers,
      payload: { name: '随手拍 App', orgUnitId: tree.district.id },
    });
    const filed = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        api_key: key.json().key,
        service_code: 'city.environment',
        address_id: tree.grid.code,
        description: '楼下垃圾堆了三天没人清运',
      }).toString(),
    });
    expect(filed.statusCode, filed.body).toBe(200);
    const number = filed.json()[0].service_request_id as string;
    const [order] = await t.ctx.db.select().from(workOrder).where(eq(workOrder.number, number));
    await applyStep(t, worker.headers, order.id, { type: 'accepted' });
    await applyStep(t, worker.headers, order.id, { type: 'dispatched', handlerUnitId: tree.grid.id });
    const [published] = (await t.app.inject({ url: `/open311/v2/requests/${number}.json` })).json();
    expect(published.agency_responsible).toBe(ours);

    await t.ctx.db
      .update(workOrder)
      .set({ dueAt: new Date(Date.now() - 3600_000) })
      .where(eq(workOrder.id, order.id));
    const period = `from=${new Date(Date.now() - 86400_000).toISOString()}&to=${new Date(Date.now() + 86400_000).toISOString()}`;
    const ranked = await get(streetStaff, `/api/work-orders/stats/rankings?${period}&kind=grid`);
    expect(ranked.items.map((r: { name: string }) => r.name).sort()).toEqual([ours, theirs].sort());
    const stats = await get(streetStaff, `/api/work-orders/stats?${period}&orgUnitId=${tree.grid.id}`);
    expect(stats.orgUnit.name).toBe(ours);
    expect(stats.overdue.items.find((o: { id: string }) => o.id === order.id)).toMatchObject({
      placeName: ours,
      handlerName: ours,
    });
  });
});
