import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/platform/db/index.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildPartyMember, buildPartyOrg, catalogItems } from '../factories/party.js';
import { buildResident } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pdfPages } from '../helpers/pdf-text.js';

/** The 5+X cycle over HTTP: catalogue → entries and claims → review → publish → objection → final → passbook → shop. */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
type H = { authorization: string };
let secretary: H;
let recorder: H;
let otherRecorder: H;
let counter: H;
let street: H;
let memberA: H;
let branchId: string;
let otherBranchId: string;
let a: string;
let b: string;
let c: string;
let outsider: string;
let items: Record<string, string>;

const req = (method: 'GET' | 'POST', url: string, headers: H, payload?: object) =>
  t.app.inject({ method, url, headers, payload });
const one = async (q: string) => rowsOf<any>(await t.ctx.db.execute(sql.raw(q)))[0];

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  const committee = await buildPartyOrg(t.ctx, tree.community, { name: '测试社区党委' });
  const branch = await buildPartyOrg(t.ctx, tree.grid, { name: '第一网格党支部', parentId: committee.id });
  const neighbour = await buildPartyOrg(t.ctx, tree.neighbourCommunity, { name: '邻近社区党委' });
  const other = await buildPartyOrg(t.ctx, tree.neighbourGrid, {
    name: '第二网格党支部',
    parentId: neighbour.id,
  });
  branchId = branch.id;
  otherBranchId = other.id;
  secretary = (await buildUser(t, 'partySecretary', tree.grid)).headers;
  recorder = (await buildUser(t, 'partyRecorder', tree.grid)).headers;
  otherRecorder = (await buildUser(t, 'partyRecorder', tree.neighbourGrid)).headers;
  counter = (await buildUser(t, 'communityWorker', tree.community)).headers;
  street = (await buildUser(t, 'streetStaff', tree.street)).headers;
  const communitySecretary = (await buildUser(t, 'communitySecretary', tree.community)).headers;

  // Member A comes through the claim flow: registered, confirmed as a resident, then as a party member.
  const body = '15060219750101124';
  const idNumber = body + idNumberCheckChar(body);
  await buildResident(t.ctx, tree.grid, {
    name: '乌兰图雅',
    idNumber,
    birthDate: '1975-01-01',
    gender: 'female',
  });
  const reg = await t.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: {
      phone: '13847700123',
      password: 'Caoyuan-2026x',
      name: '乌兰图雅',
      idNumber,
      communityId: tree.grid.id,
    },
  });
  expect(reg.statusCode).toBe(201);
  const [resReq] = (await req('GET', '/api/account-requests?status=pending', communitySecretary)).json()
    .items;
  expect(
    (await req('POST', `/api/account-requests/${resReq.id}/approve`, communitySecretary)).statusCode,
  ).toBe(200);
  memberA = await t.login('13847700123', 'Caoyuan-2026x');
  const claim = await req('POST', '/api/party-membership', memberA, { branchId: tree.grid.id });
  expect(claim.statusCode).toBe(201);
  const approve = await req(
    'POST',
    `/api/party-member-requests/${claim.json().id}/approve`,
    communitySecretary,
  );
  expect(approve.statusCode).toBe(200);
  memberA = await t.login('13847700123', 'Caoyuan-2026x');
  const me = await req('GET', '/api/party/me', memberA);
  expect(me.statusCode).toBe(200);
  expect(me.json()).toMatchObject({ name: '乌兰图雅', partyOrgId: branchId, balance: 0 });
  a = me.json().id;
  b = (await buildPartyMember(t.ctx, tree.grid, branchId, '巴特尔')).id;
  c = (await buildPartyMember(t.ctx, tree.grid, branchId, '张建国')).id;
  outsider = (await buildPartyMember(t.ctx, tree.neighbourGrid, otherBranchId, '其其格')).id;
});
afterAll(() => t.close());

