import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectangle } from '../../src/modules/org/geometry.js';
import { sweepDeadlines } from '../../src/modules/work-orders/deadlines.js';
import { workOrder, workOrderCategory, workOrderEvent } from '../../src/modules/work-orders/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let gridId: string;
type User = Awaited<ReturnType<typeof buildUser>>;
let resident: User;
let worker: User;
let gridWorker: User;
let deptStaff: User;
let streetStaff: User;
let stranger: User;
const categoryId = async (code: string) =>
  (await t.ctx.db.select().from(workOrderCategory).where(eq(workOrderCategory.code, code)))[0].id;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  const admin = await t.asAdmin();
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/grids',
    headers: admin,
    payload: {
      parentId: tree.community.id,
      name: '幸福网格',
      type: 'basic',
      boundary: rectangle(109.9, 39.8, 109.92, 39.82),
    },
  });
  expect(created.statusCode).toBe(201);
  gridId = created.json().grid.id;
  const [grid] = rowsOf<any>(await t.ctx.db.execute(sql`select * from org_unit where id = ${gridId}`));
  resident = await buildUser(t, 'resident', grid);
  worker = await buildUser(t, 'communityWorker', tree.community, { displayName: '社区王芳' });
  gridWorker = await buildUser(t, 'gridWorker', grid, { displayName: '网格员李强' });
  deptStaff = await buildUser(t, 'departmentStaff', tree.department, { displayName: '住建局张科' });
  streetStaff = await buildUser(t, 'streetStaff', tree.street);
  stranger = await buildUser(t, 'communityWorker', tree.neighbourCommunity);
});
afterAll(() => t.close());

const photo = () =>
  sharp({ create: { width: 80, height: 60, channels: 3, background: '#3a7' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Make: 'TestPhone' } } })
    .toBuffer();

async function step(who: User, id: string, payload: object) {
  return t.app.inject({
    method: 'POST',
    url: `/api/work-orders/${id}/events`,
    headers: who.headers,
    payload,
  });
}
const detail = async (who: User, id: string) =>
  (await t.app.inject({ url: `/api/work-orders/${id}`, headers: who.headers })).json();

