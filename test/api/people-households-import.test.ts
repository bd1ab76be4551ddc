import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropLeftoverStages } from '../../src/modules/people/import.js';
import { rowsOf } from '../../src/platform/db/index.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit } from '../factories/org.js';
import { buildBuilding, validIdNumber } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers as Record<string, string>;
});
afterAll(() => t.close());

const headers = [
  '姓名',
  '证件号码',
  '民族',
  '居住状态',
  '网格编码',
  '楼栋编码',
  '单元',
  '房号',
  '房屋地址',
  '户号',
  '与户主关系',
  '户类型',
];
type Cells = (string | number | null)[];

async function workbook(rows: Cells[], head = headers, sheet = '居民') {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow(head);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Uploads a workbook as the community worker, starts its import at `url` and runs the job to its end. */
async function importWorkbook(url: string, name: string, bytes: Buffer, acceptPartial = false) {
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const body = multipartBody({}, [{ name, type: xlsx, bytes }]);
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...worker, ...body.headers },
    payload: body.payload,
  });
  expect(up.statusCode, up.body).toBe(201);
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: worker,
    payload: { fileId: up.json().id, acceptPartial },
  });
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const job = (await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: worker })).json();
  expect(job.status, JSON.stringify(job)).toBe('succeeded');
  return { ...job.result, jobId: job.id as string };
}

const importRows = async (rows: Cells[], acceptPartial = false) =>
  importWorkbook('/api/residents/imports', '居民.xlsx', await workbook(rows), acceptPartial);

/** The rejected-rows workbook of an import job: the named columns and the reason of each row. */
async function rejectedRows(jobId: string, columns = ['姓名', '户号']) {
  const res = await t.app.inject({ url: `/api/jobs/${jobId}/download`, headers: worker });
  expect(res.statusCode, res.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as any);
  const ws = wb.worksheets[0];
  const head = (ws.getRow(1).values as unknown[]).map(String);
  const out: string[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = row.values as unknown[];
    out.push([...columns.map((c) => v[head.indexOf(c)] ?? ''), v[head.indexOf('错误原因')]].join('|'));
  });
  return out;
}

let serial = 0;
const freshGrid = () =>
  buildOrgUnit(t.ctx.db, {
    parent: tree.community,
    kind: 'grid',
    code: `${tree.community.code}H${++serial}`,
  });

/** Households in a grid: head's name, house address, registration type and members (name, relation). */
async function householdsIn(gridId: string) {
  const rows = rowsOf<{
    id: string;
    head: string;
    address: string;
    registration_type: string;
    member: string;
    relation: string;
  }>(
    await t.ctx.db.execute(sql`
      select hh.id, head.name as head, h.address, hh.registration_type, r.name as member, m.relation
      from household hh join house h on h.id = hh.house_id
      join resident head on head.id = hh.head_resident_id
      join household_member m on m.household_id = hh.id and m.left_on is null
      join resident r on r.id = m.resident_id
      where h.grid_id = ${gridId} and hh.deleted_at is null
      order by head.name, m.relation, r.name`),
  );
  const out = new Map<string, { id: string; address: string; type: string; members: string[] }>();
  for (const r of rows) {
    const h = out.get(r.head) ?? { id: r.id, address: r.address, type: r.registration_type, members: [] };
    h.members.push(`${r.member}:${r.relation}`);
    out.set(r.head, h);
  }
  return Object.fromEntries(out);
}

