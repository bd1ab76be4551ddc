import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/calendar/work-calendar.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildMemberAccount, buildPartyOrg, catalogItems } from '../factories/party.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** 双报到 over HTTP: check-in → the community confirms → 认岗 → 服务纪实 → 双向评价, and what the workplace sees. */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
type H = { authorization: string };
let worker: H;
let neighbourWorker: H;
let streetStaff: H;
let workplaceSecretary: H;
let otherWorkplace: H;
let recorder: H;
let memberA: H;
let memberB: H;
let memberC: H;
let workplaceOrgId: string;
let branchId: string;
let checkInId: string;
let postId: string;
let serviceId: string;

const req = (method: 'GET' | 'POST', url: string, headers: H, payload?: object) =>
  t.app.inject({ method, url, headers, payload });
const today = localDate(new Date());
const thisYear = Number(today.slice(0, 4));
const field = (res: { json(): any }) => res.json().fields?.[0]?.path;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  const committee = await buildPartyOrg(t.ctx, tree.community, { name: '测试社区党委' });
  branchId = (await buildPartyOrg(t.ctx, tree.grid, { name: '第一网格党支部', parentId: committee.id })).id;
  // the workplace: a department's own branch (机关党支部), and another department's
  workplaceOrgId = (await buildPartyOrg(t.ctx, tree.department, { kind: 'branch', name: '住建局机关党支部' }))
    .id;
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers;
  neighbourWorker = (await buildUser(t, 'communityWorker', tree.neighbourCommunity)).headers;
  streetStaff = (await buildUser(t, 'streetStaff', tree.street)).headers;
  workplaceSecretary = (await buildUser(t, 'partySecretary', tree.department)).headers;
  otherWorkplace = (await buildUser(t, 'partySecretary', tree.neighbourGrid)).headers;
  recorder = (await buildUser(t, 'partyRecorder', tree.grid)).headers;
  memberA = (await buildMemberAccount(t, tree.grid, branchId, { name: '高建国', inService: true })).headers;
  memberB = (await buildMemberAccount(t, tree.grid, branchId, { name: '乌云' })).headers;
  memberC = (await buildMemberAccount(t, tree.grid, branchId, { name: '刘芳', inService: true })).headers;
});
afterAll(() => t.close());

