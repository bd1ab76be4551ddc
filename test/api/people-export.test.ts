import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/platform/db/index.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildResident, validIdNumber, validPhone } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * A bulk export of personal data: masked unless asked otherwise; full numbers need their own
 * permission (not the one that reveals one record) and a reason; the count is known before it
 * starts; the audit names the count, reason, filters and the requester's address.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
type Headers = { authorization: string };
let secretary: Headers;
let worker: Headers;
let district: Headers;
const ids: string[] = [];
const phones: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  secretary = (await buildUser(t, 'communitySecretary', tree.community)).headers;
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers;
  district = (await buildUser(t, 'districtStaff', tree.district)).headers;
  for (const grid of [tree.grid, tree.grid, tree.neighbourGrid]) {
    const phone = validPhone();
    const idNumber = validIdNumber('1960-03-04');
    await buildResident(t.ctx, grid, { phone, idNumber, birthDate: '1960-03-04' });
    ids.push(idNumber);
    phones.push(phone);
  }
});
afterAll(() => t.close());

const post = (h: Headers, url: string, payload: object, remoteAddress?: string) =>
  t.app.inject({ method: 'POST', url, headers: h, payload, remoteAddress });

async function runExport(h: Headers, payload: object, remoteAddress?: string) {
  const res = await post(h, '/api/residents/exports', payload, remoteAddress);
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const job = (await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: h })).json();
  expect(job.status, JSON.stringify(job)).toBe('succeeded');
  const file = await t.app.inject({ url: `/api/jobs/${job.id}/download`, headers: h });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.rawPayload as any);
  const cells: string[] = [];
  wb.worksheets[0].eachRow((row) => {
    for (const v of row.values as unknown[]) if (v !== undefined && v !== null) cells.push(String(v));
  });
  return { job, text: cells.join('|') };
}

const jobCount = async () =>
  rowsOf<{ n: number }>(await t.ctx.db.execute(sql`select count(*)::int as n from job`))[0].n;

describe('bulk export of personal data', () => {
  it('is masked by default, even for a secretary who may export in full', async () => {
    const { job, text } = await runExport(secretary, { orgUnitId: tree.grid.id });
    expect(job.result).toMatchObject({ rows: 2, masked: true });
    for (const secret of [...ids.slice(0, 2), ...phones.slice(0, 2)]) expect(text).not.toContain(secret);
    expect(text).toContain(`${ids[0].slice(0, 6)}********${ids[0].slice(-4)}`);
  });

  it('needs a reason of at least 5 characters, named in Chinese, and queues nothing without one', async () => {
    const before = await jobCount();
    for (const payload of [{ unmasked: true }, { unmasked: true, reason: '  核对 ' }]) {
      const res = await post(secretary, '/api/residents/exports', payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().fields).toEqual([
        { path: 'reason', message: '请说明导出完整证件号码和手机号的理由（至少 5 个字）' },
      ]);
    }
    expect(await jobCount()).toBe(before);
  });

  it('needs resident.exportPII: a community worker gets 403, and the count reveals nobody for them', async () => {
    const refused = await post(worker, '/api/residents/exports', {
      unmasked: true,
      reason: '低保年审核对名单',
    });
    expect(refused.statusCode, refused.body).toBe(403);
    const count = await post(worker, '/api/residents/exports/count', { unmasked: true });
    expect(count.json()).toEqual({ rows: 2, unmasked: 0 });
    // Revealing one record is a different permission: the secretary has both, the worker neither.
    const one = await post(worker, `/api/residents/${(await firstResident()).id}/reveal`, { reason: '核对' });
    expect(one.statusCode).toBe(403);
  });

  it('says how many it will reveal before it starts, and the export reveals exactly those', async () => {
    const filters = { orgUnitId: tree.street.id };
    const masked = await post(district, '/api/residents/exports/count', filters);
    expect(masked.statusCode, masked.body).toBe(200);
    expect(masked.json()).toEqual({ rows: 3, unmasked: 0 });
    const full = await post(district, '/api/residents/exports/count', { ...filters, unmasked: true });
    expect(full.json()).toEqual({ rows: 3, unmasked: 3 });
    // The secretary's reach is her community: two people, both unmasked.
    const mine = await post(secretary, '/api/residents/exports/count', { unmasked: true });
    expect(mine.json()).toEqual({ rows: 2, unmasked: 2 });

    const reason = '民政局低保年审，核对名单';
    const { job, text } = await runExport(district, { ...filters, unmasked: true, reason }, '10.20.30.40');
    expect(job.result).toMatchObject({ rows: 3, masked: false });
    for (const secret of [...ids, ...phones]) expect(text).toContain(secret);

    const [entry] = rowsOf<{
      ip: string;
      summary: string;
      details: { rows: number; unmasked: number; reason: string; filters: object };
    }>(
      await t.ctx.db.execute(
        sql`select ip, summary, details from audit_event where action = 'resident.exported' order by at desc limit 1`,
      ),
    );
    expect(entry.ip).toBe('10.20.30.40');
    expect(entry.details).toMatchObject({ rows: 3, unmasked: 3, reason, filters });
    expect(entry.summary).toContain(`含 3 人完整证件号码和手机号；理由：${reason}`);
    const log = JSON.stringify(entry);
    for (const secret of [...ids, ...phones]) expect(log).not.toContain(secret);
  });

  it('masks a number written into the reason in the audit log', async () => {
    const reason = `家属来电 ${phones[0]} 要求核对`;
    await runExport(secretary, { orgUnitId: tree.grid.id, unmasked: true, reason });
    const [entry] = rowsOf<{ summary: string; details: { reason: string } }>(
      await t.ctx.db.execute(
        sql`select summary, details from audit_event where action = 'resident.exported' order by at desc limit 1`,
      ),
    );
    expect(JSON.stringify(entry)).not.toContain(phones[0]);
    expect(entry.details.reason).toContain('要求核对');
  });
});

async function firstResident() {
  const res = await t.app.inject({ url: '/api/residents?pageSize=1', headers: worker });
  return res.json().items[0] as { id: string };
}
