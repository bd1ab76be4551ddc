import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildResident } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { drawGrid, form } from '../helpers/open311.js';
import { applyStep } from '../helpers/work-orders.js';

/**
 * Free text carries what the register protects (issue 14, finding 5): ID numbers and phones written
 * into descriptions, replies and notes are masked wherever the text leaves staff with the full-data
 * permission — Open311, a resident's view of what others wrote, exports without it (and resident exports
 * not asked for unmasked).
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: Awaited<ReturnType<typeof buildUser>>;
let secretary: Awaited<ReturnType<typeof buildUser>>;
let gridWorker: Awaited<ReturnType<typeof buildUser>>;

const phone = '13634125903';
const idNumber = '150602200808100018';
const secretText = `我的手机${phone}，身份证${idNumber}，请尽快处理`;
const maskedText = '我的手机136****5903，身份证150602********0018，请尽快处理';
const replyText = '已联系网格员，电话 139 0477 1234，明天上门';
const maskedReply = '已联系网格员，电话 139****1234，明天上门';
/** What a resident and Open311 read of the 办结 event: the public sentence with the reply. */
const publicReply = `已办理完毕：${maskedReply}`;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  await drawGrid(t, tree);
  worker = await buildUser(t, 'communityWorker', tree.community);
  secretary = await buildUser(t, 'communitySecretary', tree.community);
  gridWorker = await buildUser(t, 'gridWorker', tree.grid);
});
afterAll(() => t.close());

async function categoryId(code: string) {
  const res = await t.app.inject({ url: '/api/work-order-categories', headers: worker.headers });
  return res.json().find((c: { code: string }) => c.code === code).id as string;
}

/** Accepted and dispatched to the grid by the community worker, signed and resolved with `replyText` by the grid's worker. */
async function answer(id: string) {
  const step = (payload: object, by = worker) => applyStep(t, by.headers, id, payload);
  await step({ type: 'accepted' });
  await step({ type: 'dispatched', handlerUnitId: tree.grid.id });
  await step({ type: 'accepted' }, gridWorker);
  await step({ type: 'resolved', outcome: 'resolved', text: replyText }, gridWorker);
}

async function runJob(headers: object, url: string, payload: object) {
  const res = await t.app.inject({ method: 'POST', url, headers: headers as any, payload });
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const jobId = res.json().jobId;
  const job = (await t.app.inject({ url: `/api/jobs/${jobId}`, headers: headers as any })).json();
  expect(job.status, job.error).toBe('succeeded');
  const file = await t.app.inject({ url: `/api/jobs/${jobId}/download`, headers: headers as any });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.rawPayload as any);
  const cells: string[] = [];
  wb.worksheets[0].eachRow((row) => {
    for (const v of (row.values as unknown[]).slice(1)) cells.push(String(v ?? ''));
  });
  return cells.join('|');
}

describe('Open311', () => {
  it('publishes description, address and replies with their ID numbers and phones masked; staff see the original', async () => {
    const admin = await buildUser(t, 'cityAdmin', tree.city);
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/open311/keys',
      headers: admin.headers,
      payload: { name: '随手拍 App', orgUnitId: tree.district.id },
    });
    const filed = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({
        api_key: key.json().key,
        service_code: 'city.environment',
        lat: '40.005',
        long: '110.005',
        address_string: `5号楼前，有事打１３６-３４１２-５９０３`,
        description: secretText,
      }),
    });
    expect(filed.statusCode, filed.body).toBe(200);
    const number = filed.json()[0].service_request_id;
    const [order] = (
      await t.app.inject({ url: `/api/work-orders?q=${number}`, headers: worker.headers })
    ).json().items;
    await answer(order.id);

    const one = await t.app.inject({ url: `/open311/v2/requests/${number}.json` });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()[0]).toMatchObject({
      description: maskedText,
      status_notes: publicReply,
      address: '5号楼前，有事打136****5903',
    });
    const many = await t.app.inject({ url: `/open311/v2/requests.xml?service_request_id=${number}` });
    expect(many.body).toContain(`<description>${maskedText}</description>`);
    for (const res of [one, many]) {
      expect(res.body).not.toContain(phone);
      expect(res.body).not.toContain(idNumber);
      expect(res.body).not.toContain('0477');
    }

    const staff = (
      await t.app.inject({ url: `/api/work-orders/${order.id}`, headers: secretary.headers })
    ).json();
    expect(staff.description).toBe(secretText);
    expect(staff.timeline.map((e: { text: string | null }) => e.text)).toContain(replyText);
  });
});

