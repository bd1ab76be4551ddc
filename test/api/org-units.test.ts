import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let admin: { authorization: string };
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  admin = await t.asAdmin();
});
afterAll(() => t.close());

const post = (url: string, payload: object, headers: object = admin) =>
  t.app.inject({ method: 'POST', url, payload, headers: headers as any });
const pathOf = async (table: string, where: string) =>
  rowsOf<{ p: string }>(
    await t.ctx.db.execute(sql.raw(`select org_path::text as p from ${table} where ${where}`)),
  )[0]?.p;

describe('creating and editing units', () => {
  it('creates streets and communities with division codes, departments with generated codes', async () => {
    const street = await post('/api/org-units', {
      kind: 'street',
      parentId: tree.district.id,
      code: `${tree.district.code}009`,
      name: '新城街道',
      subtype: '街道',
    });
    expect(street.statusCode).toBe(201);
    expect(street.json()).toMatchObject({ path: `${tree.district.path}.${tree.district.code}009` });
    const community = await post('/api/org-units', {
      kind: 'community',
      parentId: street.json().id,
      code: `${tree.district.code}009001`,
      name: '和谐社区',
    });
    expect(community.statusCode).toBe(201);
    const dept = await post('/api/org-units', {
      kind: 'department',
      parentId: tree.district.id,
      name: '城管局',
    });
    expect(dept.json().code).toMatch(new RegExp(`^${tree.district.code}D\\d{2}$`));
  });

  it('says in Chinese what is wrong and writes nothing', async () => {
    const before = rowsOf<{ n: number }>(
      await t.ctx.db.execute(sql`select count(*)::int as n from org_unit`),
    )[0].n;
    const cases: [object, string, RegExp][] = [
      [{ kind: 'community', parentId: tree.district.id, code: '1', name: 'x' }, 'parentId', /只能设在/],
      [{ kind: 'street', parentId: tree.district.id, code: '12', name: 'x' }, 'code', /9 位/],
      [{ kind: 'street', parentId: tree.district.id, code: '110101001', name: 'x' }, 'code', /开头/],
      [{ kind: 'street', parentId: tree.district.id, code: tree.street.code, name: 'x' }, 'code', /已被使用/],
      [{ kind: 'department', parentId: tree.district.id, name: '' }, 'name', /名称/],
    ];
    for (const [payload, field, message] of cases) {
      const res = await post('/api/org-units', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().fields[0]).toMatchObject({ path: field, message: expect.stringMatching(message) });
    }
    const after = rowsOf<{ n: number }>(
      await t.ctx.db.execute(sql`select count(*)::int as n from org_unit`),
    )[0].n;
    expect(after).toBe(before);
  });

  it('lets street staff work only inside their street', async () => {
    const staff = await buildUser(t, 'streetStaff', tree.street);
    const inside = await post(
      '/api/org-units',
      { kind: 'organisation', parentId: tree.community.id, name: '东胜区第一中学' },
      staff.headers,
    );
    expect(inside.statusCode).toBe(201);
    const outside = await post(
      '/api/org-units',
      { kind: 'organisation', parentId: tree.farCommunity.id, name: '外街道单位' },
      staff.headers,
    );
    expect(outside.statusCode).toBe(403);
    const rename = await t.app.inject({
      method: 'PATCH',
      url: `/api/org-units/${tree.farCommunity.id}`,
      headers: staff.headers,
      payload: { name: '改名' },
    });
    expect(rename.statusCode).toBe(404);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/org-units/${inside.json().id}`,
      headers: staff.headers,
      payload: { name: '东胜区第一中学（初中部）' },
    });
    expect(renamed.json().name).toBe('东胜区第一中学（初中部）');
  });
});

describe('moving a subtree', () => {
  it('moves a community with its grids, buildings and the roles held there, in one step', async () => {
    const community = await buildOrgUnit(t.ctx.db, {
      parent: tree.street,
      kind: 'community',
      code: `${tree.street.code}077`,
    });
    const grid = await buildOrgUnit(t.ctx.db, {
      parent: community,
      kind: 'grid',
      code: `${community.code}01`,
    });
    const building = await buildOrgUnit(t.ctx.db, {
      parent: grid,
      kind: 'building',
      code: `${grid.code}B001`,
    });
    const gridWorker = await buildUser(t, 'gridWorker', grid);
    const oldStreet = await buildUser(t, 'streetStaff', tree.street);
    const newStreet = await buildUser(t, 'streetStaff', tree.otherStreet);

    const res = await post(`/api/org-units/${community.id}/move`, { parentId: tree.otherStreet.id });
    expect(res.json()).toEqual({ id: community.id, moved: 3 });
    const paths = rowsOf<{ code: string; path: string; level: number }>(
      await t.ctx.db.execute(
        sql`select code, path::text as path, level from org_unit where id in (${community.id}, ${grid.id}, ${building.id}) order by level`,
      ),
    );
    const base = `${tree.otherStreet.path}.${community.code}`;
    expect(paths).toEqual([
      { code: community.code, path: base, level: tree.otherStreet.level + 1 },
      { code: grid.code, path: `${base}.${grid.code}`, level: tree.otherStreet.level + 2 },
      {
        code: building.code,
        path: `${base}.${grid.code}.${building.code}`,
        level: tree.otherStreet.level + 3,
      },
    ]);
    expect(await pathOf('role_assignment', `user_id = '${gridWorker.user.id}'`)).toBe(`${base}.${grid.code}`);
    // The grid worker is now managed by the new street, and no longer visible to the old one.
    const see = (headers: object) =>
      t.app
        .inject({ url: `/api/users/${gridWorker.user.id}`, headers: headers as any })
        .then((r) => r.statusCode);
    expect(await see(newStreet.headers)).toBe(200);
    expect(await see(oldStreet.headers)).toBe(404);
  });

  it('refuses moving under itself, under the wrong kind, or into another street for street staff', async () => {
    const staff = await buildUser(t, 'streetStaff', tree.street);
    const under = await post(`/api/org-units/${tree.street.id}/move`, { parentId: tree.community.id });
    expect(under.json().fields[0].path).toBe('parentId');
    const self = await post(`/api/org-units/${tree.community.id}/move`, { parentId: tree.community.id });
    expect(self.statusCode).toBe(400);
    const away = await post(
      `/api/org-units/${tree.neighbourCommunity.id}/move`,
      { parentId: tree.otherStreet.id },
      staff.headers,
    );
    expect(away.statusCode).toBe(403);
  });
});

describe('retiring a unit', () => {
  it('soft-deletes an empty unit, keeps it in history, and refuses one with units or staff', async () => {
    const org = await post('/api/org-units', {
      kind: 'organisation',
      parentId: tree.street.id,
      name: '待撤销单位',
    });
    const id = org.json().id;
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/org-units/${tree.street.id}`, headers: admin }))
        .statusCode,
    ).toBe(409);
    const staffed = await post('/api/org-units', {
      kind: 'organisation',
      parentId: tree.street.id,
      name: '有人单位',
    });
    await buildUser(t, 'communityWorker', {
      ...tree.street,
      id: staffed.json().id,
      path: staffed.json().path,
    });
    const refused = await t.app.inject({
      method: 'DELETE',
      url: `/api/org-units/${staffed.json().id}`,
      headers: admin,
    });
    expect(refused.json().message).toMatch(/在岗人员/);

    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/org-units/${id}`, headers: admin })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ url: `/api/org-units/${id}`, headers: admin })).statusCode).toBe(404);
    const [row] = rowsOf<{ deleted: boolean }>(
      await t.ctx.db.execute(sql`select deleted_at is not null as deleted from org_unit where id = ${id}`),
    );
    expect(row.deleted).toBe(true);
    const actions = rowsOf<{ action: string }>(
      await t.ctx.db.execute(sql`select action from audit_event where target_id = ${id} order by at`),
    ).map((r) => r.action);
    expect(actions).toEqual(['org.created', 'org.deleted']);
  });
});
