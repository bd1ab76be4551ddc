import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHousehold } from '../../src/modules/people/households.js';
import { totalCap } from '../../src/modules/people/paging.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit } from '../factories/org.js';
import { buildHouse, buildResident, factoryCaller } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** List behaviour at scale: capped totals, paging and order, the filters' index-friendly forms. */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let secretary: { authorization: string };
let gridSerial = 0;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  secretary = (await buildUser(t, 'communitySecretary', tree.community)).headers;
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ url, headers: secretary });
const newGrid = () =>
  buildOrgUnit(t.ctx.db, {
    parent: tree.community,
    kind: 'grid',
    code: `${tree.community.code}L${++gridSerial}`,
  });
type Item = { id: string; name: string; createdAt: string };

describe('resident list totals', () => {
  it('counts up to 10,000 and then says totalCapped, still paging in order', async () => {
    const g = await newGrid();
    // 10,005 people in one statement (the factories would take minutes); one cipher serves all.
    const cipher = t.ctx.pii.encrypt('150602198001010011');
    await t.ctx.db.execute(sql`insert into resident (id, name, name_initials, gender, birth_date, ethnicity,
        id_number_cipher, id_number_index, residence_status, grid_id, org_path, created_at)
      select gen_random_uuid(), '批量' || i, 'pl', 'male', date '1980-01-01', '01', ${cipher},
        'bulk-list-' || i, 'registered', ${g.id}, ${g.path}::ltree, now() - make_interval(secs => i)
      from generate_series(1, ${totalCap + 5}) i`);
    const first = (await get(`/api/residents?orgUnitId=${g.id}&pageSize=50`)).json();
    expect(first).toMatchObject({ total: totalCap, totalCapped: true });
    expect(first.items).toHaveLength(50);
    // Default order: newest first (created_at desc, id desc) — 批量1 is the newest.
    expect(first.items.slice(0, 3).map((i: Item) => i.name)).toEqual(['批量1', '批量2', '批量3']);
    const second = (await get(`/api/residents?orgUnitId=${g.id}&pageSize=50&page=2`)).json();
    expect(second.items[0].name).toBe('批量51');
    expect(new Set([...first.items, ...second.items].map((i: Item) => i.id)).size).toBe(100);
    // A narrower filter is counted exactly.
    const narrow = (await get(`/api/residents?orgUnitId=${g.id}&q=${encodeURIComponent('批量100')}`)).json();
    expect(narrow).toMatchObject({ total: 17, totalCapped: false }); // 批量100, 1000…1009, 10000…10005
    // Exactly at the cap is not capped.
    await t.ctx.db.execute(
      sql`update resident set status = 'movedOut' where grid_id = ${g.id} and name in ('批量1', '批量2', '批量3', '批量4', '批量5')`,
    );
    expect((await get(`/api/residents?orgUnitId=${g.id}&pageSize=1`)).json()).toMatchObject({
      total: totalCap,
      totalCapped: false,
    });
  });
});

describe('resident list paging and filters', () => {
  it('pages through every match once, in the order asked for', async () => {
    const g = await newGrid();
    const names = ['赵一', '钱二', '孙三', '李四', '周五', '吴六', '郑七'];
    const house = await buildHouse(t.ctx, g);
    for (const name of names) await buildResident(t.ctx, g, { name, houseId: house.id });
    for (const [sort, order] of [
      ['name', 'asc'],
      ['name', 'desc'],
      ['createdAt', 'desc'],
      ['createdAt', 'asc'],
    ] as const) {
      const seen: Item[] = [];
      for (let page = 1; page <= 3; page++) {
        const body = (
          await get(`/api/residents?orgUnitId=${g.id}&pageSize=3&page=${page}&sort=${sort}&order=${order}`)
        ).json();
        expect(body).toMatchObject({ total: 7, totalCapped: false });
        seen.push(...body.items);
      }
      expect(new Set(seen.map((i) => i.id)).size).toBe(7);
      const key = (i: Item) => (sort === 'name' ? i.name : i.createdAt);
      const sorted = [...seen].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      if (order === 'desc') sorted.reverse();
      expect(seen.map(key)).toEqual(sorted.map(key));
    }
  });

  it('finds by Chinese substring, mixed Latin substring (any case) and pinyin-initials prefix only', async () => {
    const g = await newGrid();
    const a = await buildResident(t.ctx, g, { name: '王建军' });
    const b = await buildResident(t.ctx, g, { name: '李王芳' });
    const c = await buildResident(t.ctx, g, { name: 'Anna·王' });
    const ids = async (q: string) =>
      (await get(`/api/residents?orgUnitId=${g.id}&sort=name&order=asc&q=${encodeURIComponent(q)}`))
        .json()
        .items.map((i: Item) => i.id)
        .sort();
    expect(await ids('王')).toEqual([a.id, b.id, c.id].sort());
    expect(await ids('建军')).toEqual([a.id]);
    expect(await ids('anna·')).toEqual([c.id]); // Latin letters inside: case-insensitive substring
    expect(await ids('wjj')).toEqual([a.id]); // initials from the start…
    expect(await ids('jj')).toEqual([]); // …not from the middle
    expect(await ids('WJ')).toEqual([a.id]);
    expect(await ids('50%')).toEqual([]); // LIKE wildcards are literal
  });
});

describe('house and household lists', () => {
  it('give an exact total below the cap, with totalCapped false', async () => {
    const g = await newGrid();
    const h1 = await buildHouse(t.ctx, g);
    const h2 = await buildHouse(t.ctx, g);
    const houses = (await get(`/api/houses?orgUnitId=${g.id}&pageSize=1`)).json();
    expect(houses).toMatchObject({ total: 2, totalCapped: false });
    expect(houses.items).toHaveLength(1);
    const both = (await get(`/api/houses?orgUnitId=${g.id}`)).json();
    expect(both.items.map((h: { id: string }) => h.id).sort()).toEqual([h1.id, h2.id].sort());
    const households = (await get(`/api/households?orgUnitId=${g.id}`)).json();
    expect(households).toMatchObject({ total: 0, totalCapped: false, items: [] });
  });

  it('count each house’s households and active residents on the list and on the house', async () => {
    const g = await newGrid();
    const home = await buildHouse(t.ctx, g);
    const empty = await buildHouse(t.ctx, g);
    const [head, child, lodger] = [
      await buildResident(t.ctx, g, { houseId: home.id }),
      await buildResident(t.ctx, g, { houseId: home.id }),
      await buildResident(t.ctx, g, { houseId: home.id }),
    ];
    await createHousehold(t.ctx, factoryCaller, {
      houseId: home.id,
      registrationType: 'registered',
      members: [
        { residentId: head.id, relation: '02' },
        { residentId: child.id, relation: '20' },
      ],
    });
    await createHousehold(t.ctx, factoryCaller, {
      houseId: home.id,
      registrationType: 'registered',
      members: [{ residentId: lodger.id, relation: '02' }],
    });
    const items = (await get(`/api/houses?orgUnitId=${g.id}`)).json().items as {
      id: string;
      households: number;
      residents: number;
    }[];
    const counts = Object.fromEntries(items.map((h) => [h.id, [h.households, h.residents]]));
    expect(counts).toEqual({ [home.id]: [2, 3], [empty.id]: [0, 0] });
    expect((await get(`/api/houses/${home.id}`)).json()).toMatchObject({ households: 2, residents: 3 });
  });
});
