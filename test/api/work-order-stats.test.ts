import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { workOrderCategory } from '../../src/modules/work-orders/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Statistics against figures worked out by hand. A month of work orders is played through the real
 * API with the clock set to chosen times (only `Date` is faked), so every event has a known time.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
type User = Awaited<ReturnType<typeof buildUser>>;
let residentA: User;
let residentB: User;
let workerA: User;
let workerB: User;
let dept: User;
let streetStaff: User;
const ids: Record<string, string> = {};

const march = { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' };
const at = (local: string) => vi.setSystemTime(new Date(`2026-${local}:00+08:00`));

async function post(who: User, url: string, payload: object) {
  const res = await t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}
const step = (who: User, id: string, payload: object) => post(who, `/api/work-orders/${id}/events`, payload);
const get = (who: User, url: string) => t.app.inject({ url, headers: who.headers });
const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  residentA = await buildUser(t, 'resident', tree.community);
  residentB = await buildUser(t, 'resident', tree.neighbourCommunity);
  workerA = await buildUser(t, 'communityWorker', tree.community);
  workerB = await buildUser(t, 'communityWorker', tree.neighbourCommunity);
  dept = await buildUser(t, 'departmentStaff', tree.department);
  streetStaff = await buildUser(t, 'streetStaff', tree.street);
  const cat = async (code: string) =>
    (await t.ctx.db.select().from(workOrderCategory).where(eq(workOrderCategory.code, code)))[0].id;
  const heating = await cat('livelihood.heating'); // SLA: 1 working day
  const facilities = await cat('city.facilities'); // SLA: 5 working days
  const report = (who: User, place: { id: string }, text: string) =>
    post(who, '/api/work-orders/reports', {
      categoryId: heating,
      description: text,
      placeId: place.id,
    }).then((r) => r.id as string);

  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    // Outside the period: filed in February.
    at('02-25T09:00');
    ids.feb = await report(residentA, tree.community, '二月份的暖气问题');
    at('02-25T10:00');
    await step(workerA, ids.feb, { type: 'accepted' });
    await step(workerA, ids.feb, { type: 'closed', outcome: 'resolved' });

    // #1: answered in 1 h, signed for on time, closed on time, satisfied. Handling 27 h.
    at('03-02T09:00');
    ids.one = await report(residentA, tree.community, '一号楼暖气不热');
    at('03-02T10:00');
    await step(workerA, ids.one, { type: 'accepted' });
    at('03-02T11:00');
    await step(workerA, ids.one, {
      type: 'dispatched',
      handlerUnitId: tree.department.id,
      dueAt: '2026-03-05T18:00:00+08:00',
    });
    at('03-02T15:00');
    await step(dept, ids.one, { type: 'accepted' });
    at('03-03T10:00');
    await step(dept, ids.one, { type: 'resolved', outcome: 'resolved', text: '已排气' });
    at('03-03T12:00');
    await step(workerA, ids.one, { type: 'verified' });
    at('03-03T13:00');
    await step(residentA, ids.one, { type: 'rated', rating: 'satisfied' });

    // #2: answered after 27 h, signed for late, failed verification once, closed late, unsatisfied. 146 h.
    at('03-03T09:00');
    ids.two = await report(residentA, tree.community, '二号楼暖气漏水');
    at('03-04T12:00');
    await step(workerA, ids.two, { type: 'accepted' });
    at('03-04T13:00');
    await step(workerA, ids.two, {
      type: 'dispatched',
      handlerUnitId: tree.department.id,
      dueAt: '2026-03-06T18:00:00+08:00',
    });
    at('03-07T09:00');
    await step(dept, ids.two, { type: 'accepted' });
    at('03-08T10:00');
    await step(dept, ids.two, { type: 'resolved', outcome: 'resolved' });
    at('03-08T11:00');
    await step(workerA, ids.two, { type: 'verificationFailed', reason: '现场仍在漏水' });
    at('03-09T10:00');
    await step(dept, ids.two, { type: 'resolved', outcome: 'resolved' });
    at('03-09T11:00');
    await step(workerA, ids.two, { type: 'verified' });
    await step(residentA, ids.two, { type: 'rated', rating: 'unsatisfied' });

    // #3: a 12345 call, closed by the community as explained, reopened, closed as resolved. 25 h.
    at('03-05T09:00');
    ids.three = (
      await post(workerA, '/api/work-orders', {
        channel: 'hotline',
        categoryId: facilities,
        description: '路灯不亮已经一周',
        placeId: tree.community.id,
      })
    ).id;
    at('03-05T09:30');
    await step(workerA, ids.three, { type: 'accepted' });
    at('03-05T15:00');
    await step(workerA, ids.three, { type: 'closed', outcome: 'explained' });
    at('03-06T09:00');
    await step(workerA, ids.three, { type: 'reopened', reason: '回访时居民说仍不亮' });
    at('03-06T10:00');
    await step(workerA, ids.three, { type: 'closed', outcome: 'resolved' });
    await step(workerA, ids.three, { type: 'rated', rating: 'basicallySatisfied' });

    // #4: not ours, refused within 1 h (a response, closed on time, not solved). 1 h.
    at('03-10T09:00');
    ids.four = await report(residentA, tree.community, '小区外马路上的暖气管道');
    at('03-10T10:00');
    await step(workerA, ids.four, { type: 'rejected', reason: '属于供热公司主管道，已告知拨打热线' });

    // #5: a duplicate of #1, merged: in the total, in no rate.
    at('03-10T09:05');
    ids.five = await report(residentA, tree.community, '一号楼暖气还是不热');
    at('03-10T11:00');
    await step(workerA, ids.five, { type: 'merged', mergedInto: ids.one });

    // #6: found on patrol, with a point; dispatched and whistled, never signed for: overdue.
    at('03-12T09:00');
    ids.six = (
      await post(workerA, '/api/work-orders', {
        channel: 'patrol',
        categoryId: heating,
        description: '换热站噪音扰民',
        placeId: tree.community.id,
        lng: 109.95,
        lat: 39.81,
      })
    ).id;
    at('03-12T10:00');
    await step(workerA, ids.six, { type: 'accepted' });
    at('03-12T11:00');
    await step(workerA, ids.six, {
      type: 'dispatched',
      handlerUnitId: tree.department.id,
      dueAt: '2026-03-13T18:00:00+08:00',
    });
    at('03-12T12:00');
    await step(workerA, ids.six, { type: 'whistled', departmentIds: [tree.department.id] });

    // #7: never answered (due the end of the next working day, long past).
    at('03-20T09:00');
    ids.seven = await report(residentA, tree.community, '楼道暖气片拆除申请');

    // #8: the neighbouring community: answered, closed on time as explained.
    at('03-15T09:00');
    ids.eight = await report(residentB, tree.neighbourCommunity, '邻居家暖气改造');
    at('03-15T10:00');
    await step(workerB, ids.eight, { type: 'accepted' });
    at('03-15T11:00');
    await step(workerB, ids.eight, { type: 'closed', outcome: 'explained' });
  } finally {
    vi.useRealTimers();
  }
}, 60_000);
afterAll(() => t.close());