describe('work orders: the closed loop', () => {
  let id: string;

  it('files a 随手拍 with its photo in one request, placed by its point, numbered per district and day', async () => {
    const body = multipartBody(
      {
        categoryId: await categoryId('city.facilities'),
        description: '小区门口井盖破损，夜里有人绊倒',
        lng: '109.905',
        lat: '39.805',
        address: '幸福路 12 号',
      },
      [{ field: 'photo', name: 'well.jpg', type: 'image/jpeg', bytes: await photo() }],
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/reports',
      headers: { ...resident.headers, ...body.headers, 'idempotency-key': 'report-0001-abc' },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().id;
    const wo = await detail(resident, id);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    expect(wo.number).toBe(`GD${today}0001`);
    expect(wo).toMatchObject({
      status: 'submitted',
      placeId: gridId,
      channel: 'snapshot',
      categoryName: '公用设施',
    });
    expect(wo.timeline[0].photos).toHaveLength(1);
    expect(wo.allowed).toEqual([]);
    // 5 working days from now on the work calendar.
    expect(new Date(wo.dueAt).getTime()).toBeGreaterThan(Date.now() + 5 * 86400_000);

    // The community is told.
    const inbox = (await t.app.inject({ url: '/api/notifications', headers: worker.headers })).json();
    expect(inbox.items[0].title).toContain('新诉求待受理');
  });

  it('returns the first result for a retried intake, even when the retries race', async () => {
    const payload = {
      channel: 'hotline',
      categoryId: await categoryId('livelihood.heating'),
      description: '暖气不热，室温只有 14 度',
      placeId: tree.community.id,
      reporterName: '刘女士',
      reporterPhone: '13800001111',
    };
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: { ...worker.headers, 'idempotency-key': 'hotline-race-0001' },
        payload,
      });
    const results = await Promise.all([send(), send(), send(), send(), send()]);
    const ids = new Set(results.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const [{ n }] = rowsOf<{ n: number }>(
      await t.ctx.db.execute(
        sql`select count(*)::int as n from work_order where description = ${payload.description}`,
      ),
    );
    expect(n).toBe(1);
    // The caller's phone is stored encrypted and shown masked.
    const wo = await detail(worker, [...ids][0]);
    expect(wo.reporterPhone).toBe('138****1111');
    const [raw] = await t.ctx.db.select().from(workOrder).where(eq(workOrder.id, wo.id));
    expect(raw.reporterPhoneEnc).not.toContain('13800001111');
  });

  it('applies a retried step once: the same Idempotency-Key returns the order as it is', async () => {
    const { id } = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: worker.headers,
        payload: {
          channel: 'walkIn',
          categoryId: await categoryId('livelihood.heating'),
          description: '楼道暖气片漏水',
          placeId: tree.community.id,
        },
      })
    ).json();
    const comment = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/work-orders/${id}/events`,
        headers: { ...worker.headers, 'idempotency-key': 'step-race-0001' },
        payload: { type: 'commented', text: '已电话联系物业' },
      });
    const results = await Promise.all([comment(), comment(), comment(), comment()]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(results.filter((r) => r.json().replayed === false)).toHaveLength(1);
    const comments = (await detail(worker, id)).timeline.filter((e: any) => e.type === 'commented');
    expect(comments).toHaveLength(1);
    // The key of an intake, or of a step on another order, is not a replay of this one.
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${id}/events`,
      headers: { ...worker.headers, 'idempotency-key': 'hotline-race-0001' },
      payload: { type: 'commented', text: '再次联系' },
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().message).toContain('Idempotency-Key');
  });

  it('refuses bad input with the field and a Chinese message, writing nothing', async () => {
    const before = rowsOf<{ n: number }>(
      await t.ctx.db.execute(sql`select count(*)::int as n from work_order`),
    )[0].n;
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: worker.headers,
      payload: {
        channel: 'hotline',
        categoryId: await categoryId('livelihood.water'),
        description: '停水',
        reporterPhone: '12345',
        placeId: tree.community.id,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: any) => f.path)
        .sort(),
    ).toEqual(['description', 'reporterPhone']);
    const group = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/reports',
      headers: resident.headers,
      payload: { categoryId: await categoryId('city'), description: '一个大类不是具体类别' },
    });
    expect(group.json().fields[0]).toMatchObject({ path: 'categoryId', message: '请选择具体的诉求类别' });
    const internal = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/reports',
      headers: resident.headers,
      payload: { categoryId: await categoryId('internal.safety'), description: '居民不能用内部类别' },
    });
    expect(internal.json().fields[0].path).toBe('categoryId');
    const after = rowsOf<{ n: number }>(
      await t.ctx.db.execute(sql`select count(*)::int as n from work_order`),
    )[0].n;
    expect(after).toBe(before);
  });

  it('runs triage → dispatch → whistle → sign → resolve → verify (fail, then pass) → rate → follow-up', async () => {
    // Only the community may triage; the state machine says why not.
    const early = await step(gridWorker, id, { type: 'resolved', outcome: 'resolved' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('待受理');
    expect((await step(resident, id, { type: 'accepted' })).statusCode).toBe(403);
    expect((await step(stranger, id, { type: 'accepted' })).statusCode).toBe(404);

    const queue = (
      await t.app.inject({ url: '/api/work-orders?queue=triage', headers: worker.headers })
    ).json();
    expect(queue.items.map((w: any) => w.id)).toContain(id);

    let res = await step(worker, id, { type: 'accepted' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().allowed).toEqual(expect.arrayContaining(['dispatched', 'whistled', 'rejected']));
    res = await step(worker, id, {
      type: 'dispatched',
      handlerUnitId: gridId,
      text: '此户业主难沟通，注意方式',
    });
    expect(res.json()).toMatchObject({
      status: 'dispatched',
      handlerUnitId: gridId,
      // Every community has its own grids: a grid is named with its community.
      handlerName: `${tree.community.name} 幸福网格`,
    });
    // The community that sent it to the grid is not its handler: no 签收, 退回 or 办结 for her.
    expect(
      res.json().allowed.filter((a: string) => ['accepted', 'returned', 'resolved'].includes(a)),
    ).toEqual([]);
    expect((await step(worker, id, { type: 'returned', reason: '不是我的' })).statusCode).toBe(403);
    expect((await detail(gridWorker, id)).allowed).toEqual(expect.arrayContaining(['accepted', 'returned']));

    const departments = (
      await t.app.inject({ url: `/api/work-orders/${id}/departments`, headers: worker.headers })
    ).json();
    expect(departments).toEqual([{ id: tree.department.id, name: '测试住建局' }]);
    // 吹哨: the department is told, sees the order, reports and replies.
    const water = await buildOrgUnit(t.ctx.db, {
      parent: tree.district,
      kind: 'department',
      code: `${tree.district.code}D02`,
      name: '测试水务局',
    });
    const waterStaff = await buildUser(t, 'departmentStaff', water);
    res = await step(worker, id, {
      type: 'whistled',
      departmentIds: [tree.department.id, water.id],
      text: '内部：井盖产权不清，请两部门先对接',
    });
    expect(res.json().whistles).toHaveLength(2);
    const board = async (who: User) =>
      (await t.app.inject({ url: '/api/work-orders?queue=whistled', headers: who.headers })).json().items;
    expect((await board(deptStaff)).map((w: any) => w.id)).toEqual([id]);
    expect((await detail(deptStaff, id)).allowed).toContain('acknowledged');
    res = await step(deptStaff, id, { type: 'acknowledged' });
    expect(res.statusCode).toBe(200);
    // Reported in: 报到 is no longer offered to this department (pressing it again is refused), the
    // other whistled department still has it.
    expect(res.json().allowed).not.toContain('acknowledged');
    expect(res.json().allowed).toContain('replied');
    expect((await step(deptStaff, id, { type: 'acknowledged' })).statusCode).toBe(409);
    expect((await detail(waterStaff, id)).allowed).toContain('acknowledged');
    res = await step(deptStaff, id, { type: 'replied', text: '已安排养护队明日更换井盖' });
    expect(
      res.json().whistles.find((w: any) => w.departmentId === tree.department.id).repliedAt,
    ).not.toBeNull();
    // The board: a department sees what it still owes; the community sees who has not answered.
    expect(await board(deptStaff)).toEqual([]);
    expect((await board(waterStaff)).map((w: any) => w.id)).toEqual([id]);
    const [row] = (await board(worker)).filter((w: any) => w.id === id);
    expect(row.whistles.map((w: any) => [w.departmentName, w.repliedAt === null])).toEqual([
      ['测试住建局', false],
      ['测试水务局', true],
    ]);
    await step(waterStaff, id, { type: 'acknowledged' });
    await step(waterStaff, id, { type: 'replied', text: '供水管网无异常' });
    expect(await board(worker)).toEqual([]);

    // The grid worker signs (签收) and resolves with a photo.
    const mine = (
      await t.app.inject({ url: '/api/work-orders?queue=mine', headers: gridWorker.headers })
    ).json();
    expect(mine.items.map((w: any) => w.id)).toEqual([id]);
    const gridLabel = `${tree.community.name} 幸福网格`;
    expect(mine.items[0]).toMatchObject({ placeName: gridLabel, handlerName: gridLabel });
    expect((await step(gridWorker, id, { type: 'accepted' })).json().status).toBe('inProgress');
    const upload = multipartBody({}, [{ name: 'after.jpg', type: 'image/jpeg', bytes: await photo() }]);
    const file = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...gridWorker.headers, ...upload.headers },
      payload: upload.payload,
    });
    res = await step(gridWorker, id, {
      type: 'resolved',
      outcome: 'resolved',
      text: '井盖已更换',
      photoIds: [file.json().id],
    });
    expect(res.json().status).toBe('resolved');

    // Verification fails once (返工), then passes.
    expect((await step(worker, id, { type: 'verificationFailed' })).statusCode).toBe(400);
    res = await step(worker, id, { type: 'verificationFailed', reason: '井盖未固定' });
    expect(res.json()).toMatchObject({ status: 'inProgress', reworkCount: 1 });
    await step(gridWorker, id, { type: 'resolved', outcome: 'resolved', text: '已加固' });
    res = await step(worker, id, { type: 'verified' });
    expect(res.json()).toMatchObject({ status: 'closed', outcome: 'resolved' });
    // 回访 is due the next working day after closing.
    expect(new Date(res.json().followUpDueAt).getTime()).toBeGreaterThan(Date.now());

    // The reporter sees the reply and its photo (without EXIF), not internal comments; then rates.
    await step(worker, id, { type: 'commented', text: '内部备注：费用由物业承担' });
    const seen = await detail(resident, id);
    expect(seen.timeline.map((e: any) => e.type)).not.toContain('commented');
    const reply = seen.timeline.find((e: any) => e.text === '已办理完毕：井盖已更换');
    expect(reply.actorName).toBeNull();
    // Staff notes (派单, 吹哨, the departments' replies, 核实) stay among staff: the resident reads plain words.
    const said = JSON.stringify(seen.timeline);
    for (const note of ['此户业主难沟通', '井盖产权不清', '养护队', '供水管网', '井盖未固定'])
      expect(said).not.toContain(note);
    expect(seen.timeline.find((e: any) => e.type === 'dispatched').text).toBe(
      `已交由“${tree.community.name} 幸福网格”办理`,
    );
    // The grid's 签收 is not a second 受理.
    expect(
      seen.timeline.filter((e: any) => e.type === 'accepted').map((e: any) => [e.label, e.name]),
    ).toEqual([
      ['accepted', '已受理'],
      ['signed', '开始办理'],
    ]);
    // Staff still read their notes, and what the resident was told.
    const staffSees = (await detail(worker, id)).timeline.find((e: any) => e.type === 'dispatched');
    expect(staffSees).toMatchObject({
      text: '此户业主难沟通，注意方式',
      publicText: `已交由“${tree.community.name} 幸福网格”办理`,
    });
    const img = await t.app.inject({ url: reply.photos[0].url, headers: resident.headers });
    expect(img.statusCode).toBe(200);
    expect((await sharp(img.rawPayload).metadata()).exif).toBeUndefined();
    expect(
      (await t.app.inject({ url: `/api/files/${reply.photos[0].id}`, headers: resident.headers })).statusCode,
    ).toBe(404);
    expect(seen.allowed).toEqual(['rated']);
    res = await step(resident, id, { type: 'rated', rating: 'basicallySatisfied', text: '修得挺快' });
    expect(res.json().rating).toBe('basicallySatisfied');
    // The resident sees their own rating in the timeline.
    expect(res.json().timeline.find((e: any) => e.type === 'rated').text).toBe('评价：基本满意：修得挺快');
    expect((await step(resident, id, { type: 'rated', rating: 'satisfied' })).statusCode).toBe(409);

    const follow = (
      await t.app.inject({ url: '/api/work-orders?queue=followUp', headers: worker.headers })
    ).json();
    expect(follow.items.map((w: any) => w.id)).toContain(id);
    res = await step(worker, id, { type: 'followedUp', satisfied: true, text: '电话回访，居民认可' });
    expect(res.statusCode).toBe(200);
    const after = (
      await t.app.inject({ url: '/api/work-orders?queue=followUp', headers: worker.headers })
    ).json();
    expect(after.items.map((w: any) => w.id)).not.toContain(id);

    const types = (await detail(worker, id)).timeline.map((e: any) => e.type);
    expect(types).toEqual([
      'created',
      'accepted',
      'dispatched',
      'whistled',
      'acknowledged',
      'replied',
      'acknowledged',
      'replied',
      'accepted',
      'resolved',
      'verificationFailed',
      'resolved',
      'verified',
      'commented',
      'rated',
      'followedUp',
    ]);
    // The resident's own list shows it closed and rated.
    const own = (await t.app.inject({ url: '/api/work-orders/mine', headers: resident.headers })).json();
    expect(own.items[0]).toMatchObject({ id, status: 'closed', rating: 'basicallySatisfied' });
  });

  it('keeps the event log append-only', async () => {
    await expect(
      t.ctx.db.update(workOrderEvent).set({ type: 'closed' }).where(eq(workOrderEvent.workOrderId, id)),
    ).rejects.toThrow();
    await expect(t.ctx.db.delete(workOrderEvent).where(eq(workOrderEvent.workOrderId, id))).rejects.toThrow();
  });

  it('hides work orders outside the caller’s subtree and lets a street supervise', async () => {
    const list = (await t.app.inject({ url: '/api/work-orders', headers: stranger.headers })).json();
    expect(list.items.map((w: any) => w.id)).not.toContain(id);
    const { id: open } = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: worker.headers,
        payload: {
          channel: 'walkIn',
          categoryId: await categoryId('livelihood.noise'),
          description: '广场舞音响太吵',
          placeId: gridId,
        },
      })
    ).json();
    await step(worker, open, { type: 'accepted' });
    await step(worker, open, { type: 'dispatched', handlerUnitId: gridId });
    // A community worker cannot supervise; the street can, and the handler is told.
    expect((await step(worker, open, { type: 'supervised', text: '请加快' })).statusCode).toBe(403);
    expect((await step(streetStaff, open, { type: 'supervised', text: '请今日内答复' })).statusCode).toBe(
      200,
    );
    const inbox = (await t.app.inject({ url: '/api/notifications', headers: gridWorker.headers })).json();
    expect(inbox.items.map((n: any) => n.title)).toContain('督办：噪音扰民：广场舞音响太吵');
    // Dispatching outside one's reach is refused with the field.
    const far = await step(worker, open, {
      type: 'transferred',
      handlerUnitId: tree.farCommunity.id,
      reason: '不属本网格',
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().fields[0].path).toBe('handlerUnitId');
  });

  it('flags a work order returned three times as a problem work order', async () => {
    const { id: bounced } = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: worker.headers,
        payload: {
          channel: 'patrol',
          categoryId: await categoryId('livelihood.dogs'),
          description: '小区流浪犬伤人隐患',
          placeId: gridId,
        },
      })
    ).json();
    await step(worker, bounced, { type: 'accepted' });
    for (let i = 0; i < 3; i++) {
      await step(worker, bounced, { type: 'dispatched', handlerUnitId: gridId });
      const r = await step(gridWorker, bounced, { type: 'returned', reason: `不属网格职责 ${i}` });
      expect(r.json().returnCount).toBe(i + 1);
    }
    const problems = (
      await t.app.inject({ url: '/api/work-orders?queue=problem', headers: worker.headers })
    ).json();
    expect(problems.items.map((w: any) => w.id)).toEqual([bounced]);
  });

  it('reminds before the due time, flags and escalates overdue work and unanswered whistles, once', async () => {
    const { id: urgent } = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: worker.headers,
        payload: {
          channel: 'hotline',
          categoryId: await categoryId('livelihood.water'),
          description: '整栋楼停水，老人做不了饭',
          placeId: gridId,
          urgency: 'critical',
        },
      })
    ).json();
    await step(worker, urgent, { type: 'accepted' });
    await step(worker, urgent, { type: 'dispatched', handlerUnitId: gridId });
    await step(worker, urgent, { type: 'whistled', departmentIds: [tree.department.id] });
    const wo = await detail(worker, urgent);
    const due = new Date(wo.dueAt).getTime();
    expect(due - Date.parse(wo.timeline[0].at)).toBe(2 * 3600_000);

    const soon = await sweepDeadlines(t.ctx, new Date(due - 3600_000));
    expect(soon).toMatchObject({ dueSoon: 1, overdue: 0 });
    const late = await sweepDeadlines(t.ctx, new Date(due + 60_000));
    expect(late.overdue).toBeGreaterThanOrEqual(1);
    // The whistle is due a working day later; past it, the district hears.
    const whistleLate = await sweepDeadlines(t.ctx, new Date(due + 5 * 86400_000));
    expect(whistleLate.whistles).toBe(1);
    expect(await sweepDeadlines(t.ctx, new Date(due + 5 * 86400_000))).toEqual({
      dueSoon: 0,
      overdue: 0,
      whistles: 0,
    });

    const titles = async (u: User) =>
      (await t.app.inject({ url: '/api/notifications?pageSize=100', headers: u.headers }))
        .json()
        .items.map((n: any) => n.title);
    expect(await titles(gridWorker)).toEqual(
      expect.arrayContaining([
        '即将到期：供水：整栋楼停水，老人做不了饭',
        '已超期：供水：整栋楼停水，老人做不了饭',
      ]),
    );
    expect(await titles(streetStaff)).toContain('提级督办（超期未办结）：供水：整栋楼停水，老人做不了饭');
    const overdue = (
      await t.app.inject({ url: '/api/work-orders?queue=overdue', headers: worker.headers })
    ).json();
    expect(overdue.items.map((w: any) => w.id)).not.toContain(urgent); // not yet: the real clock is before due
  });

  it('moderates what the public sees: text rewritten, a photo blurred, the original kept for staff and audited', async () => {
    const wo = await detail(worker, id);
    const original = wo.timeline[0].photos[0];
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${id}/moderation`,
      headers: worker.headers,
      payload: { publicDescription: '小区门口井盖破损', photos: [{ fileId: original.id, action: 'blur' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().publicDescription).toBe('小区门口井盖破损');
    // Staff still see the original; the resident sees the blurred copy only.
    expect(res.json().timeline[0].photos[0].id).toBe(original.id);
    const publicView = await detail(resident, id);
    const shown = publicView.timeline[0].photos[0];
    expect(shown.id).not.toBe(original.id);
    expect((await t.app.inject({ url: shown.url, headers: resident.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: original.url, headers: resident.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: original.url, headers: worker.headers })).statusCode).toBe(200);
    const trail = rowsOf<{ summary: string }>(
      await t.ctx.db.execute(
        sql`select summary from audit_event where action = 'workOrder.moderated' and target_id = ${id}`,
      ),
    );
    expect(trail[0].summary).toContain('模糊照片');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/work-orders/${id}/moderation`,
          headers: gridWorker.headers,
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
  });

  it('configures categories: SLA, reply templates, retiring; residents never see internal ones', async () => {
    const admin = await t.asAdmin();
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/work-order-categories',
      headers: admin,
      payload: {
        code: 'livelihood.parking',
        parentCode: 'livelihood',
        name: '停车难',
        handlerType: 'community',
      },
    });
    expect(bad.json().fields[0]).toMatchObject({
      path: 'slaWorkingDays',
      message: '办理时限请填写小时数或工作日数（二选一）',
    });
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/work-order-categories',
      headers: admin,
      payload: {
        code: 'livelihood.parking',
        parentCode: 'livelihood',
        name: '停车难',
        handlerType: 'community',
        slaWorkingDays: 3,
        replyTemplates: { resolved: ['已协调物业划定临时车位。'] },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().replyTemplates.resolved[0]).toBe('已协调物业划定临时车位。');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/work-order-categories',
          headers: worker.headers,
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    const retired = await t.app.inject({
      method: 'PATCH',
      url: `/api/work-order-categories/${made.json().id}`,
      headers: admin,
      payload: { active: false },
    });
    expect(retired.json().active).toBe(false);
    const seen = (
      await t.app.inject({ url: '/api/work-order-categories', headers: resident.headers })
    ).json();
    const codes = seen.map((c: any) => c.code);
    expect(codes).not.toContain('livelihood.parking');
    expect(codes).not.toContain('internal.safety');
    expect(codes).toContain('livelihood.heating');
    // Retired categories stay listable for staff who manage them, and only with ?all.
    const listed = async (query: string) =>
      (await t.app.inject({ url: `/api/work-order-categories${query}`, headers: admin })).json();
    expect((await listed('')).map((c: any) => c.code)).not.toContain('livelihood.parking');
    expect((await listed('?all=true')).find((c: any) => c.code === 'livelihood.parking')).toMatchObject({
      active: false,
    });
  });

  it('suggests open work orders of the same category nearby before filing', async () => {
    const res = await t.app.inject({
      url: `/api/work-orders/similar?categoryId=${await categoryId('city.facilities')}&lng=109.9051&lat=39.8051`,
      headers: resident.headers,
    });
    // The one above is closed; a new nearby report is suggested.
    expect(res.json()).toEqual([]);
    await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/reports',
      headers: resident.headers,
      payload: {
        categoryId: await categoryId('city.facilities'),
        description: '路灯不亮了好几天',
        lng: 109.906,
        lat: 39.806,
      },
    });
    const again = await t.app.inject({
      url: `/api/work-orders/similar?categoryId=${await categoryId('city.facilities')}&lng=109.9051&lat=39.8051`,
      headers: resident.headers,
    });
    expect(again.json()).toHaveLength(1);
    // Merged as a duplicate: its reporter is told, and hears when the master closes.
    const neighbour = await buildUser(t, 'resident', tree.community);
    const { id: dup } = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders/reports',
        headers: neighbour.headers,
        payload: {
          categoryId: await categoryId('city.facilities'),
          description: '路灯坏了',
          placeId: tree.community.id,
        },
      })
    ).json();
    const master = again.json()[0].id;
    expect((await step(worker, dup, { type: 'merged', mergedInto: master })).json()).toMatchObject({
      status: 'closed',
      outcome: 'duplicate',
    });
    // The duplicate's reporter follows the master, and rates once it has closed.
    expect((await detail(neighbour, master)).id).toBe(master);
    expect((await detail(neighbour, dup)).allowed).not.toContain('rated');
    const early = await step(neighbour, dup, { type: 'rated', rating: 'satisfied' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('主工单办结后才能评价');
    await step(worker, master, { type: 'accepted' });
    await step(worker, master, { type: 'closed', outcome: 'resolved', text: '路灯已修复' });
    expect((await detail(neighbour, dup)).allowed).toContain('rated');
    expect((await step(neighbour, dup, { type: 'rated', rating: 'basicallySatisfied' })).json().rating).toBe(
      'basicallySatisfied',
    );
    // Another resident may not open the master.
    const stranger = await buildUser(t, 'resident', tree.community);
    expect(
      (await t.app.inject({ url: `/api/work-orders/${master}`, headers: stranger.headers })).statusCode,
    ).toBe(404);
    const heard = (await t.app.inject({ url: '/api/notifications', headers: neighbour.headers }))
      .json()
      .items.map((n: any) => n.title);
    expect(heard).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^您的诉求与他人反映的同一问题合并办理/),
        expect.stringMatching(/^您的诉求已办结/),
      ]),
    );
    expect(again.json()[0].distance).toBeGreaterThan(100);
    expect(again.json()[0].distance).toBeLessThan(200);
  });
});