const count = async (table: string) =>
  rowsOf<{ n: number }>(await t.ctx.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

describe('households from the import workbook', () => {
  it('creates households with their head and relations, re-import changes nothing, a new member joins', async () => {
    const grid = await freshGrid();
    const b = await buildBuilding(t.ctx, grid);
    const ids = Array.from({ length: 6 }, (_, i) => validIdNumber(`19${60 + i}-03-04`));
    const rows: Cells[] = [
      ['王建国', ids[0], '汉族', '户籍', grid.code, b.code, 2, '501', null, 'A1', '户主', null],
      ['李秀英', ids[1], '汉族', '户籍', grid.code, b.code, 2, '501', null, 'A1', '妻', null],
      ['王小明', ids[2], '汉族', '户籍', grid.code, b.code, 2, '501', null, 'A1', '子', null],
      [
        '巴特尔',
        ids[3],
        '蒙古族',
        '常住',
        grid.code,
        null,
        null,
        null,
        '哈达图嘎查 3 号',
        'B7',
        '户主',
        '非户籍户',
      ],
      [
        '其其格',
        ids[4],
        '蒙古族',
        '常住',
        grid.code,
        null,
        null,
        null,
        '哈达图嘎查 3 号',
        'B7',
        '配偶',
        null,
      ],
    ];
    const first = await importRows(rows);
    expect(first).toMatchObject({ rows: 5, imported: 5, rejected: 0, householdsCreated: 2, written: true });
    const households = await householdsIn(grid.id);
    expect(households).toEqual({
      王建国: {
        id: expect.any(String),
        address: `${'测试路'}${b.code.split('B').pop()}号楼2单元501室`,
        type: 'registered',
        members: ['王建国:02', '李秀英:12', '王小明:20'],
      },
      巴特尔: {
        id: expect.any(String),
        address: '哈达图嘎查 3 号',
        type: 'unregistered',
        members: ['巴特尔:02', '其其格:10'],
      },
    });
    // Every member lives in the household's house; each household has its first move recorded.
    const moves = rowsOf<{ n: number }>(
      await t.ctx.db.execute(
        sql`select count(*)::int as n from household_move where household_id in (${households.王建国.id}, ${households.巴特尔.id})`,
      ),
    );
    expect(moves[0].n).toBe(2);
    const apart = rowsOf<{ n: number }>(
      await t.ctx.db.execute(sql`
        select count(*)::int as n from household_member m join household hh on hh.id = m.household_id
        join resident r on r.id = m.resident_id
        where hh.id in (${households.王建国.id}, ${households.巴特尔.id}) and r.house_id <> hh.house_id`),
    );
    expect(apart[0].n).toBe(0);

    const [households0, members0] = [await count('household'), await count('household_member')];
    const again = await importRows(rows);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 5, householdsCreated: 0, rejected: 0 });
    expect(await count('household')).toBe(households0);
    expect(await count('household_member')).toBe(members0);
    expect(await householdsIn(grid.id)).toEqual(households);

    // A newborn joins the existing household under a new file-local key: matched by its head.
    const more = await importRows([
      ['王建国', ids[0], '汉族', '户籍', grid.code, b.code, 2, '501', null, '1', '户主', null],
      ['王小宝', ids[5], '汉族', '户籍', grid.code, b.code, 2, '501', null, '1', '孙子', null],
    ]);
    expect(more).toMatchObject({ imported: 1, unchanged: 1, householdsCreated: 0, rejected: 0 });
    expect((await householdsIn(grid.id)).王建国.members).toEqual([
      '王建国:02',
      '李秀英:12',
      '王小明:20',
      '王小宝:41',
    ]);
    expect(await count('household')).toBe(households0);
  });

  it('refuses a resident in two households at once, and households without one head, naming row and column', async () => {
    const grid = await freshGrid();
    const b = await buildBuilding(t.ctx, grid);
    const ids = Array.from({ length: 4 }, (_, i) => validIdNumber(`19${70 + i}-05-06`));
    const first = await importRows([
      ['赵一', ids[0], '汉族', '户籍', grid.code, b.code, 1, '101', null, 'H1', '户主', null],
      ['赵二', ids[1], '汉族', '户籍', grid.code, b.code, 1, '101', null, 'H1', '子', null],
    ]);
    expect(first).toMatchObject({ imported: 2, householdsCreated: 1 });
    const [residents0, households0, members0] = [
      await count('resident'),
      await count('household'),
      await count('household_member'),
    ];

    const bad = await importRows([
      // 赵二 is a member of 赵一's household: listing them under another head is two households.
      ['钱三', ids[2], '汉族', '户籍', grid.code, b.code, 1, '102', null, 'H2', '户主', null],
      ['赵二', ids[1], '汉族', '户籍', grid.code, b.code, 1, '102', null, 'H2', '子', null],
      // The same person twice in the file, in two households.
      ['孙四', ids[3], '汉族', '户籍', grid.code, b.code, 1, '103', null, 'H3', '户主', null],
      ['孙四', ids[3], '汉族', '户籍', grid.code, b.code, 1, '102', null, 'H2', '女', null],
      // No head; a relation without a household number (alone at its address); a member in another house than the head.
      [
        '周五',
        validIdNumber('1990-01-01'),
        '汉族',
        '户籍',
        grid.code,
        b.code,
        1,
        '104',
        null,
        'H4',
        '妻',
        null,
      ],
      [
        '吴六',
        validIdNumber('1991-01-01'),
        '汉族',
        '户籍',
        grid.code,
        b.code,
        1,
        '105',
        null,
        null,
        '子',
        null,
      ],
      [
        '郑七',
        validIdNumber('1992-01-01'),
        '汉族',
        '户籍',
        grid.code,
        b.code,
        1,
        '106',
        null,
        'H3',
        '弟',
        null,
      ],
      [
        '冯八',
        validIdNumber('1993-01-01'),
        '汉族',
        '户籍',
        grid.code,
        b.code,
        1,
        '107',
        null,
        'H5',
        '户主',
        null,
      ],
      [
        '陈九',
        validIdNumber('1994-01-01'),
        '汉族',
        '户籍',
        grid.code,
        b.code,
        1,
        '107',
        null,
        'H5',
        '户主',
        null,
      ],
    ]);
    expect(bad).toMatchObject({ rows: 9, written: false, imported: 0 });
    expect(bad.errors).toEqual([
      { row: 3, column: '与户主关系', message: '该居民已在另一户中，一人只能在一户，请先移出原户' },
      { row: 5, column: '证件号码', message: '与第 4 行的证件号码重复' },
      {
        row: 6,
        column: '与户主关系',
        message: '户号「H4」的 1 行（第 6 行）没有户主：请改正与户主关系（每户一位“户主”），或改正户号',
      },
      // A relation without a 户号: the household is the rows at its address, here without a head.
      {
        row: 7,
        column: '与户主关系',
        message: expect.stringMatching(
          /^住址「测试路\d+号楼1单元105室」的 1 行（第 7 行）没有户主：请改正与户主关系（每户一位“户主”），或加一列户号把这些人分户$/,
        ),
      },
      { row: 8, column: '房号', message: '与户主不在同一房屋' },
      {
        row: 9,
        column: '与户主关系',
        message:
          '户号「H5」的 2 行（第 9、10 行）有 2 位户主：请改正与户主关系（每户一位“户主”），或改正户号',
      },
      {
        row: 10,
        column: '与户主关系',
        message:
          '户号「H5」的 2 行（第 9、10 行）有 2 位户主：请改正与户主关系（每户一位“户主”），或改正户号',
      },
    ]);
    // Rows found bad by the whole-file checks come back with their cells, read again from the file.
    expect(await rejectedRows(bad.jobId)).toEqual([
      '赵二|H2|与户主关系：该居民已在另一户中，一人只能在一户，请先移出原户',
      '孙四|H2|证件号码：与第 4 行的证件号码重复',
      '周五|H4|与户主关系：户号「H4」的 1 行（第 6 行）没有户主：请改正与户主关系（每户一位“户主”），或改正户号',
      expect.stringMatching(/^吴六\|\|与户主关系：住址「测试路\d+号楼1单元105室」的 1 行（第 7 行）没有户主/),
      '郑七|H3|房号：与户主不在同一房屋',
      '冯八|H5|与户主关系：户号「H5」的 2 行（第 9、10 行）有 2 位户主：请改正与户主关系（每户一位“户主”），或改正户号',
      '陈九|H5|与户主关系：户号「H5」的 2 行（第 9、10 行）有 2 位户主：请改正与户主关系（每户一位“户主”），或改正户号',
    ]);
    expect(await count('resident')).toBe(residents0);
    expect(await count('household')).toBe(households0);
    expect(await count('household_member')).toBe(members0);

    // acceptPartial: the good household (钱三 alone; 孙四 in H3) is written, the bad rows are not.
    const partial = await importRows(
      [
        ['钱三', ids[2], '汉族', '户籍', grid.code, b.code, 1, '102', null, 'H2', '户主', null],
        ['赵二', ids[1], '汉族', '户籍', grid.code, b.code, 1, '102', null, 'H2', '子', null],
      ],
      true,
    );
    expect(partial).toMatchObject({ imported: 1, rejected: 1, householdsCreated: 1, written: true });
    const hh = await householdsIn(grid.id);
    expect(hh.钱三.members).toEqual(['钱三:02']);
    expect(hh.赵一.members).toEqual(['赵一:02', '赵二:20']);
  });
});

