import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnit } from '../../src/modules/org/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, type buildOrgUnit } from '../factories/org.js';
import { buildBuilding, validIdNumber } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

/**
 * A register as communities keep it: 现住址 and 与户主关系, no 户号, no grid or building codes.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: Record<string, string>;
let tower: Awaited<ReturnType<typeof buildOrgUnit>>;

const head = ['姓名', '性别', '身份证号码', '民族', '出生日期', '联系电话', '现住址', '与户主关系', '备注'];
type Cells = (string | null)[];

async function importRegister(rows: Cells[], opts: { partial?: boolean; createBuildings?: boolean } = {}) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('居民');
  ws.addRow(head);
  for (const r of rows) ws.addRow(r);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const body = multipartBody({}, [
    { name: '居民.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes },
  ]);
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...worker, ...body.headers },
    payload: body.payload,
  });
  expect(up.statusCode, up.body).toBe(201);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/residents/imports',
    headers: worker,
    payload: { fileId: up.json().id, ...opts },
  });
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const job = (await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: worker })).json();
  expect(job.status, JSON.stringify(job)).toBe('succeeded');
  return job.result;
}

/** Every live household of the community: its house's address and its members (name:relation), head first. */
async function households() {
  const rows = rowsOf<{ id: string; address: string; head: string | null; member: string; relation: string }>(
    await t.ctx.db.execute(sql`
      select hh.id, h.address, head.name as head, r.name as member, m.relation
      from household hh join house h on h.id = hh.house_id
      left join resident head on head.id = hh.head_resident_id
      join household_member m on m.household_id = hh.id and m.left_on is null
      join resident r on r.id = m.resident_id
      where hh.org_path <@ ${tree.community.path}::ltree and hh.deleted_at is null
      order by h.address, m.relation, r.name`),
  );
  const out: Record<string, { head: string | null; members: string[] }> = {};
  for (const r of rows) {
    out[r.address] ??= { head: r.head, members: [] };
    out[r.address].members.push(`${r.member}:${r.relation}`);
  }
  return out;
}

const count = async (table: string) =>
  rowsOf<{ n: number }>(await t.ctx.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

const ids = Array.from({ length: 20 }, (_, i) =>
  validIdNumber(`19${50 + i}-0${(i % 9) + 1}-1${i % 9}`, i % 2 ? 'female' : 'male'),
);
const person = (name: string, i: number, address: string, relation: string): Cells => [
  name,
  i % 2 ? '女' : '男',
  ids[i],
  '汉族',
  null,
  null,
  address,
  relation,
  null,
];

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  await t.ctx.db.update(orgUnit).set({ name: '东胜区' }).where(eq(orgUnit.id, tree.district.id));
  await t.ctx.db.update(orgUnit).set({ name: '交通街道' }).where(eq(orgUnit.id, tree.street.id));
  await t.ctx.db.update(orgUnit).set({ name: '吉劳庆社区' }).where(eq(orgUnit.id, tree.community.id));
  tower = await buildBuilding(t.ctx, tree.grid);
  await t.ctx.db.update(orgUnit).set({ name: '12号楼' }).where(eq(orgUnit.id, tower.id));
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers as Record<string, string>;
});
afterAll(() => t.close());

const room = (rest: string) => `测试路${tower.code.split('B').pop()}号楼${rest}`;

