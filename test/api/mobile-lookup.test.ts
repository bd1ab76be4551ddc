import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildBuilding } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
});
afterAll(() => t.close());

describe('public community search (registration)', () => {
  it('finds communities by name or street without a login, and nothing else', async () => {
    const res = await t.app.inject({ url: `/api/public/communities?q=${encodeURIComponent('社区')}` });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json() as { id: string; name: string; street: string | null }[];
    const ids = list.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([tree.community.id, tree.neighbourCommunity.id]));
    // Only communities: no grid, street or department.
    expect(ids).not.toContain(tree.grid.id);
    expect(ids).not.toContain(tree.street.id);
    expect(list.find((c) => c.id === tree.community.id)).toMatchObject({
      name: tree.community.name,
      street: tree.street.name,
    });
    expect(Object.keys(list[0]).sort()).toEqual(['centre', 'district', 'id', 'name', 'street']);

    const byStreet = (
      await t.app.inject({ url: `/api/public/communities?q=${encodeURIComponent(tree.otherStreet.name)}` })
    ).json();
    expect(byStreet.map((c: { id: string }) => c.id)).toEqual([tree.farCommunity.id]);

    const byId = (await t.app.inject({ url: `/api/public/communities?id=${tree.community.id}` })).json();
    expect(byId).toHaveLength(1);
    // A resident's place may be a grid: its community answers, and only that.
    const byGrid = (await t.app.inject({ url: `/api/public/communities?id=${tree.grid.id}` })).json();
    expect(byGrid.map((c: { id: string }) => c.id)).toEqual([tree.community.id]);
    const byStreetId = await t.app.inject({ url: `/api/public/communities?id=${tree.street.id}` });
    expect(byStreetId.json()).toEqual([]);
    expect((await t.app.inject({ url: '/api/public/communities' })).json()).toEqual([]);
    // A % in the query is a character, not a wildcard.
    expect((await t.app.inject({ url: '/api/public/communities?q=%25' })).json()).toEqual([]);
  });

  it('a community picked from the search registers a resident', async () => {
    const [c] = (
      await t.app.inject({ url: `/api/public/communities?q=${encodeURIComponent(tree.community.name)}` })
    ).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        phone: '13804710901',
        password: 'Caoyuan-2026',
        name: '其其格',
        idNumber: '11010519491231002X',
        communityId: c.id,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending' });
  });
});

describe('building look-up (QR scan, typed code)', () => {
  it('opens a building in the caller’s grid by its QR link, token or code; outside is 404', async () => {
    const b = await buildBuilding(t.ctx, tree.grid);
    const other = await buildBuilding(t.ctx, tree.neighbourGrid);
    const { headers } = await buildUser(t, 'gridWorker', tree.grid);
    const get = (q: string) => t.app.inject({ url: `/api/buildings/lookup?${q}`, headers });

    const byLink = await get(`qr=${encodeURIComponent(`https://example.org/m/b/qr-${b.id}`)}`);
    expect(byLink.statusCode).toBe(200);
    expect(byLink.json()).toMatchObject({
      id: b.id,
      code: b.code,
      gridId: tree.grid.id,
      gridName: `${tree.community.name} ${tree.grid.name}`,
    });
    expect(byLink.json()).not.toHaveProperty('qrToken');
    expect((await get(`qr=qr-${b.id}`)).json().id).toBe(b.id);
    expect((await get(`code=${b.code.toLowerCase()}`)).json().id).toBe(b.id);
    expect((await get(`code=${b.code.slice(-4)}`)).json().id).toBe(b.id);

    expect((await get(`qr=qr-${other.id}`)).statusCode).toBe(404);
    expect((await get(`code=${other.code}`)).statusCode).toBe(404);
    expect((await get('qr=nothing-here')).statusCode).toBe(404);
    expect((await get('')).statusCode).toBe(400);

    const resident = await buildUser(t, 'resident', tree.community);
    const asResident = await t.app.inject({
      url: `/api/buildings/lookup?qr=qr-${b.id}`,
      headers: resident.headers,
    });
    expect(asResident.statusCode).toBe(403);
  });
});