describe('户主变更 through the import', () => {
  it('makes a member the head when the former head is listed under the same 户号 with a new relation', async () => {
    const grid = await freshGrid();
    const b = await buildBuilding(t.ctx, grid);
    const ids = Array.from({ length: 3 }, (_, i) => validIdNumber(`19${50 + i * 20}-07-08`));
    const row = (name: string, i: number, key: string, relation: string): Cells => [
      name,
      ids[i],
      '汉族',
      '户籍',
      grid.code,
      b.code,
      1,
      '201',
      null,
      key,
      relation,
      null,
    ];
    await importRows([row('韩一', 0, 'K1', '户主'), row('韩二', 1, 'K1', '妻'), row('韩三', 2, 'K1', '子')]);
    const before = await householdsIn(grid.id);
    const [households0, members0] = [await count('household'), await count('household_member')];

    // The son is named head, but his father (the head) is not in the file: refused, nothing written.
    const alone = await importRows([row('韩三', 2, 'K2', '户主')]);
    expect(alone).toMatchObject({ written: false, rejected: 1 });
    expect(alone.errors[0]).toMatchObject({ row: 2, column: '与户主关系' });
    expect(alone.errors[0].message).toContain('如为户主变更，须在同一户号下填写原户主及其新的与户主关系');
    expect(await householdsIn(grid.id)).toEqual(before);

    const changed = await importRows([
      row('韩三', 2, 'K2', '户主'),
      row('韩一', 0, 'K2', '父亲'),
      row('韩二', 1, 'K2', '母亲'),
    ]);
    expect(changed).toMatchObject({ written: true, rejected: 0, householdsCreated: 0, updated: 3 });
    expect(await householdsIn(grid.id)).toEqual({
      韩三: { ...before.韩一, members: ['韩三:02', '韩一:51', '韩二:52'] },
    });
    expect([await count('household'), await count('household_member')]).toEqual([households0, members0]);
    const again = await importRows([
      row('韩三', 2, 'K2', '户主'),
      row('韩一', 0, 'K2', '父亲'),
      row('韩二', 1, 'K2', '母亲'),
    ]);
    expect(again).toMatchObject({ unchanged: 3, updated: 0 });
  });
});

