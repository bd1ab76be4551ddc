import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnit } from '../../src/modules/org/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit } from '../factories/org.js';
import { buildBuilding, validIdNumber } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { type Cells, importWorkbook } from '../helpers/workbook-import.js';

/**
 * Places found from addresses that name only the community: flagged for a grid to be chosen, found
 * in the house list, moved to their grid one or many at a time; and the house import by address.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: Record<string, string>;
let secondGrid: Awaited<ReturnType<typeof buildOrgUnit>>;
let tower: Awaited<ReturnType<typeof buildOrgUnit>>;

const registerHead = ['姓名', '性别', '身份证号码', '民族', '现住址', '与户主关系'];
const ids = Array.from({ length: 12 }, (_, i) => validIdNumber(`198${i % 10}-0${(i % 9) + 1}-2${i % 9}`));
const person = (name: string, i: number, address: string, relation: string): Cells => [
  name,
  '男',
  ids[i],
  '汉族',
  address,
  relation,
];
const importRegister = (rows: Cells[], opts: Record<string, unknown> = {}) =>
  importWorkbook(t, worker, '/api/residents/imports', registerHead, rows, opts);

interface HouseRow {
  id: string;
  address: string;
  gridId: string;
  needsGrid: boolean;
  residents: number;
}
const awaitingGrid = async (headers = worker): Promise<HouseRow[]> => {
  const res = await t.app.inject({ url: '/api/houses?needsGrid=true&pageSize=50', headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const houseAt = async (address: string) =>
  rowsOf<{ id: string; grid_id: string; org_path: string; needs_grid: boolean }>(
    await t.ctx.db.execute(
      sql`select id, grid_id, org_path::text, needs_grid from house where address = ${address} and deleted_at is null`,
    ),
  );
const choose = (houseIds: string[], gridId: string, headers = worker) =>
  t.app.inject({ method: 'POST', url: '/api/houses/grid', headers, payload: { houseIds, gridId } });

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  await t.ctx.db.update(orgUnit).set({ name: '东胜区' }).where(eq(orgUnit.id, tree.district.id));
  await t.ctx.db.update(orgUnit).set({ name: '交通街道' }).where(eq(orgUnit.id, tree.street.id));
  await t.ctx.db.update(orgUnit).set({ name: '吉劳庆社区' }).where(eq(orgUnit.id, tree.community.id));
  await t.ctx.db.update(orgUnit).set({ name: '第1网格' }).where(eq(orgUnit.id, tree.grid.id));
  secondGrid = await buildOrgUnit(t.ctx.db, {
    parent: tree.community,
    kind: 'grid',
    code: `${tree.community.code}02`,
    name: '第2网格',
  });
  tower = await buildBuilding(t.ctx, tree.grid);
  await t.ctx.db.update(orgUnit).set({ name: '12号楼' }).where(eq(orgUnit.id, tower.id));
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers as Record<string, string>;
});
afterAll(() => t.close());

describe('addresses that name only the community', () => {
  const rows = [
    person('巴特尔', 0, '吉劳庆社区平房3排5号', '户主'),
    person('其其格', 1, '吉劳庆社区 平房3排5号', '妻'),
    person('乌云', 2, '东胜区交通街道吉劳庆社区平房4排1号', '户主'),
    person('苏和', 3, '吉劳庆社区平房6排2号', '户主'),
    person('王网格', 4, '吉劳庆社区第二网格平房9号', '户主'),
    person('李楼房', 5, '吉劳庆社区12号楼3单元1502室', '户主'),
  ];

  it('are placed in the first grid, flagged for a grid to be chosen, counted, and listed', async () => {
    const result = await importRegister(rows);
    expect(result).toMatchObject({
      imported: 6,
      rejected: 0,
      placedByAddress: 6,
      placedAtCommunity: 4,
      householdsCreated: 5,
    });
    const listed = await awaitingGrid();
    expect(listed.map((h) => h.address).sort()).toEqual([
      '东胜区交通街道吉劳庆社区平房4排1号',
      '吉劳庆社区平房3排5号',
      '吉劳庆社区平房6排2号',
    ]);
    for (const h of listed) expect(h).toMatchObject({ gridId: tree.grid.id, needsGrid: true });
    // A grid or building named: placed there, nothing to choose.
    expect(await houseAt('吉劳庆社区第二网格平房9号')).toEqual([
      expect.objectContaining({ grid_id: secondGrid.id, needs_grid: false }),
    ]);
  });

  it('moves one house with its residents and household to the grid chosen, then many at once', async () => {
    const [bater] = await houseAt('吉劳庆社区平房3排5号');
    const one = await choose([bater.id], secondGrid.id);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual({ houses: 1, residents: 2, gridId: secondGrid.id });
    expect(await houseAt('吉劳庆社区平房3排5号')).toEqual([
      { id: bater.id, grid_id: secondGrid.id, org_path: secondGrid.path, needs_grid: false },
    ]);
    const moved = rowsOf<{ name: string; grid_id: string; org_path: string; hh_path: string }>(
      await t.ctx.db.execute(sql`select r.name, r.grid_id, r.org_path::text, hh.org_path::text as hh_path
        from resident r join household_member m on m.resident_id = r.id and m.left_on is null
        join household hh on hh.id = m.household_id where r.house_id = ${bater.id} order by r.name`),
    );
    expect(moved).toEqual(
      ['其其格', '巴特尔'].map((name) => ({
        name,
        grid_id: secondGrid.id,
        org_path: secondGrid.path,
        hh_path: secondGrid.path,
      })),
    );
    const rest = await awaitingGrid();
    expect(rest).toHaveLength(2);
    const many = await choose(
      rest.map((h) => h.id),
      tree.grid.id,
    );
    expect(many.json()).toEqual({ houses: 2, residents: 2, gridId: tree.grid.id });
    expect(await awaitingGrid()).toEqual([]);
  });

  it('keeps the chosen grid when the same register is imported again', async () => {
    const again = await importRegister(rows);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 6, householdsCreated: 0 });
    expect(again.placedAtCommunity).toBe(0);
    expect(await houseAt('吉劳庆社区平房3排5号')).toEqual([
      expect.objectContaining({ grid_id: secondGrid.id, needs_grid: false }),
    ]);
    expect(await awaitingGrid()).toEqual([]);
  });

  it('refuses a grid of another community, a house in a building, and houses outside the caller', async () => {
    await importRegister([person('新来', 6, '吉劳庆社区平房8排8号', '户主')]);
    const [pending] = await awaitingGrid();
    const [inTower] = rowsOf<{ id: string }>(
      await t.ctx.db.execute(sql`select id from house where building_id = ${tower.id}`),
    );
    const other = await choose([pending.id], tree.neighbourGrid.id);
    expect(other.statusCode).toBe(400);
    expect(other.json().fields[0]).toMatchObject({ path: 'gridId' });
    expect(other.json().fields[0].message).toContain('只能选本社区的网格');
    const notGrid = await choose([pending.id], tree.community.id);
    expect(notGrid.json().fields[0]).toMatchObject({ path: 'gridId', message: '网格不存在' });
    const none = await choose([], secondGrid.id);
    expect(none.statusCode).toBe(400);
    expect(none.json().fields[0].path).toContain('houseIds');
    const building = await choose([pending.id, inTower.id], secondGrid.id);
    expect(building.json().fields[0]).toMatchObject({ path: 'houseIds' });
    const stranger = (await buildUser(t, 'communityWorker', tree.neighbourCommunity)).headers as Record<
      string,
      string
    >;
    expect((await choose([pending.id], tree.neighbourGrid.id, stranger)).statusCode).toBe(404);
    expect(await awaitingGrid(stranger)).toEqual([]);
    // Nothing moved by any refusal.
    expect(await houseAt('吉劳庆社区平房8排8号')).toEqual([
      expect.objectContaining({ grid_id: tree.grid.id, needs_grid: true }),
    ]);
  });
});

describe('the house import by address', () => {
  const head = ['房屋地址', '用途', '面积', '产权人'];
  const rows: Cells[] = [
    ['吉劳庆社区12号楼2单元201室', '出租', 88, '张房东'],
    ['交通街道吉劳庆社区１２＃２－２０２', '自住', null, null],
    // The room the register import made: matched, not made twice.
    ['吉劳庆社区12栋3单元1502', '经营', null, null],
    ['吉劳庆社区平房7排1号', '空置', null, null],
    ['吉劳庆社区15号楼1单元101室', '自住', null, null],
    ['呼和浩特市新城区某路1号', '自住', null, null],
  ];
  const towerRooms = async () =>
    rowsOf<{ unit: number; room: string; use: string; area: number | null }>(
      await t.ctx.db.execute(
        sql`select unit, room, use, area from house where building_id = ${tower.id} order by unit, room`,
      ),
    );

  it('places rooms and standalone addresses by the matcher, refusing what it cannot place', async () => {
    const result = await importWorkbook(t, worker, '/api/houses/imports', head, rows, { partial: true });
    expect(result).toMatchObject({
      imported: 3,
      updated: 1,
      rejected: 2,
      placedByAddress: 4,
      placedByCode: 0,
      placedAtCommunity: 1,
    });
    expect(result.errors.map((e: { row: number; message: string }) => [e.row, e.message])).toEqual([
      [6, expect.stringContaining('15 号楼在吉劳庆社区没有登记')],
      [7, expect.stringContaining('「呼和浩特市新城区某路1号」中找不到本次导入范围内的社区')],
    ]);
    expect(await towerRooms()).toEqual([
      { unit: 2, room: '201', use: 'rented', area: 88 },
      { unit: 2, room: '202', use: 'selfOccupied', area: null },
      { unit: 3, room: '1502', use: 'business', area: null },
    ]);
    expect(await houseAt('吉劳庆社区平房7排1号')).toEqual([
      expect.objectContaining({ grid_id: tree.grid.id, needs_grid: true }),
    ]);
  });

  it('makes a building the community lacks when asked, and imports again without duplicates', async () => {
    const made = await importWorkbook(t, worker, '/api/houses/imports', head, rows.slice(0, 5), {
      partial: true,
      createBuildings: true,
    });
    expect(made).toMatchObject({ imported: 1, updated: 0, unchanged: 4, rejected: 0, buildingsCreated: 1 });
    const [h] = rowsOf<{ org_path: string; address: string; parent_id: string }>(
      await t.ctx.db.execute(sql`select h.org_path::text, h.address, u.parent_id from house h
        join org_unit u on u.id = h.building_id where u.name = '15号楼'`),
    );
    expect(h.parent_id).toBe(tree.grid.id);
    expect(h.org_path.startsWith(`${tree.grid.path}.`)).toBe(true);
    expect(h.address).toContain('15号楼1单元101室');
    expect(await towerRooms()).toHaveLength(3);
    expect(await houseAt('吉劳庆社区平房7排1号')).toHaveLength(1);
  });
});
