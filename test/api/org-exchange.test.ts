import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectangle } from '../../src/modules/org/geometry.js';
import { rowsOf } from '../../src/platform/db/index.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit, type OrgUnitRow } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let community: OrgUnitRow;
let secretary: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  community = await buildOrgUnit(t.ctx.db, {
    parent: tree.street,
    kind: 'community',
    code: `${tree.street.code}050`,
  });
  secretary = await buildUser(t, 'communitySecretary', community);
});
afterAll(() => t.close());

async function upload(headers: object, name: string, bytes: Buffer, type: string) {
  const boundary = '----exchange';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...(headers as any), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function runJob(headers: object, url: string, payload: object) {
  const res = await t.app.inject({ method: 'POST', url, headers: headers as any, payload });
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const job = await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: headers as any });
  return job.json();
}

const gridsIn = async (communityId: string) =>
  rowsOf<{ name: string; code: string }>(
    await t.ctx.db.execute(
      sql`select name, code from org_unit where parent_id = ${communityId} and kind = 'grid' and deleted_at is null order by code`,
    ),
  );

const feature = (name: string, boundary: object, extra: object = {}) => ({
  type: 'Feature',
  properties: { name, communityCode: community.code, type: '基础网格', targetHouseholds: 300, ...extra },
  geometry: boundary,
});
const bowtie = {
  type: 'Polygon',
  coordinates: [
    [
      [110, 40],
      [110.01, 40.01],
      [110.01, 40],
      [110, 40.01],
      [110, 40],
    ],
  ],
};

describe('grid import from GeoJSON', () => {
  const file = (features: object[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));

  it('reports every bad row by row and column and writes nothing, unless asked for the good rows', async () => {
    const bytes = file([
      feature('第一网格', rectangle(110, 40, 110.01, 40.01)),
      feature('第二网格', rectangle(110.01, 40, 110.02, 40.01)),
      feature('第三网格', bowtie),
      feature('', rectangle(110.02, 40, 110.03, 40.01), { type: '大网格' }),
    ]);
    const fileId = await upload(secretary.headers, 'grids.geojson', bytes, 'application/geo+json');
    const all = await runJob(secretary.headers, '/api/org/imports', { fileId, what: 'grids' });
    expect(all.error).toBeNull();
    expect(all.result).toMatchObject({ written: false, created: 0, rejected: 2 });
    expect(all.result.errors).toEqual([
      { row: 3, column: '边界（GeoJSON）', message: expect.stringMatching(/自相交|交叉/) },
      { row: 4, column: '网格名称', message: '请填写网格名称' },
    ]);
    expect(await gridsIn(community.id)).toEqual([]);

    const partial = await runJob(secretary.headers, '/api/org/imports', {
      fileId,
      what: 'grids',
      partial: true,
    });
    expect(partial.result).toMatchObject({ written: true, created: 2, rejected: 2 });
    expect((await gridsIn(community.id)).map((g) => g.name)).toEqual(['第一网格', '第二网格']);
  });

  it('round-trips: an exported file imported again updates and creates nothing', async () => {
    const exported = await runJob(secretary.headers, '/api/org/exports', {
      what: 'grids',
      format: 'geojson',
      orgUnitId: community.id,
    });
    expect(exported).toMatchObject({ status: 'succeeded', result: { rows: 2 } });
    const download = await t.app.inject({
      url: `/api/jobs/${exported.id}/download`,
      headers: secretary.headers,
    });
    expect(download.headers['content-type']).toContain('application/geo+json');
    const doc = download.json();
    expect(doc.features.map((f: any) => f.properties.code)).toEqual(
      (await gridsIn(community.id)).map((g) => g.code),
    );

    const fileId = await upload(secretary.headers, 'again.geojson', download.rawPayload, 'application/json');
    const again = await runJob(secretary.headers, '/api/org/imports', { fileId, what: 'grids' });
    expect(again.result).toMatchObject({ written: true, created: 0, updated: 2, rejected: 0 });
    expect(await gridsIn(community.id)).toHaveLength(2);
  });

  it('authorises every row against the importer’s scope', async () => {
    const neighbour = await buildUser(t, 'communitySecretary', tree.neighbourCommunity);
    const fileId = await upload(
      neighbour.headers,
      'theirs.geojson',
      file([feature('越界网格', rectangle(111, 41, 111.01, 41.01))]),
      'application/geo+json',
    );
    const job = await runJob(neighbour.headers, '/api/org/imports', { fileId, what: 'grids' });
    expect(job.result.errors).toEqual([{ row: 1, column: '', message: '没有权限执行此操作' }]);
  });
});

describe('buildings from and to Excel', () => {
  it('imports buildings with per-cell errors and exports them again', async () => {
    const [grid] = await gridsIn(community.id);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('楼栋');
    ws.addRow(['所属网格编码', '楼栋名称', '地址', '经度', '纬度', '单元数', '层数', '每单元户数']);
    ws.addRow([grid.code, '1号楼', '民族街 1 号', 110.005, 40.005, 3, 6, 2]);
    ws.addRow([grid.code, '2号楼', '民族街 3 号', 110.005, 95, 2, 6, 2]);
    ws.addRow(['99999999', '3号楼', '', 110.005, 40.005, 2, 6, 2]);
    ws.addRow([grid.code, '4号楼', '', 110.006, 40.006, 0, 6, 2]);
    const fileId = await upload(
      secretary.headers,
      '楼栋.xlsx',
      Buffer.from(await wb.xlsx.writeBuffer()),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const job = await runJob(secretary.headers, '/api/org/imports', {
      fileId,
      what: 'buildings',
      partial: true,
    });
    expect(job.result).toMatchObject({ created: 1, rejected: 3 });
    expect(job.result.errors).toEqual([
      { row: 3, column: '纬度', message: '纬度应在 3 至 54 之间（WGS-84）' },
      { row: 4, column: '所属网格编码', message: '网格编码 99999999 不存在' },
      { row: 5, column: '单元数', message: '单元数应为 1 至 200 的整数' },
    ]);

    const exported = await runJob(secretary.headers, '/api/org/exports', {
      what: 'buildings',
      format: 'xlsx',
    });
    const download = await t.app.inject({
      url: `/api/jobs/${exported.id}/download`,
      headers: secretary.headers,
    });
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(download.rawPayload as any);
    const rows = out.worksheets[0].getSheetValues().slice(1) as unknown[][];
    expect(rows[0].slice(1, 4)).toEqual(['楼栋编码', '所属网格', '楼栋名称']);
    expect(rows.slice(1).map((r) => r[3])).toEqual(['1号楼']);
    expect(rows[1][1]).toBe(`${grid.code}B001`);
  });
});
