import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoAccounts } from '../../src/modules/demo/accounts.js';
import { demoMemberPhone, seedDemoParty } from '../../src/modules/demo/party.js';
import { seededRandom } from '../../src/modules/demo/random.js';
import { demoPlaces, generateDemoDistrict } from '../../src/modules/org/demo.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** The demo's party data: organisations along the tree, members, a year of points, and a real passbook. */
let t: TestApp;
let districtPath: string;
const count = async (q: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await t.ctx.db.execute(q))[0].n;

beforeAll(async () => {
  t = await createTestApp();
  const result = await t.ctx.db.transaction((tx) =>
    generateDemoDistrict(tx, {
      districtCode: '150602',
      box: { minLng: 109.82, minLat: 39.72, maxLng: 110.08, maxLat: 39.9 },
      basicGrids: 120,
      exclusiveGrids: 0,
      buildingsPerGrid: 1,
      random: seededRandom(150602),
    }),
  );
  districtPath = result.district.path;
  const org = { districtId: result.district.id, districtPath, places: await demoPlaces(t.ctx.db, '150602') };
  // 600 people on the register marked 中共党员, spread over the grids (the seed takes every other one)
  await t.ctx.db.execute(sql`insert into resident (id, name, name_initials, gender, birth_date, ethnicity,
      id_number_cipher, id_number_index, residence_status, political_status, grid_id, org_path, district_code)
    select gen_random_uuid(), '党员' || g, 'dy', 'male', date '1975-01-01', '01', 'x', 'demo-party-' || g,
      'registered', 'partyMember', gr.id, gr.path, '150602'
    from generate_series(1, 600) g
      join (select id, path, row_number() over (order by code) - 1 as k, count(*) over () as n
            from org_unit where kind = 'grid' and path <@ ${districtPath}::ltree) gr on gr.k = g % gr.n`);
  await seedDemoAccounts(t.ctx, org);
  await seedDemoParty(t.ctx, org, () => {});
}, 300_000);
afterAll(() => t.close());

it('builds the party chain along the district: 党工委 per street, 党委 per community, 党支部 per grid', async () => {
  const kinds = rowsOf<{ kind: string; unit: string; n: number }>(
    await t.ctx.db.execute(sql`select o.kind, u.kind as unit, count(*)::int as n
      from party_org o join org_unit u on u.id = o.org_unit_id group by 1, 2 order by 1, 2`),
  );
  const by = Object.fromEntries(kinds.map((k) => [`${k.kind}@${k.unit}`, k.n]));
  expect(Object.keys(by).sort()).toEqual([
    'branch@grid',
    'committee@community',
    'group@building',
    'workCommittee@street',
  ]);
  expect(by['branch@grid']).toBe(
    await count(sql`select count(*)::int as n from org_unit where kind = 'grid'`),
  );
  // every organisation below the top hangs under the one of the enclosing unit
  expect(
    await count(sql`select count(*)::int as n from party_org o join party_org p on p.id = o.parent_id
      where not (o.org_path <@ p.org_path) or (o.kind <> 'workCommittee' and o.parent_id is null)`),
  ).toBe(0);
});

it('the demo party member signs in with the phone and sees a real passbook and the published list', async () => {
  const headers = await t.login(demoMemberPhone, 'Demo@Dongsheng2026');
  const me = await t.app.inject({ method: 'GET', url: '/api/party/me', headers });
  expect(me.statusCode).toBe(200);
  expect(me.json()).toMatchObject({ name: '王建军', standing: 'full' });
  const book = (await t.app.inject({ method: 'GET', url: '/api/party/me/passbook', headers })).json();
  expect(book.balance).toBeGreaterThan(0);
  expect(book.items.map((l: any) => l.kind)).toContain('earned');
  // the balance is the sum of the lines, newest line's balanceAfter included
  expect(book.items[0].balanceAfter).toBe(book.balance);
  const published = (await t.app.inject({ method: 'GET', url: '/api/party/me/published', headers })).json();
  expect(published.status).toBe('published');
  expect(published.scores.map((s: any) => s.name)).toContain('王建军');
});

it('the ledger balances: every transaction sums to zero, balances equal their lines and none is negative', async () => {
  expect(
    await count(sql`select count(*)::int as n from (select txn_id from points_ledger group by txn_id
      having sum(amount) <> 0 or count(*) <> 2) x`),
  ).toBe(0);
  expect(
    await count(sql`select count(*)::int as n from points_balance b left join (select account_id,
      sum(amount)::int as s from points_ledger where account = 'member' group by account_id) l
      on l.account_id = b.member_id where b.balance <> coalesce(l.s, 0) or b.balance < 0`),
  ).toBe(0);
  expect(await count(sql`select count(*)::int as n from points_redemption`)).toBeGreaterThan(0);
  // no entry breaks its item's cap for the quarter
  expect(
    await count(sql`select count(*)::int as n from (select e.member_id, e.item_id, e.quarter
      from points_entry e join points_item i on i.id = e.item_id
      group by 1, 2, 3, i.cap_per_quarter having abs(sum(e.points)) > i.cap_per_quarter) x`),
  ).toBe(0);
});

it('members are about half the register 中共党员, some in service and some mobile; a second run adds nothing', async () => {
  const [m] = rowsOf<{ members: number; inService: number; mobile: number; entries: number }>(
    await t.ctx.db.execute(sql`select count(*)::int as members,
      count(*) filter (where in_service)::int as "inService", count(*) filter (where mobile)::int as mobile,
      (select count(*) from points_entry)::int as entries from party_member`),
  );
  expect(m.members).toBeGreaterThan(250);
  expect(m.members).toBeLessThan(350);
  expect(m.inService).toBeGreaterThan(0);
  expect(m.mobile).toBeGreaterThan(0);
  await seedDemoParty(t.ctx, { districtId: '', districtPath, places: [] }, () => {});
  expect(await count(sql`select count(*)::int as n from points_entry`)).toBe(m.entries);
});