describe('import template', () => {
  it('has the import headers and drop-down lists for the coded columns', async () => {
    const res = await t.app.inject({ url: '/api/residents/import-template', headers: worker });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('attachment');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    const ws = wb.getWorksheet('居民')!;
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    for (const h of ['姓名', '证件号码', '性别', '民族', '居住状态', '政治面貌', '户号', '与户主关系'])
      expect(head).toContain(h);
    const codes = wb.getWorksheet('代码表')!;
    expect(codes.state).toBe('hidden');
    const listOf = (header: string) => {
      const col = ws.getColumn(head.indexOf(header) + 1).letter;
      const dv = (ws as any).dataValidations.model[`${col}2`];
      expect(dv, header).toMatchObject({ type: 'list', allowBlank: true, showErrorMessage: true });
      expect((ws as any).dataValidations.model[`${col}10001`]).toEqual(dv);
      const [, sheet, from, to] = /^(.+)!\$([A-Z]+\$\d+):\$([A-Z]+\$\d+)$/.exec(dv.formulae[0])!;
      expect(sheet).toBe('代码表');
      const c = from.split('$')[0];
      const values: string[] = [];
      for (let r = Number(from.split('$')[1]); r <= Number(to.split('$')[1]); r++)
        values.push(String(codes.getCell(`${c}${r}`).value));
      return values;
    };
    expect(listOf('性别')).toEqual(['男', '女']);
    expect(listOf('民族')).toHaveLength(58);
    expect(listOf('民族').slice(0, 2)).toEqual(['汉族', '蒙古族']);
    expect(listOf('居住状态')).toEqual(['户籍', '常住', '流动', '寄住']);
    expect(listOf('政治面貌')).toContain('中共党员');
    expect(listOf('与户主关系')).toEqual(expect.arrayContaining(['户主', '配偶', '子', '女']));
    expect(listOf('户类型')).toEqual(['户籍户', '非户籍户']);

    // The template itself imports: filled in with its own labels, it is accepted as is.
    const grid = await freshGrid();
    const id = validIdNumber('1985-08-09', 'female');
    const row = ws.getRow(2);
    const set = (h: string, v: string) => {
      row.getCell(head.indexOf(h) + 1).value = v;
    };
    set('姓名', '高娜');
    set('证件号码', id);
    set('性别', '女');
    set('民族', '汉族');
    set('居住状态', '常住');
    set('网格编码', grid.code);
    set('房屋地址', '模板路 1 号');
    set('户号', '1');
    set('与户主关系', '户主');
    row.commit();
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await importWorkbook('/api/residents/imports', 't.xlsx', bytes)).toMatchObject({
      rows: 1,
      imported: 1,
      householdsCreated: 1,
      rejected: 0,
    });
  });
});

