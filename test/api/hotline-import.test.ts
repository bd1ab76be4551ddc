import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerForUser } from '../../src/modules/accounts/sessions.js';
import { building, orgUnit } from '../../src/modules/org/schema.js';
import { importHotline } from '../../src/modules/work-orders/hotline.js';
import { hotlineTicket } from '../../src/modules/work-orders/hotline-schema.js';
import { workOrder, workOrderCategory, workOrderEvent } from '../../src/modules/work-orders/schema.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';
import { applyStep } from '../helpers/work-orders.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: Awaited<ReturnType<typeof buildUser>>;
let house: Awaited<ReturnType<typeof buildOrgUnit>>;

const headers = [
  '来电人',
  '工单编号',
  '备注',
  '来电时间',
  '联系电话',
  '诉求类型',
  '诉求内容',
  '事发地址',
  '承办单位',
  '办理时限',
  '工单状态',
];
type Row = Partial<Record<(typeof headers)[number], unknown>>;

/** A 12345 export as the centre sends it: columns in its own order, one extra column. */
async function workbook(rows: Row[], cols = headers): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  ws.addRow(cols);
  for (const r of rows) ws.addRow(cols.map((h) => r[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const good: Row[] = [
  {
    工单编号: 'NM12345-20261120-0001',
    来电时间: new Date(Date.UTC(2026, 10, 20, 9, 30)), // a date cell: 09:30 Beijing time
    来电人: '张先生',
    联系电话: 13812345678,
    诉求类型: '供暖',
    诉求内容: '家中暖气不热，室温只有 14 度',
    事发地址: '东胜区民族社区3号楼2单元',
    承办单位: '民族社区',
    办理时限: '3个工作日',
    工单状态: '待办理',
    备注: '夜间来电',
  },
  {
    工单编号: 'NM12345-20261120-0002',
    来电时间: '2026-11-20 10:15',
    来电人: '李女士',
    联系电话: '0477-8581234',
    诉求类型: '城市管理/市容环境',
    诉求内容: '小区门口垃圾堆放多日无人清理',
    事发地址: '鄂尔多斯大街12号院内',
    承办单位: '城市管理综合执法局',
    办理时限: '2026/11/24 18:00',
    工单状态: '办理中',
  },
  {
    工单编号: 'NM12345-20261120-0003',
    来电时间: '2026年11月20日 11:00',
    诉求类型: '政策咨询',
    诉求内容: '咨询老旧小区改造政策',
    事发地址: '富兴社区第一网格',
  },
  {
    工单编号: 'NM12345-20261120-0004',
    来电时间: '2026-11-20 12:00',
    来电人: '赵师傅',
    诉求类型: '噪音',
    诉求内容: '楼下商铺音响声音过大',
    事发地址: '某某路 88 号',
    承办单位: '民族社区居委会',
  },
];

const broken: Row[] = [
  { 来电时间: '2026-11-20 13:00', 诉求内容: '没有编号的工单', 事发地址: '民族社区' },
  { 工单编号: 'NM12345-BAD-TIME', 来电时间: '昨天下午', 诉求内容: '时间写错了', 事发地址: '民族社区' },
  {
    工单编号: 'NM12345-BAD-PHONE',
    来电时间: '2026-11-20 13:10',
    联系电话: '12345',
    诉求内容: '电话写错了',
    事发地址: '民族社区',
  },
  {
    工单编号: 'NM12345-20261120-0002',
    来电时间: '2026-11-20 13:20',
    诉求内容: '重复编号',
    事发地址: '民族社区',
  },
  { 工单编号: 'NM12345-NO-CONTENT', 来电时间: '2026-11-20 13:30', 事发地址: '民族社区' },
];

async function startImport(bytes: Buffer, fields: Record<string, string> = {}) {
  const body = multipartBody(fields, [
    {
      name: '12345.xlsx',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes,
    },
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders/imports',
    headers: { ...worker.headers, ...body.headers },
    payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const job = (await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: worker.headers })).json();
  expect(job.status, job.error).toBe('succeeded');
  expect(job.percent).toBe(100);
  return job.result as { imported: number; updated: number; rejected: number; errors: any[] };
}

const hotlineOrders = () =>
  t.ctx.db.select().from(workOrder).where(eq(workOrder.channel, 'hotline')).orderBy(workOrder.externalNo);

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  await t.ctx.db.update(orgUnit).set({ name: '民族社区' }).where(eq(orgUnit.id, tree.community.id));
  await t.ctx.db.update(orgUnit).set({ name: '富兴社区' }).where(eq(orgUnit.id, tree.neighbourCommunity.id));
  // "第一网格" exists in both communities: only the one inside the named community may match.
  await t.ctx.db.update(orgUnit).set({ name: '第一网格' }).where(eq(orgUnit.id, tree.grid.id));
  await t.ctx.db.update(orgUnit).set({ name: '第一网格' }).where(eq(orgUnit.id, tree.neighbourGrid.id));
  house = await buildOrgUnit(t.ctx.db, { parent: tree.grid, kind: 'building', name: '12号楼' });
  await t.ctx.db.insert(building).values({
    orgUnitId: house.id,
    lng: 109.99,
    lat: 39.82,
    address: '鄂尔多斯大街12号',
    qrToken: 'hotline-test-qr',
    districtCode: tree.district.districtCode!,
  });
  worker = await buildUser(t, 'communityWorker', tree.community);
});
afterAll(() => t.close());

describe('12345 hotline import', () => {
  it('refuses a workbook without a required column, naming it', async () => {
    const bytes = await workbook(
      good,
      headers.filter((h) => h !== '诉求内容'),
    );
    const result = await startImport(bytes);
    expect(result).toMatchObject({ imported: 0, updated: 0, rejected: 0 });
    expect(result.errors).toEqual([{ row: 1, column: '诉求内容', message: '缺少必填列「诉求内容」' }]);
  });

  it('reports every broken row by row and column and imports nothing by default', async () => {
    // A form's "false" is false.
    const result = await startImport(await workbook([...good, ...broken]), { acceptPartial: 'false' });
    expect(result.imported).toBe(0);
    expect(result.rejected).toBe(5);
    expect(result.errors).toEqual([
      { row: 6, column: '工单编号', message: '工单编号不能为空' },
      { row: 7, column: '来电时间', message: expect.stringContaining('来电时间应为日期时间') },
      { row: 8, column: '联系电话', message: expect.stringContaining('联系电话') },
      { row: 9, column: '工单编号', message: '与第 3 行的工单编号重复' },
      { row: 10, column: '诉求内容', message: '诉求内容不能为空' },
    ]);
    expect(await hotlineOrders()).toHaveLength(0);
  });

  it('with acceptPartial imports the good rows: category, place, time, caller and deadline', async () => {
    const result = await startImport(await workbook([...good, ...broken]), { acceptPartial: 'true' });
    expect(result).toMatchObject({ imported: 4, updated: 0, rejected: 5 });
    const orders = await hotlineOrders();
    expect(orders.map((o) => o.externalNo)).toEqual(good.map((g) => g.工单编号));
    const cats = new Map(
      (await t.ctx.db.select().from(workOrderCategory)).map((c) => [c.id, c.code] as [string, string]),
    );
    const [heating, litter, policy, noise] = orders;
    expect(cats.get(heating.categoryId)).toBe('livelihood.heating');
    expect(cats.get(litter.categoryId)).toBe('city.environment');
    expect(cats.get(policy.categoryId)).toBe('livelihood.other');
    expect(cats.get(noise.categoryId)).toBe('livelihood.noise');
    // Placed by community name, by building address, by community + grid name, by the handling unit.
    expect(heating.placeId).toBe(tree.community.id);
    expect(litter.placeId).toBe(tree.grid.id);
    expect(policy.placeId).toBe(tree.neighbourGrid.id);
    expect(noise.placeId).toBe(tree.community.id);
    expect(heating.createdAt.toISOString()).toBe('2026-11-20T01:30:00.000Z');
    expect(litter.createdAt.toISOString()).toBe('2026-11-20T02:15:00.000Z');
    expect(heating.reporterName).toBe('张先生');
    expect(t.ctx.pii.decrypt(heating.reporterPhoneEnc!)).toBe('13812345678');
    expect(t.ctx.pii.decrypt(litter.reporterPhoneEnc!)).toBe('04778581234');
    expect(policy.anonymous).toBe(true);
    const [ticket] = await t.ctx.db
      .select()
      .from(hotlineTicket)
      .where(eq(hotlineTicket.externalNo, 'NM12345-20261120-0002'));
    expect(ticket).toMatchObject({ handlerName: '城市管理综合执法局', status: '办理中' });
    expect(ticket.deadline!.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    const [heatingTicket] = await t.ctx.db
      .select()
      .from(hotlineTicket)
      .where(eq(hotlineTicket.externalNo, 'NM12345-20261120-0001'));
    // 3 working days from Friday 20 November: Wednesday 25 November.
    expect(heatingTicket.deadline!.toISOString().slice(0, 10)).toBe('2026-11-25');

    const list = await t.app.inject({ url: '/api/work-orders?channel=hotline', headers: worker.headers });
    expect(list.json().total).toBe(3); // the fourth lies in the neighbouring community
  });

  it('imports the same workbook again without duplicates, noting what the centre changed', async () => {
    const again = await startImport(await workbook(good));
    expect(again).toMatchObject({ imported: 0, updated: 4, rejected: 0, errors: [] });
    expect(await hotlineOrders()).toHaveLength(4);

    const changed = good.map((g) =>
      g.工单编号 === 'NM12345-20261120-0001' ? { ...g, 工单状态: '已延期' } : g,
    );
    const third = await startImport(await workbook(changed));
    expect(third).toMatchObject({ imported: 0, updated: 4, rejected: 0 });
    const [heating] = await hotlineOrders();
    const notes = await t.ctx.db
      .select()
      .from(workOrderEvent)
      .where(and(eq(workOrderEvent.workOrderId, heating.id), eq(workOrderEvent.type, 'commented')));
    expect(notes).toHaveLength(1);
    expect(String(notes[0].data.text)).toContain('工单状态：待办理 → 已延期');
    expect(await hotlineOrders()).toHaveLength(4);
  });

  it('exports the replies in the same layout, and the export imports back as updates', async () => {
    const [heating] = await hotlineOrders();
    const step = (payload: object, who = worker) => applyStep(t, who.headers, heating.id, payload);
    // The grid it is sent to signs for it and resolves it (the community above does not).
    const gridWorker = await buildUser(t, 'gridWorker', tree.grid);
    await step({ type: 'accepted' });
    await step({ type: 'dispatched', handlerUnitId: tree.grid.id });
    await step({ type: 'accepted' }, gridWorker);
    await step(
      { type: 'resolved', outcome: 'resolved', text: '已联系热力公司排气，室温恢复到 20 度' },
      gridWorker,
    );
    await step({ type: 'verified' });

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/exports',
      headers: worker.headers,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.ctx.jobs.runUntilIdle();
    const jobId = res.json().jobId;
    const job = (await t.app.inject({ url: `/api/jobs/${jobId}`, headers: worker.headers })).json();
    expect(job.status, job.error).toBe('succeeded');
    expect(job.result.rows).toBe(3);
    const file = await t.app.inject({ url: `/api/jobs/${jobId}/download`, headers: worker.headers });
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as any);
    const ws = wb.worksheets[0];
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    expect(head).toEqual([
      '工单编号',
      '来电时间',
      '来电人',
      '联系电话',
      '诉求类型',
      '诉求内容',
      '事发地址',
      '承办单位',
      '办理时限',
      '工单状态',
      '办理结果',
      '回复内容',
      '办结时间',
    ]);
    const rows = [2, 3, 4].map((n) => (ws.getRow(n).values as unknown[]).slice(1));
    const heatingRow = rows.find((r) => r[0] === 'NM12345-20261120-0001')!;
    expect(heatingRow.slice(0, 10)).toEqual([
      'NM12345-20261120-0001',
      '2026-11-20 09:30',
      '张先生',
      '138****5678',
      '供暖',
      '家中暖气不热，室温只有 14 度',
      '东胜区民族社区3号楼2单元',
      '第一网格',
      '2026-11-25 23:59',
      '已结案',
    ]);
    expect(heatingRow[10]).toBe('已解决');
    expect(heatingRow[11]).toBe('已联系热力公司排气，室温恢复到 20 度');
    expect(heatingRow[12]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);

    // Round trip: the export is a valid import of the same tickets — all updates, nothing new.
    const back = await startImport(Buffer.from(file.rawPayload));
    expect(back).toMatchObject({ imported: 0, updated: 3, rejected: 0, errors: [] });
    expect(await hotlineOrders()).toHaveLength(4);
    expect(t.ctx.pii.decrypt((await hotlineOrders())[0].reporterPhoneEnc!)).toBe('13812345678');
  });

  it('never files a ticket twice, even when two imports of it run at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-race-'));
    try {
      const rows = Array.from({ length: 12 }, (_, i) => ({
        ...good[0],
        工单编号: `NM12345-RACE-${String(i).padStart(3, '0')}`,
      }));
      const path = join(dir, 'race.xlsx');
      writeFileSync(path, await workbook(rows));
      const caller = await callerForUser(t.ctx.db, worker.user.id);
      const [a, b] = await Promise.all([
        importHotline(t.ctx, caller, path),
        importHotline(t.ctx, caller, path),
      ]);
      expect(a.imported + b.imported).toBe(12);
      expect(a.updated + b.updated).toBe(12);
      expect([...a.errors, ...b.errors]).toEqual([]);
      const filed = (await hotlineOrders()).filter((o) => o.externalNo!.startsWith('NM12345-RACE-'));
      expect(filed).toHaveLength(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('places a real export at the most precise unit its address or 承办单位 names, down to the street or district', async () => {
    await t.ctx.db.update(orgUnit).set({ name: '交通街道' }).where(eq(orgUnit.id, tree.street.id));
    await t.ctx.db.update(orgUnit).set({ name: '东胜区' }).where(eq(orgUnit.id, tree.district.id));
    const street = await buildUser(t, 'streetStaff', tree.street);
    const base = { 来电时间: '2026-11-21 09:00', 诉求内容: '路灯不亮', 诉求类型: '路灯' };
    const rows: Row[] = [
      // The street named in the address, a compound the register does not know.
      { ...base, 工单编号: 'REAL-1', 事发地址: '鄂尔多斯市东胜区交通街道某小区１２号楼' },
      // Only the handling unit names the street.
      { ...base, 工单编号: 'REAL-2', 事发地址: '某某路 88 号', 承办单位: '东胜区交通街道' },
      // The district and nothing below it.
      { ...base, 工单编号: 'REAL-3', 事发地址: '东胜区某某路', 承办单位: '东胜区城管局' },
      // A building by its number in the community the address names, in another spelling.
      { ...base, 工单编号: 'REAL-4', 事发地址: '东胜区交通街道 民族社区 12# 3-1502' },
      // Nothing in reach: refused, naming the address.
      { ...base, 工单编号: 'REAL-5', 事发地址: '呼和浩特市新城区某路' },
    ];
    const body = multipartBody({ partial: 'true' }, [
      {
        name: '12345.xlsx',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes: await workbook(rows),
      },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/imports',
      headers: { ...street.headers, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.ctx.jobs.runUntilIdle();
    const job = (
      await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: street.headers })
    ).json();
    expect(job.status, job.error).toBe('succeeded');
    expect(job.result).toMatchObject({ imported: 4, rejected: 1 });
    expect(job.result.errors).toEqual([
      { row: 6, column: '事发地址', message: expect.stringContaining('「呼和浩特市新城区某路」') },
    ]);
    const placed = new Map(
      (await hotlineOrders())
        .filter((o) => o.externalNo!.startsWith('REAL-'))
        .map((o) => [o.externalNo, o.placeId]),
    );
    expect(Object.fromEntries(placed)).toEqual({
      'REAL-1': tree.street.id,
      'REAL-2': tree.street.id,
      'REAL-3': tree.district.id,
      'REAL-4': tree.grid.id, // the building's grid: building reports queue there
    });
    // The street's orders wait in the street staff's triage queue, to be dispatched down.
    const queue = await t.app.inject({
      url: '/api/work-orders?queue=triage&channel=hotline',
      headers: street.headers,
    });
    expect(queue.statusCode, queue.body).toBe(200);
    const numbers = queue.json().items.map((o: { externalNo?: string; id: string }) => o.id);
    const [one, two] = (await hotlineOrders()).filter((o) => ['REAL-1', 'REAL-2'].includes(o.externalNo!));
    expect(numbers).toEqual(expect.arrayContaining([one.id, two.id]));
  });

  it('needs workOrder.import', async () => {
    const resident = await buildUser(t, 'resident', tree.community);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/imports',
      headers: resident.headers,
      payload: { fileId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('CLI', () => {
  it('import hotline --json prints {imported, updated, rejected, errors}', async () => {
    const { cli, env } = await import('../process/cli.js');
    const { openAppContext } = await import('../../src/domains.js');
    const { loadConfig } = await import('../../src/platform/config.js');
    const dir = mkdtempSync(join(tmpdir(), 'grassroots-hotline-cli-'));
    try {
      const e = env(dir);
      // Seeded but never served: no admin yet; the import makes it, as a first start would.
      const ctx = await openAppContext(loadConfig(e as Record<string, string>));
      const cliTree = await buildOrgTree(ctx.db);
      await ctx.db.update(orgUnit).set({ name: '民族社区' }).where(eq(orgUnit.id, cliTree.community.id));
      await ctx.jobs.stop();
      await ctx.database.close();
      const path = join(dir, '12345.xlsx');
      // Run as admin (whole system, no community of their own): every address names its community.
      const rows = [good[0], { ...good[1], 事发地址: '民族社区东门' }];
      writeFileSync(path, await workbook([...rows, broken[2]]));

      const first = cli(['import', 'hotline', path, '--json'], e);
      expect(first.status, first.stderr).toBe(2);
      expect(JSON.parse(first.stdout)).toEqual({
        imported: 0,
        updated: 0,
        rejected: 1,
        errors: [{ row: 4, column: '联系电话', message: expect.any(String) }],
      });
      expect(first.stderr).toContain('已创建系统管理员 admin');
      const nobody = cli(['import', 'hotline', path, '--user', 'nobody'], e);
      expect(nobody.status).toBe(2);
      expect(nobody.stderr.trim()).toBe(
        '--user：没有用户名为 nobody 的账号（可用 grassroots users create 创建）',
      );
      const partial = cli(['import', 'hotline', path, '--json', '--partial'], e);
      expect(JSON.parse(partial.stdout)).toMatchObject({ imported: 2, updated: 0, rejected: 1 });
      // An unexpected failure (a file that is no workbook): one line naming the log, no stack.
      const junk = join(dir, 'junk.xlsx');
      writeFileSync(junk, 'PK\u0003\u0004 not really a workbook');
      const crashed = cli(['import', 'hotline', junk, '--accept-partial'], e);
      expect(crashed.status).not.toBe(0);
      expect(crashed.stderr).not.toMatch(/^\s+at /m);
      expect(crashed.stderr.trim().split('\n')).toHaveLength(1);
      writeFileSync(path, await workbook(rows));
      const again = cli(['import', 'hotline', path, '--json'], e);
      expect(again.status, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual({ imported: 0, updated: 2, rejected: 0, errors: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 480_000);
});
