import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildPartyOrg } from '../factories/party.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** 大工委 / 大党委 over HTTP: founded at a community, 兼职委员 from partner units, 联席会议 recorded. */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
type H = { authorization: string };
let secretary: H;
let neighbourSecretary: H;
let streetStaff: H;
let committeeId: string;
let partyOrgId: string;
const members: Record<string, string> = {};

const req = (method: 'GET' | 'POST', url: string, headers: H, payload?: object) =>
  t.app.inject({ method, url, headers, payload });
const field = (res: { json(): any }) => res.json().fields?.[0]?.path;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  partyOrgId = (await buildPartyOrg(t.ctx, tree.community, { name: '测试社区党委' })).id;
  secretary = (await buildUser(t, 'communitySecretary', tree.community)).headers;
  neighbourSecretary = (await buildUser(t, 'communitySecretary', tree.neighbourCommunity)).headers;
  streetStaff = (await buildUser(t, 'streetStaff', tree.street)).headers;
});
afterAll(() => t.close());

it('a community founds its 大党委 once, beside its own 党委, and nobody founds one elsewhere', async () => {
  const atGrid = await req('POST', '/api/party/joint-committees', secretary, {
    orgUnitId: tree.grid.id,
    name: '网格大党委',
  });
  expect(field(atGrid)).toBe('orgUnitId');
  const outside = await req('POST', '/api/party/joint-committees', neighbourSecretary, {
    orgUnitId: tree.community.id,
    name: '社区大党委',
  });
  expect(outside.statusCode).toBe(403);
  const res = await req('POST', '/api/party/joint-committees', secretary, {
    orgUnitId: tree.community.id,
    name: '测试社区大党委',
    partyOrgId,
  });
  expect(res.statusCode).toBe(201);
  committeeId = res.json().id;
  const again = await req('POST', '/api/party/joint-committees', secretary, {
    orgUnitId: tree.community.id,
    name: '第二个',
  });
  expect(again.statusCode).toBe(409);
  expect(again.json().message).toContain(tree.community.name);
});

it('takes members in: its own and 兼职委员 from partner units, who must name their unit', async () => {
  const add = (body: object) =>
    req('POST', `/api/party/joint-committees/${committeeId}/members`, secretary, body);
  const noUnit = await add({ name: '王磊', role: 'partTime', joinedOn: '2026-03-01' });
  expect(noUnit.statusCode).toBe(400);
  expect(field(noUnit)).toBe('partnerUnit');
  expect(field(await add({ name: '王磊', role: 'chair', joinedOn: '2026-03-01' }))).toBe('role');
  for (const [name, role, partnerUnit, title] of [
    ['白玉兰', 'secretary', null, '社区党委书记'],
    ['王磊', 'partTime', '国网东胜供电公司', '党委副书记'],
    ['张敏', 'partTime', '东胜区第二中学', '党支部书记'],
  ]) {
    const res = await add({ name, role, partnerUnit, title, joinedOn: '2026-03-01' });
    expect(res.statusCode).toBe(201);
    members[name!] = res.json().id;
  }
  expect(
    (
      await req('POST', `/api/party/joint-committees/${committeeId}/members`, neighbourSecretary, {
        name: '赵六',
        role: 'member',
        joinedOn: '2026-03-01',
      })
    ).statusCode,
  ).toBe(404);
});

it('records a 联席会议 with members attending, its topics and decisions; the street reads it', async () => {
  const meet = (body: object) =>
    req('POST', `/api/party/joint-committees/${committeeId}/meetings`, secretary, body);
  const base = {
    heldOn: '2026-11-20',
    attendeeIds: [members.白玉兰, members.王磊],
    topics: ['老旧小区冬季供电保障'],
    decisions: ['供电公司每周派员巡检配电箱'],
  };
  expect(field(await meet({ ...base, heldOn: '2999-01-01' }))).toBe('heldOn');
  expect(
    field(await meet({ ...base, attendeeIds: [members.王磊, '01900000-0000-7000-8000-000000000009'] })),
  ).toBe('attendeeIds.1');
  expect(field(await meet({ ...base, topics: [] }))).toBe('topics');
  expect((await meet(base)).statusCode).toBe(201);
  const list = (await req('GET', '/api/party/joint-committees', streetStaff)).json();
  expect(list).toEqual([
    expect.objectContaining({
      name: '测试社区大党委',
      partyOrgName: '测试社区党委',
      members: 3,
      partTimeMembers: 2,
      lastMeetingOn: '2026-11-20',
    }),
  ]);
  const view = (await req('GET', `/api/party/joint-committees/${committeeId}`, streetStaff)).json();
  expect(view.memberList.map((m: any) => m.name)).toEqual(['白玉兰', '王磊', '张敏']);
  expect(view.meetings[0]).toMatchObject({
    attendees: ['白玉兰', '王磊'],
    decisions: ['供电公司每周派员巡检配电箱'],
  });
  expect(
    (await req('GET', `/api/party/joint-committees/${committeeId}`, neighbourSecretary)).statusCode,
  ).toBe(404);
  expect((await req('GET', '/api/party/joint-committees', neighbourSecretary)).json()).toEqual([]);
});
