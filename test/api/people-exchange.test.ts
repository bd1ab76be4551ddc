import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/platform/db/index.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit, type OrgUnitRow } from '../factories/org.js';
import { buildBuilding, validIdNumber, validPhone } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: { authorization: string };
let secretary: { authorization: string };
let neighbour: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers;
  secretary = (await buildUser(t, 'communitySecretary', tree.community)).headers;
  neighbour = (await buildUser(t, 'communityWorker', tree.neighbourCommunity)).headers;
});
afterAll(() => t.close());

const headers = [
  '姓名',
  '证件类型',
  '证件号码',
  '性别',
  '出生日期',
  '民族',
  '手机号',
  '居住状态',
  '政治面貌',
  '文化程度',
  '网格编码',
  '楼栋编码',
  '单元',
  '房号',
  '房屋地址',
  '人群标签',
];

async function workbook(rows: (string | number | null)[][], head = headers) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('居民');
  ws.addRow(['说明：每行一位居民']);
  ws.addRow(head);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(h: object, bytes: Buffer) {
  const boundary = '----people';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="居民.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...(h as any), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function runJob(h: object, url: string, payload: object) {
  const res = await t.app.inject({ method: 'POST', url, headers: h as any, payload });
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const job = await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: h as any });
  return job.json();
}

async function importFile(h: object, bytes: Buffer, acceptPartial = false) {
  return runJob(h, '/api/residents/imports', { fileId: await upload(h, bytes), acceptPartial });
}

async function download(h: object, jobId: string) {
  const res = await t.app.inject({ url: `/api/jobs/${jobId}/download`, headers: h as any });
  expect(res.statusCode, res.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as any);
  const ws = wb.worksheets[0];
  const out: Record<string, unknown>[] = [];
  const head = (ws.getRow(1).values as unknown[]).map(String);
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = row.values as unknown[];
    out.push(
      Object.fromEntries(head.map((h, i) => [h, values[i] ?? null]).filter(([h]) => h !== 'undefined')),
    );
  });
  return { rows: out, buffer: res.rawPayload };
}

const residentsIn = async (grid: OrgUnitRow) =>
  rowsOf<{ name: string; tags: string[]; house_id: string | null }>(
    await t.ctx.db.execute(
      sql`select name, tags, house_id from resident where grid_id = ${grid.id} and deleted_at is null order by name`,
    ),
  );

let gridSerial = 0;
const freshGrid = () =>
  buildOrgUnit(t.ctx.db, {
    parent: tree.community,
    kind: 'grid',
    code: `${tree.community.code}X${++gridSerial}`,
  });