describe('house import', () => {
  const houseHeaders = ['楼栋编码', '单元', '楼层', '房号', '网格编码', '房屋地址', '用途', '面积', '产权人'];
  const importHouses = async (rows: Cells[], acceptPartial = false) =>
    importWorkbook(
      '/api/houses/imports',
      '房屋.xlsx',
      await workbook(rows, houseHeaders, '房屋'),
      acceptPartial,
    );
  const housesIn = async (gridId: string) =>
    rowsOf<{
      address: string;
      unit: number | null;
      floor: number | null;
      room: string | null;
      use: string;
      area: number | null;
      owner_name: string | null;
    }>(
      await t.ctx.db.execute(
        sql`select address, unit, floor, room, use, area, owner_name from house where grid_id = ${gridId} and deleted_at is null order by address`,
      ),
    );

  it('creates building rooms and standalone houses with use, area and owner; re-import changes nothing; bad rows write nothing', async () => {
    const grid = await freshGrid();
    const b = await buildBuilding(t.ctx, grid);
    const rows: Cells[] = [
      [b.code, 1, null, '1201', null, null, '出租', 89.5, '刘备'],
      [b.code, '2单元', '3', '302', null, null, '自住', '120平方米', null],
      [null, null, null, null, grid.code, '哈达图嘎查 8 号', '经营', null, '关羽'],
    ];
    const first = await importHouses(rows);
    expect(first).toMatchObject({ rows: 3, imported: 3, updated: 0, rejected: 0, written: true });
    const n = b.code.split('B').pop();
    expect(await housesIn(grid.id)).toEqual([
      {
        address: '哈达图嘎查 8 号',
        unit: null,
        floor: null,
        room: null,
        use: 'business',
        area: null,
        owner_name: '关羽',
      },
      {
        address: `测试路${n}号楼1单元1201室`,
        unit: 1,
        floor: 12,
        room: '1201',
        use: 'rented',
        area: 89.5,
        owner_name: '刘备',
      },
      {
        address: `测试路${n}号楼2单元302室`,
        unit: 2,
        floor: 3,
        room: '302',
        use: 'selfOccupied',
        area: 120,
        owner_name: null,
      },
    ]);
    expect(await importHouses(rows)).toMatchObject({ imported: 0, updated: 0, unchanged: 3 });
    rows[0][6] = '空置';
    expect(await importHouses(rows)).toMatchObject({ imported: 0, updated: 1, unchanged: 2 });
    expect((await housesIn(grid.id))[1].use).toBe('vacant');

    const before = await housesIn(grid.id);
    const bad = await importHouses([
      [b.code, 3, null, '501', null, null, '自住', null, null],
      [b.code, 3, null, '501', null, null, '出租', null, null],
      ['NOPE', 1, null, '101', null, null, null, null, null],
      [b.code, 1, null, '601', null, null, '仓库', -3, null],
      [null, null, null, null, grid.code, null, null, null, null],
    ]);
    expect(bad).toMatchObject({ rows: 5, written: false, imported: 0, rejected: 4 });
    expect(bad.errors).toEqual([
      { row: 3, column: '房号', message: '与第 2 行是同一房屋' },
      { row: 4, column: '楼栋编码', message: '楼栋编码 NOPE 不存在' },
      { row: 5, column: '用途', message: '未知的用途「仓库」，应为 自住、出租、空置 或 经营' },
      { row: 5, column: '面积', message: '面积应为大于 0 的数字（平方米）' },
      { row: 6, column: '房屋地址', message: '请填写房屋地址（或楼栋编码和房号）' },
    ]);
    // The refused rows come back as a workbook in the import's columns, with the reason.
    expect(bad.fileName).toMatch(/^未导入的房屋-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(await rejectedRows(bad.jobId, ['楼栋编码', '房号'])).toEqual([
      `${b.code}|501|房号：与第 2 行是同一房屋`,
      'NOPE|101|楼栋编码：楼栋编码 NOPE 不存在',
      `${b.code}|601|用途：未知的用途「仓库」，应为 自住、出租、空置 或 经营；面积：面积应为大于 0 的数字（平方米）`,
      '||房屋地址：请填写房屋地址（或楼栋编码和房号）',
    ]);
    expect(await housesIn(grid.id)).toEqual(before);
  });
});

describe('staging tables of interrupted imports', () => {
  const stages = async () =>
    rowsOf<{ name: string }>(
      await t.ctx.db.execute(
        sql`select relname as name from pg_class where relkind = 'r' and left(relname, 16) = 'resident_import_' order by 1`,
      ),
    ).map((r) => r.name);

  it('leaves none after an import, and drops those a crash left: all on PGlite, day-old ones on PostgreSQL', async () => {
    const grid = await freshGrid();
    const b = await buildBuilding(t.ctx, grid);
    await importRows([
      [
        '冯一',
        validIdNumber('1980-03-04'),
        '汉族',
        '户籍',
        grid.code,
        b.code,
        1,
        '101',
        null,
        null,
        null,
        null,
      ],
    ]);
    expect(await stages()).toEqual([]);

    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await t.ctx.db.execute(sql`create unlogged table resident_import_aaaaaaaaaaaa (x int)`);
    await t.ctx.db.execute(sql.raw(`comment on table resident_import_aaaaaaaaaaaa is '${twoDaysAgo}'`));
    await t.ctx.db.execute(sql`create unlogged table resident_import_bbbbbbbbbbbb (x int)`);
    await t.ctx.db.execute(
      sql.raw(`comment on table resident_import_bbbbbbbbbbbb is '${new Date().toISOString()}'`),
    );
    await t.ctx.db.execute(sql`create unlogged table resident_import_cccccccccccc (x int)`);

    // Another server may be importing into the fresh one: only the old and the unmarked go.
    expect((await dropLeftoverStages(t.ctx.db, false)).sort()).toEqual([
      'resident_import_aaaaaaaaaaaa',
      'resident_import_cccccccccccc',
    ]);
    expect(await stages()).toEqual(['resident_import_bbbbbbbbbbbb']);
    expect(await dropLeftoverStages(t.ctx.db, true)).toEqual(['resident_import_bbbbbbbbbbbb']);
    expect(await stages()).toEqual([]);
  });
});