const statsOf = async (who: User, q: Record<string, string> = {}) => {
  const res = await get(who, `/api/work-orders/stats?${qs({ ...march, ...q })}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('work-order statistics', () => {
  it('computes every rate of a community for a month as worked out by hand', async () => {
    const s = await statsOf(workerA);
    expect(s.orgUnit.id).toBe(tree.community.id);
    expect(s.bucket).toBe('day');
    expect(s.summary).toMatchObject({
      total: 7, // #1–#7; February's is outside, #8 is another community
      duplicates: 1, // #5
      open: 2, // #6, #7
      overdue: 2,
      closed: 4, // #1, #2, #3, #4
      solved: 3, // #1, #2, #3
      closedOnTime: 3, // all but #2
      reworked: 2, // #2 failed verification, #3 reopened
      rated: 3,
      satisfied: 2,
      unsatisfied: 1,
      problem: 0,
    });
    const r = s.summary;
    // Response within 24 h: #1, #3, #4, #6 of 6 (the duplicate excluded); #2 took 27 h, #7 none.
    expect(r.responseRate).toBeCloseTo(4 / 6, 4);
    expect(r.solvedRate).toBeCloseTo(3 / 4, 4);
    expect(r.satisfactionRate).toBeCloseTo(2 / 3, 4);
    // Dispatched: #1 signed on time, #2 late, #6 never and past due.
    expect(r.onTimeAcceptRate).toBeCloseTo(1 / 3, 4);
    expect(r.resolvedRate).toBeCloseTo(4 / 6, 4);
    expect(r.onTimeRate).toBeCloseTo(3 / 4, 4);
    expect(r.reworkRate).toBeCloseTo(2 / 4, 4);
    expect(r.avgHandlingHours).toBeCloseTo((27 + 146 + 25 + 1) / 4, 2);

    expect(s.byChannel).toEqual([
      { channel: 'snapshot', total: 5, closed: 3 },
      { channel: 'hotline', total: 1, closed: 1 },
      { channel: 'patrol', total: 1, closed: 0 },
    ]);
    expect(s.byCategory.map((c: any) => [c.code, c.groupName, c.total, c.closed])).toEqual([
      ['livelihood.heating', '民生诉求', 6, 3],
      ['city.facilities', '城市管理（GB/T 30428）', 1, 1],
    ]);
    expect(s.trend.map((d: any) => [d.period, d.total])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-03', 1],
      ['2026-03-05', 1],
      ['2026-03-10', 2],
      ['2026-03-12', 1],
      ['2026-03-20', 1],
    ]);
    expect(s.overdue.total).toBe(2);
    expect(s.overdue.items.map((o: any) => o.id)).toEqual([ids.six, ids.seven]);
    expect(s.overdue.items[0]).toMatchObject({
      handlerName: '测试住建局',
      dueAt: '2026-03-13T10:00:00.000Z',
    });
  });

  it('buckets a year by month (Beijing time) and counts each order once', async () => {
    const s = await statsOf(workerA, { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
    expect(s.bucket).toBe('month');
    expect(s.trend.map((m: any) => [m.period, m.total, m.closed])).toEqual([
      ['2026-02', 1, 1],
      ['2026-03', 7, 4],
    ]);
    expect(s.summary.total).toBe(8);
  });

  it('ranks the communities of a street, best first, with the score made of their rates', async () => {
    const res = await get(streetStaff, `/api/work-orders/stats/rankings?${qs(march)}`);
    expect(res.statusCode, res.body).toBe(200);
    const { kind, items } = res.json();
    expect(kind).toBe('community');
    expect(items.map((u: any) => [u.id, u.rank, u.total])).toEqual([
      [tree.neighbourCommunity.id, 1, 1],
      [tree.community.id, 2, 7],
    ]);
    // B: 办结率 1, 按期办结率 1, nobody rated → 100. A: (.3 × 4/6 + .3 × 3/4 + .4 × 2/3) × 100.
    expect(items[0].score).toBe(100);
    expect(items[1].score).toBeCloseTo(100 * (0.3 * 0.6667 + 0.3 * 0.75 + 0.4 * 0.6667), 1);
    expect(items[1].solvedRate).toBeCloseTo(0.75, 4);
  });

  it('ranks departments as handlers, with whistles they did not answer', async () => {
    const res = await get(workerA, `/api/work-orders/stats/rankings?${qs({ ...march, kind: 'department' })}`);
    expect(res.statusCode, res.body).toBe(200);
    const [d] = res.json().items;
    expect(d).toMatchObject({
      id: tree.department.id,
      total: 3,
      closed: 2,
      whistles: 1,
      whistlesUnanswered: 1,
    });
    expect(d.onTimeAcceptRate).toBeCloseTo(1 / 3, 4);
    expect(d.onTimeRate).toBeCloseTo(1 / 2, 4);
    expect(d.satisfactionRate).toBeCloseTo(1 / 2, 4);
    expect(d.whistleAnswerRate).toBe(0);
    const expected = (0.3 * 0.6667 + 0.3 * 0.5 + 0.4 * 0.5 + 0.2 * 0.3333 + 0.2 * 0) / 1.4;
    expect(d.score).toBeCloseTo(100 * expected, 1);
  });

  it('gives a department the figures of the orders it handles', async () => {
    const s = await statsOf(dept);
    expect(s.orgUnit.id).toBe(tree.department.id);
    expect(s.summary).toMatchObject({ total: 3, closed: 2, open: 1 });
  });

  it('keeps each community to its own subtree: own figures only, 403 for another', async () => {
    const own = await statsOf(workerB);
    expect(own.summary).toMatchObject({ total: 1, closed: 1, solved: 0 });
    expect(own.summary.solvedRate).toBe(0);
    expect(own.summary.satisfactionRate).toBeNull();
    const other = await get(
      workerB,
      `/api/work-orders/stats?${qs({ ...march, orgUnitId: tree.community.id })}`,
    );
    expect(other.statusCode).toBe(403);
    const ranking = await get(
      workerB,
      `/api/work-orders/stats/rankings?${qs({ ...march, orgUnitId: tree.street.id })}`,
    );
    expect(ranking.statusCode).toBe(403);
    // The street sees both communities.
    expect((await statsOf(streetStaff)).summary.total).toBe(8);
    // A resident has no statistics at all.
    expect((await get(residentA, `/api/work-orders/stats?${qs(march)}`)).statusCode).toBe(403);
  });

  it('refuses a period that ends before it starts', async () => {
    const res = await get(workerA, `/api/work-orders/stats?${qs({ from: march.to, to: march.from })}`);
    expect(res.statusCode).toBe(400);
  });

  it('puts the open orders with a point on the map, for those who may read them', async () => {
    const mine = (await get(workerA, '/api/work-orders/map')).json();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ id: ids.six, lng: 109.95, lat: 39.81, overdue: true });
    expect((await get(workerB, '/api/work-orders/map')).json().items).toEqual([]);
    // The department handling it sees it too.
    expect((await get(dept, '/api/work-orders/map')).json().items.map((i: any) => i.id)).toEqual([ids.six]);
  });
});

describe('work-order statistics in Beijing time', () => {
  it('counts the open orders of the period on the map as the summary does, saying how many have no point', async () => {
    const s = await statsOf(workerA);
    const map = (await get(workerA, `/api/work-orders/map?${qs(march)}`)).json();
    expect(map.total + map.unlocated).toBe(s.summary.open);
    expect(map).toMatchObject({ total: 1, unlocated: 1 });
    expect(s.overdue.total).toBe(s.summary.overdue);
  });

  it('counts on the map what the card counts for a department: the orders it handles, not one it was only whistled about', async () => {
    const july = { from: '2026-07-01', to: '2026-07-02' };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      at('07-01T09:00');
      const { id } = await post(residentA, '/api/work-orders/reports', {
        categoryId: (await get(workerA, '/api/work-order-categories')).json().find((c: any) => c.parentCode)
          .id,
        description: '小区门口井盖缺失',
        placeId: tree.community.id,
      });
      await step(workerA, id, { type: 'accepted' });
      await step(workerA, id, { type: 'whistled', departmentIds: [tree.department.id] });
    } finally {
      vi.useRealTimers();
    }
    for (const [who, open] of [
      [dept, 0],
      [workerA, 1],
    ] as const) {
      const s = await statsOf(who, july);
      const map = (await get(who, `/api/work-orders/map?${qs(july)}`)).json();
      expect([s.summary.open, map.total + map.unlocated]).toEqual([open, open]);
    }
  });

  it('takes a day named by its date as the Beijing day, 00:00 to 24:00 +08:00', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      at('06-01T07:30'); // 2026-05-31 23:30 UTC: a UTC cut would file it on May 31st
      await post(residentA, '/api/work-orders/reports', {
        categoryId: (await get(workerA, '/api/work-order-categories')).json().find((c: any) => c.parentCode)
          .id,
        description: '清晨路灯不亮',
        placeId: tree.community.id,
      });
    } finally {
      vi.useRealTimers();
    }
    const june1 = await statsOf(workerA, { from: '2026-06-01', to: '2026-06-02' });
    expect(june1.from).toBe('2026-05-31T16:00:00.000Z');
    expect(june1.summary.total).toBe(1);
    expect(june1.trend.map((d: any) => d.period)).toEqual(['2026-06-01']);
    expect((await statsOf(workerA, { from: '2026-05-31', to: '2026-06-01' })).summary.total).toBe(0);
    const year = await statsOf(workerA, { from: '2026-01-01', to: '2027-01-01' });
    expect(year.trend.map((m: any) => m.period)).toContain('2026-06');
    const bad = await get(workerA, `/api/work-orders/stats?${qs({ from: '2026-02-30', to: '2026-03-01' })}`);
    expect(bad.statusCode).toBe(400);
  });
});