describe('a community register without codes or 户号', () => {
  it('places rows by address spellings and forms households of 1–5 from the rows that share a house', async () => {
    const rows: Cells[] = [
      person('王建国', 0, '东胜区交通街道吉劳庆社区12号楼3单元1502室', '户主'),
      person('李秀英', 1, '吉劳庆社区１２＃３－１５０２', '妻'),
      person('王小明', 2, '交通街道 吉劳庆社区 12栋3单元1502', '子'),
      person('赵大爷', 3, '吉劳庆社区12号楼1单元101室', '户主'),
      person('刘一', 4, '吉劳庆社区12-2-301', '户主'),
      person('刘二', 5, '吉劳庆社区12-2-301', '配偶'),
      person('刘三', 6, '吉劳庆社区12-2-301', '子'),
      person('刘四', 7, '吉劳庆社区12-2-301', '女'),
      person('刘五', 8, '吉劳庆社区12-2-301', '母'),
      person('巴特尔', 9, '吉劳庆社区平房3排5号', '户主'),
    ];
    const result = await importRegister(rows);
    expect(result).toMatchObject({
      rows: 10,
      imported: 10,
      rejected: 0,
      written: true,
      placedByAddress: 10,
      placedByCode: 0,
      householdsCreated: 4,
      householdsJoined: 0,
    });
    expect(await households()).toEqual({
      [room('1单元101室')]: { head: '赵大爷', members: ['赵大爷:02'] },
      [room('2单元301室')]: {
        head: '刘一',
        members: ['刘一:02', '刘二:10', '刘三:20', '刘四:30', '刘五:52'],
      },
      [room('3单元1502室')]: { head: '王建国', members: ['王建国:02', '李秀英:12', '王小明:20'] },
      // Only the community named: a standalone address in its first grid.
      吉劳庆社区平房3排5号: { head: '巴特尔', members: ['巴特尔:02'] },
    });
    const [placed] = rowsOf<{
      grid_id: string;
      building_id: string | null;
      unit: number | null;
      room: string;
    }>(
      await t.ctx.db.execute(
        sql`select grid_id, building_id, unit, room from house where address = ${room('3单元1502室')}`,
      ),
    );
    expect(placed).toEqual({ grid_id: tree.grid.id, building_id: tower.id, unit: 3, room: '1502' });
  });

  it('imports the same register again without a second household or member', async () => {
    const before = [await count('household'), await count('household_member'), await count('resident')];
    const again = await importRegister([
      person('王建国', 0, '东胜区交通街道吉劳庆社区12号楼3单元1502室', '户主'),
      person('李秀英', 1, '吉劳庆社区１２＃３－１５０２', '妻'),
      person('王小明', 2, '交通街道 吉劳庆社区 12栋3单元1502', '子'),
      person('赵大爷', 3, '吉劳庆社区12号楼1单元101室', '户主'),
    ]);
    expect(again).toMatchObject({ imported: 0, rejected: 0, householdsCreated: 0, written: true });
    expect([await count('household'), await count('household_member'), await count('resident')]).toEqual(
      before,
    );
  });

  it('joins an existing household, and a person who moves through an import leaves the old one', async () => {
    const result = await importRegister([
      person('赵大爷', 3, '吉劳庆社区12号楼1单元101室', '户主'),
      person('赵大妈', 10, '吉劳庆社区12号楼1单元101', '妻'),
      // 王小明 now heads a household of his own next door.
      person('王小明', 2, '吉劳庆社区12号楼1单元102室', '户主'),
    ]);
    expect(result).toMatchObject({ imported: 1, householdsCreated: 1, householdsJoined: 1, rejected: 0 });
    const now = await households();
    expect(now[room('1单元101室')]).toEqual({ head: '赵大爷', members: ['赵大爷:02', '赵大妈:12'] });
    expect(now[room('1单元102室')]).toEqual({ head: '王小明', members: ['王小明:02'] });
    expect(now[room('3单元1502室')]).toEqual({ head: '王建国', members: ['王建国:02', '李秀英:12'] });
    // His membership of the old household is history, not deleted.
    const [left] = rowsOf<{ left_on: string | null }>(
      await t.ctx.db.execute(sql`select m.left_on::text from household_member m join resident r on r.id = m.resident_id
        join household hh on hh.id = m.household_id where r.name = '王小明' and hh.head_resident_id <> r.id`),
    );
    expect(left.left_on).not.toBeNull();
  });

  it('refuses a headless group and a two-head group as groups, naming their rows and both ways out', async () => {
    const result = await importRegister(
      [
        person('孙妻', 11, '吉劳庆社区12号楼4单元401室', '妻'),
        person('孙子', 12, '吉劳庆社区12#4-401', '子'),
        person('周甲', 13, '吉劳庆社区12号楼4单元402室', '户主'),
        person('周乙', 14, '吉劳庆社区12号楼4单元402室', '户主'),
        person('吴独居', 15, '吉劳庆社区12号楼4单元403室', '户主'),
      ],
      { partial: true },
    );
    expect(result).toMatchObject({ imported: 1, rejected: 4, householdsCreated: 1 });
    const messages = Object.fromEntries(
      result.errors.map((e: { row: number; message: string }) => [e.row, e.message]),
    );
    expect(messages[2]).toContain('（第 2、3 行）没有户主');
    expect(messages[3]).toContain('（第 2、3 行）没有户主');
    expect(messages[2]).toContain('加一列户号');
    expect(messages[4]).toContain('（第 4、5 行）有 2 位户主');
    expect(await count("resident where name in ('孙妻', '孙子', '周甲', '周乙')")).toBe(0);
  });

  it('forms a household without a head when the head row is refused, and says so', async () => {
    const bad = `${ids[16].slice(0, 17)}${ids[16].endsWith('0') ? '1' : '0'}`;
    const result = await importRegister(
      [
        ['郑户主', '男', bad, '汉族', null, null, '吉劳庆社区12号楼4单元404室', '户主', null],
        person('郑妻', 17, '吉劳庆社区12号楼4单元404室', '妻'),
        person('郑女', 18, '吉劳庆社区12号楼4单元404室', '女'),
      ],
      { partial: true },
    );
    expect(result).toMatchObject({
      imported: 2,
      rejected: 1,
      householdsCreated: 1,
      householdsWithoutHead: 1,
    });
    expect((await households())[room('4单元404室')]).toEqual({ head: null, members: ['郑妻:12', '郑女:30'] });
    // The console lists it among the households awaiting 户主变更, with a member whose page opens its card.
    const awaiting = await t.app.inject({ url: '/api/households?withoutHead=true', headers: worker });
    expect(awaiting.statusCode, awaiting.body).toBe(200);
    const [headless] = awaiting.json().items;
    expect(awaiting.json().items).toHaveLength(1);
    expect(headless).toMatchObject({ address: room('4单元404室'), headResidentId: null, memberCount: 2 });
    const [wife] = rowsOf<{ id: string }>(
      await t.ctx.db.execute(sql`select id from resident where name = '郑妻'`),
    );
    expect(headless.firstMemberId).toBe(wife.id);
  });

  it('refuses a building the community lacks unless asked to make it, and an address outside the import', async () => {
    const rows = [
      person('钱新', 19, '吉劳庆社区15号楼1单元101室', '户主'),
      [
        '孙外',
        '男',
        validIdNumber('1971-01-01'),
        '汉族',
        null,
        null,
        '呼和浩特市新城区某路1号',
        '户主',
        null,
      ],
    ];
    const refused = await importRegister(rows);
    expect(refused).toMatchObject({ written: false, rejected: 2 });
    expect(refused.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining('15 号楼在吉劳庆社区没有登记'),
      expect.stringContaining('「呼和浩特市新城区某路1号」中找不到本次导入范围内的社区'),
    ]);
    const made = await importRegister([rows[0]], { createBuildings: true });
    expect(made).toMatchObject({ imported: 1, buildingsCreated: 1, householdsCreated: 1 });
    const [b] = rowsOf<{ name: string; parent_id: string; path: string }>(
      await t.ctx.db.execute(
        sql`select name, parent_id, path::text from org_unit where kind = 'building' and name = '15号楼'`,
      ),
    );
    expect(b.parent_id).toBe(tree.grid.id);
    expect(b.path.startsWith(`${tree.grid.path}.`)).toBe(true);
    const [h] = rowsOf<{ org_path: string }>(
      await t.ctx.db.execute(sql`select org_path::text from house where address like '%15号楼1单元101室'`),
    );
    expect(h.org_path).toBe(b.path);
  });
});