describe('resident import', () => {
  it('imports by header name into buildings, standalone houses and grids; re-import changes nothing', async () => {
    const grid = await freshGrid();
    const b = await buildBuilding(t.ctx, grid);
    const ids = [
      validIdNumber('1950-05-06', 'female'),
      validIdNumber('1988-01-02'),
      validIdNumber('2016-07-08'),
    ];
    const phone = validPhone();
    const rows = [
      [
        '乌兰其其格',
        '居民身份证',
        ids[0],
        '女',
        '1950年5月6日',
        '蒙古族',
        phone,
        '户籍',
        '群众',
        '小学',
        grid.code,
        b.code,
        1,
        '301',
        null,
        '独居、低保',
      ],
      [
        '张伟',
        null,
        ids[1],
        null,
        null,
        '汉',
        null,
        '常住',
        '中共党员',
        '本科',
        grid.code,
        b.code,
        1,
        '301',
        null,
        null,
      ],
      [
        '李小明',
        '身份证',
        ids[2],
        '男',
        '2016.7.8',
        '01',
        null,
        '流动',
        null,
        null,
        grid.code,
        null,
        null,
        null,
        '巴音嘎查 12 号',
        '留守儿童',
      ],
    ];
    const job = await importFile(worker, await workbook(rows));
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    expect(job.percent).toBe(100);
    expect(job.result).toMatchObject({
      rows: 3,
      imported: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      written: true,
    });
    const people = await residentsIn(grid);
    expect(people.map((p) => p.name)).toEqual(['乌兰其其格', '张伟', '李小明'].sort());
    const houses = rowsOf<{ address: string; building_id: string | null; room: string | null }>(
      await t.ctx.db.execute(
        sql`select address, building_id, room from house where grid_id = ${grid.id} order by address`,
      ),
    );
    expect(houses).toHaveLength(2); // one room shared by two people, one standalone address
    expect(houses.find((h) => h.building_id === b.id)).toMatchObject({ room: '301' });
    expect(houses.find((h) => h.building_id === null)).toMatchObject({ address: '巴音嘎查 12 号' });
    const list = (
      await t.app.inject({ url: `/api/residents?orgUnitId=${grid.id}&sort=name&order=asc`, headers: worker })
    ).json();
    const wulan = list.items.find((i: { name: string }) => i.name === '乌兰其其格');
    expect(wulan).toMatchObject({
      gender: 'female',
      birthDate: '1950-05-06',
      ethnicity: '02',
      residenceStatus: 'registered',
      education: 'primary',
      tags: ['livesAlone', 'lowIncome'],
      careGroups: ['elderly', 'inDifficulty'],
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
    });

    const again = await importFile(worker, await workbook(rows));
    expect(again.result).toMatchObject({ imported: 0, updated: 0, unchanged: 3, rejected: 0 });
    rows[1][6] = validPhone();
    rows[1][15] = '退役军人';
    const changed = await importFile(worker, await workbook(rows));
    expect(changed.result).toMatchObject({ imported: 0, updated: 1, unchanged: 2 });
    expect((await residentsIn(grid)).find((p) => p.name === '张伟')!.tags).toEqual(['veteran']);
    expect(await residentsIn(grid)).toHaveLength(3);
  });

  it('reports every bad row by row and column and writes nothing, unless acceptPartial', async () => {
    const grid = await freshGrid();
    const good = validIdNumber('1970-03-03');
    const bad = validIdNumber('1971-04-04');
    const rows = [
      [
        '好人',
        null,
        good,
        null,
        null,
        '汉族',
        null,
        '户籍',
        null,
        null,
        grid.code,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        '校验位错',
        null,
        bad.slice(0, 17) + (bad[17] === '0' ? '1' : '0'),
        null,
        null,
        '汉族',
        null,
        '户籍',
        null,
        null,
        grid.code,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        '手机错',
        null,
        validIdNumber('1972-01-01'),
        null,
        null,
        '火星族',
        '12345',
        '户籍',
        null,
        null,
        grid.code,
        null,
        null,
        null,
        null,
        '超人',
      ],
      [
        '重复',
        null,
        good,
        null,
        null,
        '汉族',
        null,
        '户籍',
        null,
        null,
        grid.code,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        '越界',
        null,
        validIdNumber('1973-01-01'),
        null,
        null,
        '汉族',
        null,
        '户籍',
        null,
        null,
        tree.neighbourGrid.code,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        '',
        null,
        validIdNumber('1974-01-01'),
        null,
        '2099-01-01',
        '汉族',
        null,
        '户籍',
        null,
        null,
        'NOPE',
        null,
        null,
        null,
        null,
        null,
      ],
    ];
    const job = await importFile(worker, await workbook(rows));
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ rows: 6, imported: 0, rejected: 5, written: false });
    const errors = job.result.errors as { row: number; column: string; message: string }[];
    expect(errors).toContainEqual({ row: 4, column: '证件号码', message: '身份证号校验位不正确，请核对' });
    expect(errors).toContainEqual({ row: 5, column: '民族', message: '未知的民族「火星族」' });
    expect(errors).toContainEqual({
      row: 5,
      column: '手机号',
      message: '手机号应为 11 位数字，以 13–19 开头',
    });
    expect(errors).toContainEqual({ row: 5, column: '人群标签', message: '未知的人群标签「超人」' });
    expect(errors).toContainEqual({ row: 6, column: '证件号码', message: '与第 3 行的证件号码重复' });
    expect(errors).toContainEqual({ row: 7, column: '网格编码', message: '无权在该地点登记居民' });
    expect(errors).toContainEqual({ row: 8, column: '姓名', message: '请填写姓名' });
    expect(await residentsIn(grid)).toHaveLength(0);

    // The rejected rows come back as a workbook with a reason column.
    const rejected = await download(worker, job.id);
    expect(rejected.rows).toHaveLength(5);
    expect(String(rejected.rows[0].错误原因)).toContain('校验位');

    const partial = await importFile(worker, await workbook(rows), true);
    expect(partial.result).toMatchObject({ imported: 1, rejected: 5, written: true });
    expect((await residentsIn(grid)).map((p) => p.name)).toEqual(['好人']);
  });

  it('names a missing required column', async () => {
    const job = await importFile(worker, await workbook([['某人', '汉族']], ['姓名', '民族']));
    expect(job.result).toMatchObject({ written: false, imported: 0 });
    expect(job.result.errors).toContainEqual({
      row: 1,
      column: '证件号码',
      message: '缺少必填列「证件号码」',
    });
  });

  it('never duplicates a person registered in another community: the row becomes a 迁入申请, not an error', async () => {
    const id = validIdNumber('1960-06-06');
    const first = await importFile(
      neighbour,
      await workbook([
        [
          '邻居',
          null,
          id,
          null,
          null,
          '汉族',
          null,
          '户籍',
          null,
          null,
          tree.neighbourGrid.code,
          null,
          null,
          null,
          null,
          null,
        ],
      ]),
    );
    expect(first.result.imported).toBe(1);
    const grid = await freshGrid();
    const second = await importFile(
      worker,
      await workbook([
        [
          '邻居',
          null,
          id,
          null,
          null,
          '汉族',
          null,
          '户籍',
          null,
          null,
          grid.code,
          null,
          null,
          null,
          null,
          null,
        ],
      ]),
    );
    // No row error says the number exists elsewhere: the row is reported as a request, like any such row.
    expect(second.result).toMatchObject({
      errors: [],
      rejected: 0,
      imported: 0,
      written: true,
      transferRequested: 1,
      transfers: [{ row: 3, message: '已提交迁入申请' }],
    });
    const inbox = await t.app.inject({ url: '/api/resident-transfers/incoming', headers: neighbour as any });
    expect(inbox.json().items).toEqual([
      expect.objectContaining({
        name: '邻居',
        status: 'pending',
        toUnit: expect.stringContaining(grid.name),
      }),
    ]);
    const n = rowsOf<{ n: number }>(
      await t.ctx.db.execute(
        sql`select count(*)::int as n from resident where id_number_index = ${t.ctx.pii.blindIndex(id)}`,
      ),
    );
    expect(n[0].n).toBe(1);
  });
});

