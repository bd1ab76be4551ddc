import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResidentByIdNumber } from '../../src/modules/people/residents.js';
import { shanghaiToday } from '../../src/modules/people/validators.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildBuilding, buildHouse, buildResident, validIdNumber, validPhone } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const goodId = validIdNumber('1956-03-04');
const badChecksum = goodId.slice(0, 17) + (goodId[17] === '0' ? '1' : '0');

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: { authorization: string };
let secretary: { authorization: string };
let neighbour: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers;
  secretary = (await buildUser(t, 'communitySecretary', tree.community)).headers;
  neighbour = (await buildUser(t, 'communityWorker', tree.neighbourCommunity)).headers;
});
afterAll(() => t.close());

const post = (url: string, headers: object, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: headers as Record<string, string>,
    payload: payload as object,
  });
const get = (url: string, headers: object) =>
  t.app.inject({ url, headers: headers as Record<string, string> });
const count = async (table: string) =>
  rowsOf<{ n: number }>(await t.ctx.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

describe('registering residents', () => {
  it('stores ID number and phone only encrypted, shows them masked, derives birth date and gender', async () => {
    const house = await buildHouse(t.ctx, tree.grid);
    const idNumber = validIdNumber('1956-03-04', 'female');
    const phone = validPhone();
    const res = await post('/api/residents', worker, {
      name: '乌兰其其格',
      idNumber,
      phone,
      ethnicity: '02',
      residenceStatus: 'registered',
      tags: ['livesAlone', 'lowIncome'],
      houseId: house.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: '乌兰其其格',
      gender: 'female',
      birthDate: '1956-03-04',
      idNumber: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      careGroups: ['elderly', 'inDifficulty'],
      address: house.address,
    });
    expect(res.body).not.toContain(idNumber);
    expect(res.body).not.toContain(phone);

    const raw = rowsOf<Record<string, unknown>>(await t.ctx.db.execute(sql`select * from resident`));
    const dump = JSON.stringify(raw);
    expect(dump).not.toContain(idNumber);
    expect(dump).not.toContain(idNumber.slice(6, 14) + idNumber.slice(14));
    expect(dump).not.toContain(phone);
    const audit = JSON.stringify(rowsOf(await t.ctx.db.execute(sql`select * from audit_event`)));
    expect(audit).not.toContain(idNumber);
    expect(audit).not.toContain(phone);
  });

  it('finds the existing record for the same ID number: one person, one record', async () => {
    const existing = await buildResident(t.ctx, tree.grid);
    const full = (await t.ctx.db.execute(
      sql`select id_number_cipher from resident where id = ${existing.id}`,
    )) as any;
    const idNumber = t.ctx.pii.decrypt(full.rows[0].id_number_cipher);
    const res = await post('/api/residents', worker, {
      name: '另一个名字',
      idNumber: idNumber.toLowerCase(),
      ethnicity: '01',
      residenceStatus: 'floating',
      gridId: tree.grid.id,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().fields[0]).toMatchObject({ path: 'idNumber' });
    expect(res.json().fields[0].message).toContain(existing.id);
    expect(await findResidentByIdNumber(t.ctx.db, t.ctx, idNumber)).toMatchObject({ id: existing.id });
    expect(await findResidentByIdNumber(t.ctx.db, t.ctx, idNumber, tree.neighbourCommunity.path)).toBeNull();
  });

  it.each([
    [{ idNumber: badChecksum }, 'idNumber', '身份证号校验位不正确，请核对'],
    [{ phone: '1380013800' }, 'phone', '手机号应为 11 位数字，以 13–19 开头'],
    [{ ethnicity: '60' }, 'ethnicity', '民族代码应为 GB 3304 的两位代码'],
    [{ residenceStatus: 'tourist' }, 'residenceStatus', '居住状态应为户籍、常住、流动或寄住'],
    [
      { documentType: 'passport', idNumber: 'E1234567', birthDate: '2099-01-01', gender: 'male' },
      'birthDate',
      '出生日期不能晚于今天',
    ],
    [{ birthDate: '1970-01-01' }, 'birthDate', null],
  ])('refuses %j with a 400 naming %s and writes nothing', async (patch, path, message) => {
    const before = await count('resident');
    const res = await post('/api/residents', worker, {
      name: '错误输入',
      idNumber: validIdNumber('1980-05-05'),
      ethnicity: '01',
      residenceStatus: 'registered',
      gridId: tree.grid.id,
      ...patch,
    });
    expect(res.statusCode, res.body).toBe(400);
    const field = res.json().fields.find((f: { path: string }) => f.path === path);
    expect(field, res.body).toBeTruthy();
    if (message) expect(field.message).toBe(message);
    expect(await count('resident')).toBe(before);
  });

  it('hides another community’s residents (404) and refuses to register there (403)', async () => {
    const r = await buildResident(t.ctx, tree.grid);
    expect((await get(`/api/residents/${r.id}`, neighbour)).statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/residents/${r.id}`,
          headers: neighbour,
          payload: { tags: [] },
        })
      ).statusCode,
    ).toBe(404);
    const res = await post('/api/residents', neighbour, {
      name: '越界',
      idNumber: validIdNumber(),
      ethnicity: '01',
      residenceStatus: 'registered',
      gridId: tree.grid.id,
    });
    expect(res.statusCode).toBe(403);
    const list = (await get('/api/residents?pageSize=200', neighbour)).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(r.id);
  });
});

describe('showing full ID numbers', () => {
  it('needs resident.readPII and a reason, and is audited without the values', async () => {
    const idNumber = validIdNumber('1990-07-07');
    const phone = validPhone();
    const r = await buildResident(t.ctx, tree.grid, { idNumber, phone });
    expect((await post(`/api/residents/${r.id}/reveal`, worker, { reason: '核对低保材料' })).statusCode).toBe(
      403,
    );
    const noReason = await post(`/api/residents/${r.id}/reveal`, secretary, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0]).toMatchObject({ path: 'reason', message: '请说明查看理由' });
    const res = await post(`/api/residents/${r.id}/reveal`, secretary, { reason: '核对低保材料' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ idNumber, phone });
    const events = rowsOf<{ action: string; summary: string; details: { reason: string } }>(
      await t.ctx.db.execute(
        sql`select * from audit_event where target_id = ${r.id} and action = 'resident.revealed'`,
      ),
    );
    expect(events).toHaveLength(1);
    expect(events[0].details.reason).toBe('核对低保材料');
    expect(JSON.stringify(events)).not.toContain(idNumber);
  });
});

describe('lists and search', () => {
  it('filters by name, pinyin initials, ID number (blind index), phone, tag, care group and subtree', async () => {
    const g = await buildOrgUnitGrid();
    const idNumber = validIdNumber('1940-02-02');
    const phone = validPhone();
    const old = await buildResident(t.ctx, g, { name: '张三丰', idNumber, phone, tags: ['veteran'] });
    const child = await buildResident(t.ctx, g, {
      name: '李小明',
      birthDate: '2015-09-01',
      tags: ['leftBehindChild'],
    });
    const poor = await buildResident(t.ctx, g, {
      name: '王低保',
      birthDate: '1985-01-01',
      tags: ['lowIncome'],
    });
    const ids = async (qs: string) =>
      (await get(`/api/residents?orgUnitId=${g.id}&${qs}`, worker))
        .json()
        .items.map((i: { id: string }) => i.id);
    expect(await ids('q=三丰')).toEqual([old.id]);
    expect(await ids('q=zsf')).toEqual([old.id]);
    expect(await ids(`idNumber=${idNumber.toLowerCase()}`)).toEqual([old.id]);
    expect(await ids(`phone=${phone}`)).toEqual([old.id]);
    expect(await ids('tag=veteran')).toEqual([old.id]);
    expect(await ids('careGroup=elderly')).toEqual([old.id]);
    expect(await ids('careGroup=child')).toEqual([child.id]);
    expect(await ids('careGroup=inDifficulty')).toEqual([poor.id]);
    expect(await ids('ageMin=30&ageMax=50')).toEqual([poor.id]);
    expect(await ids('sort=birthDate&order=asc')).toEqual([old.id, poor.id, child.id]);
    const page = (
      await get(`/api/residents?orgUnitId=${g.id}&pageSize=2&page=2&sort=name&order=asc`, worker)
    ).json();
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(1);
  });

  it('a departed person leaves the active list but stays in history', async () => {
    const g = await buildOrgUnitGrid();
    const r = await buildResident(t.ctx, g);
    const res = await post(`/api/residents/${r.id}/events`, worker, {
      kind: 'moveOut',
      date: '2026-01-15',
      note: '迁往呼和浩特',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'movedOut',
      events: [{ kind: 'moveOut', occurredOn: '2026-01-15' }],
    });
    expect((await get(`/api/residents?orgUnitId=${g.id}`, worker)).json().total).toBe(0);
    expect((await get(`/api/residents?orgUnitId=${g.id}&status=all`, worker)).json().total).toBe(1);
    const future = await post(`/api/residents/${r.id}/events`, worker, {
      kind: 'moveIn',
      date: '2099-01-01',
    });
    expect(future.json().fields[0]).toMatchObject({ path: 'date', message: '日期不能晚于今天' });
  });
});

describe('houses and households', () => {
  it('refuses a house in a building of another grid', async () => {
    const otherBuilding = await buildBuilding(t.ctx, tree.neighbourGrid);
    const res = await post('/api/houses', secretary, {
      gridId: tree.grid.id,
      buildingId: otherBuilding.id,
      room: '101',
      use: 'rented',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields[0]).toEqual({ path: 'buildingId', message: '楼栋不在所选网格内' });
  });

  it('builds a household with one head and refuses a resident in two households at once', async () => {
    const house = await buildHouse(t.ctx, tree.grid);
    const head = await buildResident(t.ctx, tree.grid);
    const wife = await buildResident(t.ctx, tree.grid, { gender: 'female' });
    const res = await post('/api/households', worker, {
      houseId: house.id,
      registrationType: 'registered',
      members: [
        { residentId: head.id, relation: '02' },
        { residentId: wife.id, relation: '12' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ headResidentId: head.id, address: house.address });
    expect(res.json().members).toHaveLength(2);
    expect((await get(`/api/residents/${wife.id}`, worker)).json()).toMatchObject({
      householdId: res.json().id,
      relation: '12',
      houseId: house.id,
    });

    const other = await buildHouse(t.ctx, tree.grid);
    const single = await buildResident(t.ctx, tree.grid);
    const before = await count('household');
    const twice = await post('/api/households', worker, {
      houseId: other.id,
      registrationType: 'unregistered',
      members: [
        { residentId: single.id, relation: '02' },
        { residentId: wife.id, relation: '10' },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().fields[0]).toMatchObject({ path: 'members.1.residentId' });
    expect(await count('household')).toBe(before);

    // A move cannot precede the household's forming (today); today it can.
    const early = await post(`/api/households/${res.json().id}/move`, worker, {
      houseId: other.id,
      date: '2026-03-01',
    });
    expect(early.json().fields[0].message).toMatch(/^日期不能早于该户上一次迁移或立户的日期/);
    const today = shanghaiToday();
    const moved = await post(`/api/households/${res.json().id}/move`, worker, {
      houseId: other.id,
      date: today,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().moves).toMatchObject([
      { fromAddress: null, toAddress: house.address },
      { fromAddress: house.address, toAddress: other.address, movedOn: today },
    ]);
    expect((await get(`/api/residents/${head.id}`, worker)).json().houseId).toBe(other.id);
  });

  it('changes the head (户主变更): the former head takes the relation given, never two heads, audited', async () => {
    const house = await buildHouse(t.ctx, tree.grid);
    const [father, son, wife] = [
      await buildResident(t.ctx, tree.grid),
      await buildResident(t.ctx, tree.grid),
      await buildResident(t.ctx, tree.grid, { gender: 'female' }),
    ];
    const hh = (
      await post('/api/households', worker, {
        houseId: house.id,
        registrationType: 'registered',
        members: [
          { residentId: father.id, relation: '02' },
          { residentId: son.id, relation: '20' },
          { residentId: wife.id, relation: '38' },
        ],
      })
    ).json();
    const url = `/api/households/${hh.id}/head`;
    const relations = async () =>
      Object.fromEntries(
        rowsOf<{ resident_id: string; relation: string }>(
          await t.ctx.db.execute(
            sql`select resident_id, relation from household_member where household_id = ${hh.id} and left_on is null`,
          ),
        ).map((m) => [m.resident_id, m.relation]),
      );
    const before = await relations();

    const missing = await post(url, worker, { residentId: son.id });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields[0]).toMatchObject({ path: 'formerHeadRelation' });
    const twoHeads = await post(url, worker, { residentId: son.id, formerHeadRelation: '02' });
    expect(twoHeads.json().fields[0]).toMatchObject({ path: 'formerHeadRelation' });
    const stranger = await buildResident(t.ctx, tree.grid);
    const notMember = await post(url, worker, { residentId: stranger.id, formerHeadRelation: '50' });
    expect(notMember.json().fields[0]).toEqual({ path: 'residentId', message: '该居民不是本户成员' });
    expect((await post(url, neighbour, { residentId: son.id, formerHeadRelation: '50' })).statusCode).toBe(
      404,
    );
    expect(await relations()).toEqual(before);

    const changed = await post(url, worker, { residentId: son.id, formerHeadRelation: '50' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().headResidentId).toBe(son.id);
    expect(await relations()).toEqual({ [father.id]: '50', [son.id]: '02', [wife.id]: '38' });
    const [entry] = rowsOf<{ details: Record<string, unknown> }>(
      await t.ctx.db.execute(
        sql`select details from audit_event where action = 'household.headChanged' and target_id = ${hh.id}`,
      ),
    );
    expect(entry.details).toMatchObject({ from: father.id, to: son.id, previousRelation: '20' });

    // The daughter-in-law is now the head's wife; the head's own relation is not changed this way.
    const patch = (residentId: string, relation: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/households/${hh.id}/members/${residentId}`,
        headers: worker,
        payload: { relation },
      });
    const wifeNow = await patch(wife.id, '12');
    expect(wifeNow.statusCode, wifeNow.body).toBe(200);
    expect(
      wifeNow.json().members.find((m: { residentId: string }) => m.residentId === wife.id).relation,
    ).toBe('12');
    expect((await patch(son.id, '20')).json().fields[0].path).toBe('relation');
    expect((await patch(wife.id, '02')).json().fields[0].message).toBe('设为户主请使用“户主变更”');
    expect((await patch(stranger.id, '20')).statusCode).toBe(404);

    // The head dies: the household has no head until a member becomes head, with no former head to place.
    const died = await post(`/api/residents/${son.id}/events`, worker, { kind: 'death', date: '2026-05-01' });
    expect(died.statusCode, died.body).toBe(200);
    expect((await get(`/api/households/${hh.id}`, worker)).json().headResidentId).toBeNull();
    const again = await post(url, worker, { residentId: father.id });
    expect(again.statusCode, again.body).toBe(200);
    expect(await relations()).toEqual({ [father.id]: '02', [wife.id]: '12' });
  });
});

let gridSerial = 0;
async function buildOrgUnitGrid() {
  const { buildOrgUnit } = await import('../factories/org.js');
  return buildOrgUnit(t.ctx.db, {
    parent: tree.community,
    kind: 'grid',
    code: `${tree.community.code}G${++gridSerial}`,
  });
}