describe('party members', () => {
  it('one person, one record: registering a member of another branch is a 409 naming it', async () => {
    const m = (await req('GET', `/api/party/members/${outsider}`, street)).json();
    const res = await req('POST', '/api/party/members', secretary, {
      residentId: m.residentId,
      partyOrgId: branchId,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('第二网格党支部');
  });

  it('the roster pages and filters on the server, inside the caller subtree', async () => {
    const all = (await req('GET', `/api/party/members?partyOrgId=${branchId}&pageSize=2`, street)).json();
    expect(all.total).toBe(3);
    expect(all.items).toHaveLength(2);
    const found = (await req('GET', '/api/party/members?q=巴特', secretary)).json();
    expect(found.items.map((m: any) => m.name)).toEqual(['巴特尔']);
    // the grid branch's secretary does not see the neighbouring grid's member
    expect((await req('GET', `/api/party/members/${outsider}`, secretary)).statusCode).toBe(404);
  });
});

describe('党员积分 5+X', () => {
  it('a catalogue needs the five fixed categories and is versioned', async () => {
    const short = await req('POST', `/api/party/orgs/${branchId}/catalog`, secretary, {
      items: catalogItems.filter((i) => i.category !== 'integrity'),
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields[0]).toMatchObject({ path: 'items' });
    expect(short.json().fields[0].message).toContain('弘扬正气');
    const res = await req('POST', `/api/party/orgs/${branchId}/catalog`, secretary, { items: catalogItems });
    expect(res.statusCode).toBe(201);
    expect(res.json().version).toBe(1);
    items = Object.fromEntries(res.json().items.map((i: any) => [i.category, i.id]));
  });

  it('the recorder scores members month by month, within the caps, and nobody else can', async () => {
    const entry = (member: string, category: string, month: string, extra: object = {}) =>
      req('POST', '/api/party/entries', recorder, {
        partyOrgId: branchId,
        memberId: member,
        itemId: items[category],
        month,
        ...extra,
      });
    for (const [member, category, month] of [
      [a, 'study', '2026-07'],
      [a, 'study', '2026-08'],
      [a, 'service', '2026-07'],
      [b, 'study', '2026-07'],
      [b, 'prosperity', '2026-08'],
      [b, 'discipline', '2026-09'],
      [c, 'x', '2026-09'],
    ])
      expect((await entry(member, category, month)).statusCode).toBe(201);
    // study is 2 points, capped at 6 a quarter: a third entry fits, a fourth does not
    expect((await entry(a, 'study', '2026-09')).statusCode).toBe(201);
    const over = await entry(a, 'study', '2026-09');
    expect(over.statusCode).toBe(400);
    expect(over.json().fields[0]).toMatchObject({ path: 'points' });
    expect(over.json().fields[0].message).toContain('季度上限 6 分');
    // a member of another branch
    const notIn = await entry(outsider, 'study', '2026-07');
    expect(notIn.statusCode).toBe(400);
    expect(notIn.json().fields[0]).toMatchObject({ path: 'memberId' });
    // the neighbouring grid's recorder is not this branch's recorder
    const wrong = await req('POST', '/api/party/entries', otherRecorder, {
      partyOrgId: branchId,
      memberId: a,
      itemId: items.service,
      month: '2026-07',
    });
    expect(wrong.statusCode).toBe(403);
    // a 减分 item takes negative points only
    expect((await entry(c, 'discipline', '2026-07', { points: 2 })).statusCode).toBe(400);
    const sheet = (await req('GET', `/api/party/orgs/${branchId}/sheet?month=2026-07`, recorder)).json();
    expect(sheet.members).toHaveLength(3);
    expect(sheet.entries).toHaveLength(3);
  });

  it('a member claims points from the phone; the recorder confirms or refuses with a reason', async () => {
    const claim = (note: string) =>
      req('POST', '/api/party/me/claims', memberA, { itemId: items.integrity, month: '2026-08', note });
    const first = await claim('调解三号楼漏水纠纷');
    expect(first.statusCode).toBe(201);
    expect(first.json().status).toBe('claimed');
    const second = await claim('劝导楼道堆物');
    const pending = (await req('GET', `/api/party/claims?partyOrgId=${branchId}`, recorder)).json();
    expect(pending.map((p: any) => p.note).sort()).toEqual(['劝导楼道堆物', '调解三号楼漏水纠纷']);
    expect((await req('POST', `/api/party/claims/${first.json().id}/confirm`, recorder)).json().status).toBe(
      'confirmed',
    );
    const refused = await req('POST', `/api/party/claims/${second.json().id}/refuse`, recorder, {
      reason: '已由楼栋长记录',
    });
    expect(refused.json()).toMatchObject({ status: 'refused', reason: '已由楼栋长记录' });
  });

  it('an unreviewed quarter cannot be published; review closes it to everything but corrections', async () => {
    const early = await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/publish`, secretary);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('尚未季评');
    // a pending claim blocks the review
    const pending = await req('POST', '/api/party/me/claims', memberA, {
      itemId: items.x,
      month: '2026-09',
      note: '清理小广告',
    });
    const blocked = await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/review`, secretary);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().message).toContain('1 条党员申报或系统建议的积分未审核');
    await req('POST', `/api/party/claims/${pending.json().id}/confirm`, recorder);
    // the recorder may not review: that is the branch committee's
    expect(
      (await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/review`, recorder)).statusCode,
    ).toBe(403);
    const review = await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/review`, secretary);
    expect(review.json().status).toBe('reviewed');
    const closed = await req('POST', '/api/party/entries', recorder, {
      partyOrgId: branchId,
      memberId: c,
      itemId: items.service,
      month: '2026-08',
    });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().message).toContain('2026Q3 已季评关闭');
    // B's 减分 was a mistake: corrected with a reason
    const entryId = (
      await one(`select e.id from points_entry e join points_item i on i.id = e.item_id
      where e.member_id = '${b}' and i.category = 'discipline'`)
    ).id;
    const noReason = await req('POST', `/api/party/entries/${entryId}/correct`, recorder, { points: 2 });
    expect(noReason.statusCode).toBe(400);
    const fix = await req('POST', `/api/party/entries/${entryId}/correct`, recorder, {
      points: 2,
      reason: '请假已获批准',
    });
    expect(fix.statusCode).toBe(201);
    expect(fix.json()).toMatchObject({ correctsId: entryId, reason: '请假已获批准' });
  });

  it('publishing opens a 5-working-day window; the member objects, the branch answers, then scores are final', async () => {
    const pub = await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/publish`, secretary);
    expect(pub.statusCode).toBe(200);
    const { objectionUntil, publishedAt } = pub.json();
    expect(t.ctx.calendar.workingDaysBetween(new Date(publishedAt), new Date(objectionUntil))).toBe(5);
    const list = (await req('GET', '/api/party/me/published', memberA)).json();
    expect(list.quarter).toBe('2026Q3');
    // A: study 6 + service 3 + integrity 2 + x 1 = 12; B: study 2 + prosperity 4 + (−2 + 2) = 6; C: x 1
    expect(list.scores.map((s: any) => [s.name, s.total, s.rank])).toEqual([
      ['乌兰图雅', 12, 1],
      ['巴特尔', 6, 2],
      ['张建国', 1, 3],
    ]);
    const objection = await req('POST', '/api/party/me/objections', memberA, {
      quarterId: list.id,
      text: '八月的志愿服务未计入',
    });
    expect(objection.statusCode).toBe(201);
    const early = await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/finalise`, secretary);
    expect(early.statusCode).toBe(409);
    // the window ends (moved into the past, as five working days passing would)
    await t.ctx.db.execute(
      sql`update points_quarter set objection_until = now() - interval '1 minute' where id = ${list.id}::uuid`,
    );
    const late = await req('POST', '/api/party/me/objections', memberA, {
      quarterId: list.id,
      text: '再提一条',
    });
    expect(late.statusCode).toBe(409);
    const unanswered = await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/finalise`, secretary);
    expect(unanswered.json().message).toContain('1 条异议未答复');
    const answered = await req('POST', `/api/party/objections/${objection.json().id}/answer`, secretary, {
      answer: '经核实已计入九月，分数不变',
    });
    expect(answered.statusCode).toBe(200);
    const fin = await req('POST', `/api/party/orgs/${branchId}/quarters/2026Q3/finalise`, secretary);
    expect(fin.json().status).toBe('final');
    const book = (await req('GET', '/api/party/me/passbook', memberA)).json();
    expect(book.balance).toBe(12);
    expect(book.items).toEqual([expect.objectContaining({ kind: 'earned', amount: 12, balanceAfter: 12 })]);
    // double entry: every transaction's lines sum to zero
    expect(
      await one(
        `select count(*)::int as n from (select txn_id from points_ledger group by txn_id having sum(amount) <> 0) x`,
      ),
    ).toEqual({ n: 0 });
  });

  it('prints the published list as an A4 PDF with every name and total', async () => {
    const res = await req('GET', `/api/party/orgs/${branchId}/quarters/2026Q3/pdf`, street);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPages(res.rawPayload)).join('\n');
    expect(text).toContain('第一网格党支部党员积分亮分公示');
    const lines = text.split('\n').map((l) => l.trim());
    for (const [name, total] of [
      ['乌兰图雅', '12'],
      ['巴特尔', '6'],
      ['张建国', '1'],
    ]) {
      const at = lines.indexOf(name);
      expect(at).toBeGreaterThan(-1);
      // the row reads name, six category scores, total
      expect(lines.slice(at + 1).filter((l) => l !== '')[6]).toBe(total);
    }
  });

  it('ranks members and branches for a street and a period', async () => {
    const members = (
      await req('GET', `/api/party/rankings?orgUnitId=${tree.street.id}&period=2026Q3`, street)
    ).json();
    expect(members.items.map((r: any) => [r.name, r.points, r.rank])).toEqual([
      ['乌兰图雅', 12, 1],
      ['巴特尔', 6, 2],
      ['张建国', 1, 3],
    ]);
    const branches = (
      await req('GET', `/api/party/rankings?orgUnitId=${tree.street.id}&period=2026&by=branch`, street)
    ).json();
    expect(branches.items).toEqual([
      expect.objectContaining({ name: '第一网格党支部', members: 3, points: 6.3, rank: 1 }),
    ]);
  });
});

describe('积分超市', () => {
  let cheap: string;
  let scarce: string;
  it('a redemption beyond the stock or the balance is a 409 and changes nothing', async () => {
    const add = (name: string, price: number, stock: number) =>
      req('POST', '/api/party/shop/items', secretary, {
        partyOrgId: branchId,
        name,
        price,
        stock,
        supplier: '共建单位超市',
      });
    cheap = (await add('洗衣液', 3, 10)).json().id;
    scarce = (await add('理发服务', 2, 1)).json().id;
    const big = (await add('电饭煲', 50, 5)).json().id;
    const redeem = (itemId: string, quantity = 1) =>
      req('POST', '/api/party/shop/redemptions', counter, { memberId: a, itemId, quantity });
    const poor = await redeem(big);
    expect(poor.statusCode).toBe(409);
    expect(poor.json().message).toContain('需要 50 分，现有 12 分');
    const none = await redeem(scarce, 2);
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toContain('仅剩 1 件');
    expect((await req('GET', '/api/party/me', memberA)).json().balance).toBe(12);
    expect(await one(`select stock from points_shop_item where id = '${scarce}'`)).toEqual({ stock: 1 });
    expect(await one(`select count(*)::int as n from points_redemption`)).toEqual({ n: 0 });
  });

  it('concurrent redemptions are serialised: the balance never goes negative', async () => {
    // 12 points, 3 each: of eight racing redemptions exactly four go through
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        req('POST', '/api/party/shop/redemptions', counter, { memberId: a, itemId: cheap, quantity: 1 }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 201, 409, 409, 409, 409]);
    expect((await req('GET', '/api/party/me', memberA)).json().balance).toBe(0);
    expect(await one(`select stock from points_shop_item where id = '${cheap}'`)).toEqual({ stock: 6 });
    const book = (await req('GET', '/api/party/me/passbook', memberA)).json();
    expect(book.items.map((l: any) => l.balanceAfter)).toEqual([0, 3, 6, 9, 12]);
    const history = (await req('GET', '/api/party/shop/redemptions', counter)).json();
    expect(history.total).toBe(4);
    // every write is audited
    expect(
      await one(`select count(*)::int as n from audit_event where action = 'party.shop.redeemed'`),
    ).toEqual({ n: 4 });
  });
});
