import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectangle } from '../../src/modules/org/geometry.js';
import { grid } from '../../src/modules/org/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildBuilding, buildHouse } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Edits of one field (issue 14): renaming a grid alone, clearing its boundary, changing only a
 * house's address answered 500 "No values to set"; and a grid's or building's staff may only be
 * people with a role in its community.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let secretary: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  secretary = await buildUser(t, 'communitySecretary', tree.community);
});
afterAll(() => t.close());

const patch = (url: string, payload: object) =>
  t.app.inject({ method: 'PATCH', url, headers: secretary.headers, payload });

async function newGrid(payload: object = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/grids',
    headers: secretary.headers,
    payload: { parentId: tree.community.id, name: '编辑网格', type: 'basic', ...payload },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().grid as { id: string; name: string };
}

describe('editing one field', () => {
  it('renames a grid alone, clears and sets its boundary (and its box), and edits an org unit with any subset', async () => {
    const g = await newGrid({ boundary: rectangle(110, 40, 110.01, 40.01) });
    const renamed = await patch(`/api/grids/${g.id}`, { name: '改名网格' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().grid.name).toBe('改名网格');

    const cleared = await patch(`/api/grids/${g.id}`, { boundary: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().grid.boundary).toBeNull();
    const [box] = await t.ctx.db.select().from(grid).where(eq(grid.orgUnitId, g.id));
    expect([box.minLng, box.minLat, box.maxLng, box.maxLat]).toEqual([null, null, null, null]);

    const set = await patch(`/api/grids/${g.id}`, { boundary: rectangle(110.02, 40, 110.03, 40.01) });
    expect(set.statusCode, set.body).toBe(200);
    const [again] = await t.ctx.db.select().from(grid).where(eq(grid.orgUnitId, g.id));
    expect(again.minLng).toBe(110.02);

    expect((await patch(`/api/grids/${g.id}`, {})).statusCode).toBe(200);
    expect((await patch(`/api/org-units/${g.id}`, {})).statusCode).toBe(200);
    const unit = await patch(`/api/org-units/${g.id}`, { sort: 3 });
    expect(unit.statusCode, unit.body).toBe(200);
  });

  it('changes only a standalone house’s address; a room’s address follows its building and is refused with 400', async () => {
    const standalone = await buildHouse(t.ctx, tree.grid, { buildingId: null, address: '测试嘎查老地址' });
    const moved = await patch(`/api/houses/${standalone.id}`, { address: '测试嘎查新地址 8 号' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().address).toBe('测试嘎查新地址 8 号');
    const blank = await patch(`/api/houses/${standalone.id}`, { address: null });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().fields).toEqual([{ path: 'address', message: '独立房屋须填写地址' }]);

    const room = await buildHouse(t.ctx, tree.grid, {
      buildingId: (await buildBuilding(t.ctx, tree.grid)).id,
    });
    const typed = await patch(`/api/houses/${room.id}`, { address: '随便写的地址' });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().fields[0].path).toBe('address');
    const same = await patch(`/api/houses/${room.id}`, { address: room.address });
    expect(same.statusCode, same.body).toBe(200);
    const area = await patch(`/api/houses/${room.id}`, { area: 86.5 });
    expect(area.statusCode, area.body).toBe(200);
    const renumbered = await patch(`/api/houses/${room.id}`, { room: '909' });
    expect(renumbered.json().address).toMatch(/909室$/);
  });
});

describe("a grid's and a building's staff", () => {
  it('may only be people with a role in its community: anyone else is 400 naming the field', async () => {
    const worker = await buildUser(t, 'gridWorker', tree.grid);
    const leader = await buildUser(t, 'communityWorker', tree.community);
    const neighbour = await buildUser(t, 'gridWorker', tree.neighbourGrid);
    const far = await buildUser(t, 'communitySecretary', tree.farCommunity);
    const above = await buildUser(t, 'streetStaff', tree.street);
    const nobody = '0190f000-0000-7000-8000-000000000000';

    const staffed = await newGrid({ leaderUserId: leader.user.id, workerUserIds: [worker.user.id] });
    const refused = async (res: Awaited<ReturnType<typeof patch>>, field: string) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().fields).toEqual([{ path: field, message: expect.stringContaining('任职') }]);
    };
    for (const outsider of [neighbour.user.id, far.user.id, above.user.id, nobody]) {
      await refused(await patch(`/api/grids/${staffed.id}`, { leaderUserId: outsider }), 'leaderUserId');
      await refused(
        await patch(`/api/grids/${staffed.id}`, { workerUserIds: [worker.user.id, outsider] }),
        'workerUserIds',
      );
    }
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: secretary.headers,
      payload: { parentId: tree.community.id, name: '外人网格', type: 'basic', leaderUserId: far.user.id },
    });
    await refused(create, 'leaderUserId');

    const kept = (await t.app.inject({ url: `/api/grids/${staffed.id}`, headers: secretary.headers })).json();
    expect(kept).toMatchObject({ leaderUserId: leader.user.id, workerUserIds: [worker.user.id] });
    const swapped = await patch(`/api/grids/${staffed.id}`, {
      leaderUserId: worker.user.id,
      workerUserIds: [],
    });
    expect(swapped.statusCode, swapped.body).toBe(200);

    const b = await buildBuilding(t.ctx, tree.grid);
    await refused(await patch(`/api/buildings/${b.id}`, { leaderUserId: neighbour.user.id }), 'leaderUserId');
    const ok = await patch(`/api/buildings/${b.id}`, { leaderUserId: worker.user.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().leaderUserId).toBe(worker.user.id);
  });
});
