import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerForUser } from '../../src/modules/accounts/sessions.js';
import { readExchangeRows } from '../../src/modules/org/exchange.js';
import { importHouses } from '../../src/modules/people/house-import.js';
import { importResidents } from '../../src/modules/people/import.js';
import { hotlineImportJob, importHotline } from '../../src/modules/work-orders/hotline.js';
import { workOrder } from '../../src/modules/work-orders/schema.js';
import { job } from '../../src/platform/jobs/schema.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { workbookLimits } from '../../src/platform/tabular/limits.js';
import { HeaderError } from '../../src/platform/tabular/xlsx.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expandingWorkbook } from '../helpers/expanding-workbook.js';
import { multipartBody } from '../helpers/multipart.js';

let t: TestApp;
let worker: Awaited<ReturnType<typeof buildUser>>;
let communityName: string;
const dir = mkdtempSync(join(tmpdir(), 'grassroots-bomb-'));
const bombPath = join(dir, '12345.xlsx');
let bomb: Buffer;

beforeAll(async () => {
  t = await createTestApp();
  const tree = await buildOrgTree(t.ctx.db);
  communityName = tree.community.name;
  worker = await buildUser(t, 'communityWorker', tree.community);
  // 20 MB more than the limit, in identical 12345 rows.
  bomb = expandingWorkbook(
    ['工单编号', '来电时间', '诉求内容', '事发地址'],
    ['NM12345-20261120-0001', '2026-11-20 09:30', '小区门口路灯不亮', '东胜区民族社区'],
    workbookLimits.uncompressedBytes + 20 * 1024 * 1024,
  );
  writeFileSync(bombPath, bomb);
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const limitText = '超过 1024 MB 的上限（解压后大小）';

describe('a workbook that expands past the limit', () => {
  it('is small on disk', () => {
    expect(statSync(bombPath).size).toBeLessThan(t.ctx.config.UPLOAD_MAX_BYTES);
  });

  it('is refused at upload for a 12345 import with 400 naming the limit, and the server still answers', async () => {
    const body = multipartBody({ acceptPartial: 'false' }, [
      {
        name: '12345.xlsx',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes: bomb,
      },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/imports',
      ...body,
      headers: { ...body.headers, ...worker.headers },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'WORKBOOK_LIMIT' });
    expect(res.json().message).toContain(limitText);
    expect(res.json().fields).toEqual([{ path: 'file', message: expect.stringContaining(limitText) }]);
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    expect(await t.ctx.db.select().from(workOrder)).toHaveLength(0);
  });

  it('is refused by the plain upload too, which every import starts from', async () => {
    const body = multipartBody({}, [
      {
        name: 'x.xlsx',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes: bomb,
      },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      ...body,
      headers: { ...body.headers, ...worker.headers },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(limitText);
  });

  it('is refused by every importer reading it from disk (as the CLI does) before any row is read', async () => {
    const caller = await callerForUser(t.ctx.db, worker.user.id);
    const before = process.memoryUsage().rss;
    const hotline = await importHotline(t.ctx, caller, bombPath);
    expect(hotline).toMatchObject({ imported: 0, updated: 0, rejected: 0 });
    expect(hotline.errors).toEqual([{ row: 0, column: '', message: expect.stringContaining(limitText) }]);
    const residents = await importResidents(t.ctx, caller, bombPath);
    expect(residents).toMatchObject({ written: false, imported: 0 });
    expect(residents.errors[0].message).toContain(limitText);
    const houses = await importHouses(t.ctx, caller, bombPath);
    expect(houses).toMatchObject({ written: false, imported: 0 });
    expect(houses.errors[0].message).toContain(limitText);
    const org = await (async () => {
      for await (const _ of readExchangeRows(bombPath, 'grids', 'xlsx'));
    })().catch((e) => e);
    expect(org).toBeInstanceOf(HeaderError);
    expect(org.limit).toBe('uncompressedBytes');
    expect(org.message).toContain(limitText);
    // Nothing was expanded: far below the gigabyte the sheet holds.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });
});

describe('a 12345 import job', () => {
  it('stops at its first chunk once cancelled, before writing anything', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('工单');
    ws.addRow(['工单编号', '来电时间', '诉求内容', '事发地址']);
    for (let i = 1; i <= 3; i++)
      ws.addRow([`NM12345-20261120-010${i}`, '2026-11-20 09:30', '楼道灯不亮', `${communityName}3号楼`]);
    const file = await t.ctx.files.save(t.ctx.db, Buffer.from(await wb.xlsx.writeBuffer()), {
      createdBy: worker.user.id,
    });
    const started = await t.ctx.jobs.enqueue(t.ctx.db, {
      kind: hotlineImportJob,
      params: { fileId: file.id },
      createdBy: worker.user.id,
    });
    // What 取消 leaves on a job that is already running: the request, seen at its next chunk.
    await t.ctx.db.update(job).set({ cancelRequested: 1 }).where(eq(job.id, started.id));
    await t.ctx.jobs.runUntilIdle();
    const [row] = await t.ctx.db.select().from(job).where(eq(job.id, started.id));
    expect(row.status).toBe('cancelled');
    expect(await t.ctx.db.select().from(workOrder)).toHaveLength(0);
  });
});