describe('resident export', () => {
  it('masks ID numbers and phones by default, shows them when asked with resident.exportPII, audits both, and round-trips', async () => {
    const grid = await freshGrid();
    const ids = [validIdNumber('1945-01-02'), validIdNumber('1999-09-09', 'female')];
    const phones = [validPhone(), validPhone()];
    const rows = ids.map((id, i) => [
      `导出${i}`,
      null,
      id,
      null,
      null,
      '回族',
      phones[i],
      '寄住',
      '共青团员',
      '大专',
      grid.code,
      null,
      null,
      null,
      `导出路${i}号`,
      i ? '侨眷' : null,
    ]);
    expect((await importFile(worker, await workbook(rows))).result.imported).toBe(2);

    const masked = await runJob(worker, '/api/residents/exports', { orgUnitId: grid.id });
    expect(masked.status, JSON.stringify(masked)).toBe('succeeded');
    expect(masked.result).toMatchObject({ rows: 2, masked: true });
    const m = await download(worker, masked.id);
    expect(m.rows.map((r) => r.证件号码)).toEqual(
      expect.arrayContaining(ids.map((id) => `${id.slice(0, 6)}********${id.slice(-4)}`)),
    );
    const text = JSON.stringify(m.rows);
    for (const secret of [...ids, ...phones]) expect(text).not.toContain(secret);

    const full = await runJob(secretary, '/api/residents/exports', {
      orgUnitId: grid.id,
      tag: 'overseasFamily',
      unmasked: true,
      reason: '侨联慰问名单核对',
    });
    expect(full.result).toMatchObject({ rows: 1, masked: false });
    const f = await download(secretary, full.id);
    expect(f.rows).toEqual([
      expect.objectContaining({
        姓名: '导出1',
        证件号码: ids[1],
        手机号: phones[1],
        民族: '回族',
        人群标签: '侨眷',
        居住状态: '寄住',
        房屋地址: '导出路1号',
      }),
    ]);
    // Only the exporter downloads.
    expect((await t.app.inject({ url: `/api/jobs/${full.id}/download`, headers: worker })).statusCode).toBe(
      404,
    );

    const audits = rowsOf<{ action: string; summary: string; details: { rows: number; unmasked: number } }>(
      await t.ctx.db.execute(
        sql`select action, summary, details from audit_event where action = 'resident.exported' order by at`,
      ),
    );
    expect(audits.slice(-2).map((a) => [a.details.rows, a.details.unmasked])).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(JSON.stringify(audits)).not.toContain(ids[1]);

    // The full export imports again unchanged: the same people, no duplicates.
    const all = await runJob(secretary, '/api/residents/exports', {
      orgUnitId: grid.id,
      unmasked: true,
      reason: '导出后修改再导入',
    });
    const back = await importFile(secretary, (await download(secretary, all.id)).buffer as Buffer);
    expect(back.result).toMatchObject({ rows: 2, imported: 0, updated: 0, unchanged: 2, rejected: 0 });
    // A masked export does not: its ID numbers fail the checksum.
    const refused = await importFile(worker, m.buffer as Buffer);
    expect(refused.result).toMatchObject({ written: false, rejected: 2 });
  });

  it('keeps ID numbers and phones out of the raw tables', async () => {
    const raw = JSON.stringify(rowsOf(await t.ctx.db.execute(sql`select * from resident`)));
    const audit = JSON.stringify(rowsOf(await t.ctx.db.execute(sql`select * from audit_event`)));
    const jobs = JSON.stringify(rowsOf(await t.ctx.db.execute(sql`select params, result from job`)));
    const plain = rowsOf<{ c: string; p: string | null }>(
      await t.ctx.db.execute(sql`select id_number_cipher as c, phone_cipher as p from resident`),
    ).flatMap((r) => [t.ctx.pii.decrypt(r.c), ...(r.p ? [t.ctx.pii.decrypt(r.p)] : [])]);
    expect(plain.length).toBeGreaterThan(10);
    for (const secret of plain) {
      expect(raw).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(jobs).not.toContain(secret);
    }
  });
});