describe("a resident's view of work orders", () => {
  it('shows others’ text masked and the resident’s own text as written', async () => {
    const reporter = await buildUser(t, 'resident', tree.community);
    const neighbour = await buildUser(t, 'resident', tree.community);
    const category = await categoryId('city.facilities');
    const report = async (headers: object, description: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/work-orders/reports',
        headers: headers as any,
        payload: {
          categoryId: category,
          description,
          title: description.slice(0, 20),
          lng: 110.005,
          lat: 40.005,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const master = await report(reporter.headers, secretText);
    const own = `路灯坏了，我电话 ${phone}`;
    const dup = await report(neighbour.headers, own);
    await applyStep(t, worker.headers, dup, { type: 'merged', mergedInto: master });
    await answer(master);

    const theirs = (
      await t.app.inject({ url: `/api/work-orders/${master}`, headers: neighbour.headers })
    ).json();
    expect(theirs.description).toBe(maskedText);
    expect(theirs.title).toBe('我的手机136****5903，身份证1');
    expect(theirs.timeline.map((e: { text: string | null }) => e.text)).toContain(publicReply);
    expect(JSON.stringify(theirs)).not.toContain(phone);

    // The reporter sees what they wrote, and the handler's reply masked like anyone's.
    const mine = (
      await t.app.inject({ url: `/api/work-orders/${master}`, headers: reporter.headers })
    ).json();
    expect(mine.description).toBe(secretText);
    expect(mine.timeline.map((e: { text: string | null }) => e.text)).toContain(publicReply);
    const ownDup = (
      await t.app.inject({ url: `/api/work-orders/${dup}`, headers: neighbour.headers })
    ).json();
    expect(ownDup.description).toBe(own);

    // Nearby suggestions go to any signed-in user: titles are masked there too.
    const similar = await t.app.inject({
      url: `/api/work-orders/similar?categoryId=${category}&lng=110.005&lat=40.005`,
      headers: neighbour.headers,
    });
    expect(similar.statusCode, similar.body).toBe(200);
    expect(similar.json().length).toBeGreaterThan(0);
    expect(similar.body).not.toContain(phone);
  });
});

describe('exports', () => {
  it('mask numbers in free text without resident.readPII and keep them with it', async () => {
    const written = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: worker.headers,
      payload: {
        channel: 'hotline',
        categoryId: await categoryId('city.environment'),
        description: secretText,
        address: `民族社区3号楼，座机0477-8512345`,
        placeId: tree.grid.id,
      },
    });
    expect(written.statusCode, written.body).toBe(201);
    const masked = await runJob(worker.headers, '/api/work-orders/exports', {});
    expect(masked).toContain(maskedText);
    expect(masked).toContain('民族社区3号楼，座机0477-****45');
    expect(masked).not.toContain(phone);
    const full = await runJob(secretary.headers, '/api/work-orders/exports', {});
    expect(full).toContain(secretText);

    await buildResident(t.ctx, tree.grid, {
      name: '备注居民',
      healthNotes: `慢性病，女儿电话${phone}`,
      employer: `个体，身份证${idNumber}办的营业执照`,
    });
    const people = await runJob(worker.headers, '/api/residents/exports', { orgUnitId: tree.grid.id });
    expect(people).toContain('慢性病，女儿电话136****5903');
    expect(people).toContain('个体，身份证150602********0018办的营业执照');
    expect(people).not.toContain(phone);
    const peopleFull = await runJob(secretary.headers, '/api/residents/exports', {
      orgUnitId: tree.grid.id,
      unmasked: true,
      reason: '核对慢性病随访名单',
    });
    expect(peopleFull).toContain(`慢性病，女儿电话${phone}`);
  });
});