describe('报到登记 and the community confirming', () => {
  it('only an in-service member checks in, at a community', async () => {
    const notInService = await req('POST', '/api/party/me/check-in', memberB, {
      orgUnitId: tree.community.id,
    });
    expect(notInService.statusCode).toBe(409);
    expect(notInService.json().message).toContain('在职党员');
    const atGrid = await req('POST', '/api/party/me/check-in', memberA, { orgUnitId: tree.grid.id });
    expect(atGrid.statusCode).toBe(400);
    expect(field(atGrid)).toBe('orgUnitId');
    expect(atGrid.json().fields[0].message).toContain('社区');
    const noUnit = await req('POST', '/api/party/me/check-in', memberA, {});
    expect(noUnit.statusCode).toBe(400);
    expect(field(noUnit)).toBe('orgUnitId');
    expect((await req('GET', '/api/party/me/check-in', memberA)).json()).toBeNull();
  });

  it('registers once, naming the workplace organisation; a second check-in is a 409 naming the community', async () => {
    const res = await req('POST', '/api/party/me/check-in', memberA, {
      orgUnitId: tree.community.id,
      workplaceOrgId,
      note: '住在3号楼',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', kind: 'member' });
    checkInId = res.json().id;
    const again = await req('POST', '/api/party/me/check-in', memberA, {
      orgUnitId: tree.neighbourCommunity.id,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain(tree.community.name);
    // nothing else is possible before the community confirms
    const early = await req('POST', '/api/party/me/services', memberA, {
      servedOn: today,
      hours: 1,
      what: '清扫楼道',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('尚未经社区确认');
  });

  it('the community confirms it (not a neighbouring community, not twice); its list shows pending first', async () => {
    const list = (await req('GET', '/api/party/check-ins?status=pending', worker)).json();
    expect(list.items.map((c: any) => c.memberName)).toEqual(['高建国']);
    expect((await req('GET', '/api/party/check-ins', neighbourWorker)).json().total).toBe(0);
    expect((await req('POST', `/api/party/check-ins/${checkInId}/confirm`, neighbourWorker)).statusCode).toBe(
      404,
    );
    expect((await req('POST', `/api/party/check-ins/${checkInId}/confirm`, memberA)).statusCode).toBe(403);
    const ok = await req('POST', `/api/party/check-ins/${checkInId}/confirm`, worker);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('confirmed');
    expect((await req('POST', `/api/party/check-ins/${checkInId}/confirm`, worker)).statusCode).toBe(409);
  });

  it('a refused check-in says why, and the member may register again', async () => {
    const c = await req('POST', '/api/party/me/check-in', memberC, { orgUnitId: tree.neighbourCommunity.id });
    expect(c.statusCode).toBe(201);
    const noReason = await req('POST', `/api/party/check-ins/${c.json().id}/refuse`, neighbourWorker, {});
    expect(noReason.statusCode).toBe(400);
    expect(field(noReason)).toBe('reason');
    const refused = await req('POST', `/api/party/check-ins/${c.json().id}/refuse`, neighbourWorker, {
      reason: '不在本社区居住',
    });
    expect(refused.json()).toMatchObject({ status: 'refused', reason: '不在本社区居住' });
    const again = await req('POST', '/api/party/me/check-in', memberC, { orgUnitId: tree.community.id });
    expect(again.statusCode).toBe(201);
    expect((await req('POST', `/api/party/check-ins/${again.json().id}/confirm`, worker)).statusCode).toBe(
      200,
    );
  });
});

describe('认岗', () => {
  it('the community keeps its post list; names are unique and only its own staff add to it', async () => {
    const res = await req('POST', '/api/party/community-posts', worker, {
      orgUnitId: tree.community.id,
      name: '楼栋联络员',
      capacity: 1,
    });
    expect(res.statusCode).toBe(201);
    postId = res.json().id;
    await req('POST', '/api/party/community-posts', worker, {
      orgUnitId: tree.community.id,
      name: '政策宣讲员',
    });
    const dup = await req('POST', '/api/party/community-posts', worker, {
      orgUnitId: tree.community.id,
      name: '楼栋联络员',
    });
    expect(dup.statusCode).toBe(409);
    const outside = await req('POST', '/api/party/community-posts', neighbourWorker, {
      orgUnitId: tree.community.id,
      name: '志愿服务',
    });
    expect(outside.statusCode).toBe(403);
    const zero = await req('POST', '/api/party/community-posts', worker, {
      orgUnitId: tree.community.id,
      name: '志愿服务',
      capacity: 0,
    });
    expect(field(zero)).toBe('capacity');
  });

  it('a member takes a post once; a full post is a 409 naming it', async () => {
    const posts = (await req('GET', '/api/party/me/posts', memberA)).json();
    expect(posts.map((p: any) => p.name).sort()).toEqual(['政策宣讲员', '楼栋联络员'].sort());
    const pick = await req('POST', '/api/party/me/posts', memberA, { postId });
    expect(pick.statusCode).toBe(201);
    expect(pick.json().find((p: any) => p.id === postId)).toMatchObject({ mine: true, taken: 1 });
    expect((await req('POST', '/api/party/me/posts', memberA, { postId })).statusCode).toBe(409);
    const full = await req('POST', '/api/party/me/posts', memberC, { postId });
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toContain('楼栋联络员');
  });
});

describe('服务纪实', () => {
  it('refuses a future date, odd hours, a post not taken and a photo that is not the member’s upload', async () => {
    const base = { servedOn: today, hours: 2, what: '入户宣传垃圾分类', postId };
    const cases: [object, string][] = [
      [{ servedOn: '2999-01-01' }, 'servedOn'],
      [{ hours: 0.3 }, 'hours'],
      [{ hours: 30 }, 'hours'],
      [{ what: '' }, 'what'],
      [{ photoFileId: '01900000-0000-7000-8000-000000000001' }, 'photoFileId'],
    ];
    for (const [change, path] of cases) {
      const res = await req('POST', '/api/party/me/services', memberA, { ...base, ...change });
      expect(res.statusCode, path).toBe(400);
      expect(field(res)).toBe(path);
    }
    const notMine = (await req('GET', '/api/party/me/posts', memberC)).json().find((p: any) => !p.mine);
    const res = await req('POST', '/api/party/me/services', memberC, { ...base, postId: notMine.id });
    expect(field(res)).toBe('postId');
    expect((await req('GET', '/api/party/service-records', worker)).json().total).toBe(0);
  });

  it('a confirmed service counts in the hours and is proposed to the branch recorder as points', async () => {
    const secretary = (await buildUser(t, 'partySecretary', tree.grid)).headers;
    const catalog = await req('POST', `/api/party/orgs/${branchId}/catalog`, secretary, {
      items: catalogItems.map((i) => (i.category === 'service' ? { ...i, source: 'serviceRecord' } : i)),
    });
    expect(catalog.statusCode).toBe(201);
    const s = await req('POST', '/api/party/me/services', memberA, {
      servedOn: today,
      hours: 2.5,
      what: '入户宣传垃圾分类',
      postId,
    });
    expect(s.statusCode).toBe(201);
    serviceId = s.json().id;
    const other = await req('POST', '/api/party/me/services', memberA, {
      servedOn: today,
      hours: 1,
      what: '重复填报',
    });
    const queue = (await req('GET', '/api/party/service-records?status=recorded', worker)).json();
    expect(queue.total).toBe(2);
    expect(
      (await req('POST', `/api/party/service-records/${serviceId}/confirm`, neighbourWorker)).statusCode,
    ).toBe(404);
    expect(
      (await req('POST', `/api/party/service-records/${serviceId}/confirm`, worker)).json(),
    ).toMatchObject({
      status: 'confirmed',
      hours: 2.5,
    });
    await req('POST', `/api/party/service-records/${other.json().id}/refuse`, worker, {
      reason: '与上一条重复',
    });
    const mine = (await req('GET', '/api/party/me/check-in', memberA)).json();
    expect(mine).toMatchObject({
      status: 'confirmed',
      services: 1,
      hours: 2.5,
      posts: [{ name: '楼栋联络员' }],
    });
    expect(mine.serviceRecords.map((r: any) => r.status).sort()).toEqual(['confirmed', 'refused']);
    // proposed, not added: the recorder sees it waiting and confirms it
    const waiting = (await req('GET', `/api/party/claims?partyOrgId=${branchId}`, recorder)).json();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      status: 'proposed',
      source: 'serviceRecord',
      sourceId: serviceId,
      points: 3,
    });
    expect((await req('POST', `/api/party/claims/${waiting[0].id}/confirm`, recorder)).json().status).toBe(
      'confirmed',
    );
  });
});

describe('双向评价 and what others see', () => {
  it('the community rates the member once a year, the member rates the community', async () => {
    const review = { year: thisYear, rating: 'excellent', comment: '服务积极' };
    expect((await req('POST', `/api/party/check-ins/${checkInId}/reviews`, worker, review)).statusCode).toBe(
      201,
    );
    const twice = await req('POST', `/api/party/check-ins/${checkInId}/reviews`, worker, review);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toContain(String(thisYear));
    const future = await req('POST', `/api/party/check-ins/${checkInId}/reviews`, worker, {
      ...review,
      year: thisYear + 1,
    });
    expect(field(future)).toBe('year');
    const badRating = await req('POST', '/api/party/me/check-in/review', memberA, {
      year: thisYear,
      rating: 'great',
    });
    expect(field(badRating)).toBe('rating');
    expect(badRating.json().fields[0].message).toContain('优秀');
    const mine = await req('POST', '/api/party/me/check-in/review', memberA, {
      year: thisYear,
      rating: 'good',
    });
    expect(mine.statusCode).toBe(201);
    const view = (await req('GET', `/api/party/check-ins/${checkInId}`, worker)).json();
    expect(view.reviews.map((r: any) => [r.reviewer, r.rating]).sort()).toEqual([
      ['community', 'excellent'],
      ['member', 'good'],
    ]);
  });

  it('the workplace reads its own members’ records and nobody else does', async () => {
    const list = (await req('GET', `/api/party/orgs/${workplaceOrgId}/check-ins`, workplaceSecretary)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      memberName: '高建国',
      orgUnitName: tree.community.name,
      services: 1,
      hours: 2.5,
    });
    const detail = await req('GET', `/api/party/check-ins/${checkInId}`, workplaceSecretary);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().reviews).toHaveLength(2);
    expect((await req('GET', `/api/party/check-ins/${checkInId}`, otherWorkplace)).statusCode).toBe(404);
    expect((await req('GET', `/api/party/orgs/${workplaceOrgId}/check-ins`, otherWorkplace)).statusCode).toBe(
      404,
    );
  });

  it('counts per community: members checked in, services and hours; an organisation checks in with a street', async () => {
    const org = await req('POST', `/api/party/orgs/${workplaceOrgId}/check-ins`, workplaceSecretary, {
      orgUnitId: tree.community.id,
    });
    expect(org.statusCode).toBe(201);
    const dup = await req('POST', `/api/party/orgs/${workplaceOrgId}/check-ins`, workplaceSecretary, {
      orgUnitId: tree.community.id,
    });
    expect(dup.statusCode).toBe(409);
    const atGrid = await req('POST', `/api/party/orgs/${workplaceOrgId}/check-ins`, workplaceSecretary, {
      orgUnitId: tree.grid.id,
    });
    expect(field(atGrid)).toBe('orgUnitId');
    expect((await req('POST', `/api/party/check-ins/${org.json().id}/confirm`, worker)).statusCode).toBe(200);
    const stats = (await req('GET', '/api/party/check-ins/stats', streetStaff)).json();
    expect(stats).toEqual([
      {
        orgUnitId: tree.community.id,
        orgUnitName: tree.community.name,
        members: 2,
        organisations: 1,
        pending: 0,
        services: 1,
        hours: 2.5,
      },
    ]);
  });
});
