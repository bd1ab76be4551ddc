import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHousehold } from '../../src/modules/people/households.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit, type OrgUnitRow } from '../factories/org.js';
import { buildHouse, buildResident, factoryCaller } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let grid: OrgUnitRow;
let worker: { authorization: string };
let gridWorker: { authorization: string };
let neighbour: { authorization: string };
let elder: { id: string };

/**
 * A grid with six active residents, one per age band, and one who moved out (counted nowhere).
 * Every expected number below is counted by hand from this list (today is after 2026-06-15).
 */
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  grid = await buildOrgUnit(t.ctx.db, {
    parent: tree.community,
    kind: 'grid',
    code: `${tree.community.code}S1`,
  });
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers;
  gridWorker = (await buildUser(t, 'gridWorker', grid)).headers;
  neighbour = (await buildUser(t, 'communityWorker', tree.neighbourCommunity)).headers;
  const ctx = t.ctx;
  const home = await buildHouse(ctx, grid, { use: 'selfOccupied' });
  const rented = await buildHouse(ctx, grid, { use: 'rented' });
  const vacant = await buildHouse(ctx, grid, { use: 'vacant' });
  const shop = await buildHouse(ctx, grid, { use: 'business' });
  elder = await buildResident(ctx, grid, {
    birthDate: '1940-01-01',
    gender: 'male',
    ethnicity: '02',
    tags: ['livesAlone'],
    houseId: home.id,
  });
  const wife = await buildResident(ctx, grid, {
    birthDate: '1960-06-15',
    gender: 'female',
    residenceStatus: 'permanent',
    tags: ['lowIncome'],
    houseId: home.id,
  });
  await buildResident(ctx, grid, {
    birthDate: '1990-01-01',
    gender: 'female',
    residenceStatus: 'floating',
    houseId: rented.id,
  });
  await buildResident(ctx, grid, {
    birthDate: '2000-03-03',
    gender: 'male',
    ethnicity: '03',
    tags: ['veteran'],
    houseId: vacant.id,
  });
  await buildResident(ctx, grid, {
    birthDate: '2015-05-05',
    gender: 'male',
    tags: ['leftBehindChild'],
    houseId: shop.id,
  });
  await buildResident(ctx, grid, {
    birthDate: '2023-01-01',
    gender: 'female',
    ethnicity: '02',
    houseId: shop.id,
  });
  const gone = await buildResident(ctx, grid, { birthDate: '1970-01-01', gender: 'male' });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/residents/${gone.id}/events`,
    headers: worker,
    payload: { kind: 'moveOut', date: '2026-01-01' },
  });
  expect(res.statusCode, res.body).toBe(200);
  await createHousehold(ctx, factoryCaller, {
    houseId: home.id,
    registrationType: 'registered',
    members: [
      { residentId: elder.id, relation: '02' },
      { residentId: wife.id, relation: '12' },
    ],
  });
});
afterAll(() => t.close());

describe('people statistics', () => {
  it('counts an org unit’s active residents, households and houses as a person would by hand', async () => {
    const res = await t.app.inject({ url: `/api/people/stats?orgUnitId=${grid.id}`, headers: worker });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      orgUnitId: grid.id,
      residents: 6,
      ageBands: { '0-6': 1, '7-17': 1, '18-34': 1, '35-59': 1, '60-79': 1, '80+': 1 },
      gender: { male: 3, female: 3 },
      ethnicity: { '01': 3, '02': 2, '03': 1 },
      residenceStatus: { registered: 4, permanent: 1, floating: 1 },
      careGroups: { elderly: 2, advancedAge: 1, child: 2, inDifficulty: 1 },
      tags: { livesAlone: 1, lowIncome: 1, veteran: 1, leftBehindChild: 1 },
      households: 1,
      houses: 5,
      housesByUse: { selfOccupied: 2, rented: 1, vacant: 1, business: 1 },
    });
    // The community holds the grid: the same people at least.
    const community = (
      await t.app.inject({ url: `/api/people/stats?orgUnitId=${tree.community.id}`, headers: worker })
    ).json();
    expect(community.residents).toBeGreaterThanOrEqual(6);
  });

  it('hides another community’s statistics', async () => {
    const res = await t.app.inject({ url: `/api/people/stats?orgUnitId=${grid.id}`, headers: neighbour });
    expect(res.statusCode).toBe(404);
    const own = (await t.app.inject({ url: '/api/people/stats', headers: neighbour })).json();
    expect(own.residents).toBe(0);
  });
});

describe('my grid and household visits', () => {
  it('gives a grid worker their grid: buildings, houses, residents summary', async () => {
    const res = await t.app.inject({ url: '/api/my-grid', headers: gridWorker });
    expect(res.statusCode, res.body).toBe(200);
    const [g, ...others] = res.json().grids;
    expect(others).toEqual([]);
    expect(g).toMatchObject({
      id: grid.id,
      houses: 5,
      residents: {
        total: 6,
        elderly: 2,
        child: 2,
        tags: { livesAlone: 1, lowIncome: 1, veteran: 1, leftBehindChild: 1 },
      },
    });
    expect(g.buildings).toHaveLength(5);
    expect(g.buildings.reduce((s: number, b: { residents: number }) => s + b.residents, 0)).toBe(6);
  });

  it('records a visit with a photo and tag updates, and lists it', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const body = multipartBody({}, [{ name: 'visit.png', type: 'image/png', bytes: png }]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...gridWorker, ...body.headers },
      payload: body.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const photoId = up.json().id;
    const payload = {
      notes: '老人身体尚好，子女每周来看望',
      photoIds: [photoId],
      tagsAdded: ['emptyNest'],
      tagsRemoved: ['livesAlone'],
    };
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/residents/${elder.id}/visits`,
      headers: gridWorker,
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      notes: payload.notes,
      photos: [{ id: photoId }],
      tagsAdded: ['emptyNest'],
      tagsRemoved: ['livesAlone'],
    });
    expect(res.json().householdId).toBeTruthy();
    const person = (await t.app.inject({ url: `/api/residents/${elder.id}`, headers: worker })).json();
    expect(person.tags).toEqual(['emptyNest']);
    const list = (await t.app.inject({ url: `/api/residents/${elder.id}/visits`, headers: worker })).json();
    expect(list.total).toBe(1);
    expect(list.items[0].notes).toBe(payload.notes);

    // The photo now belongs to the visit: it cannot be used again.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/residents/${elder.id}/visits`,
      headers: gridWorker,
      payload: { notes: '再次', photoIds: [photoId] },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().fields[0].path).toBe('photoIds');
    const empty = await t.app.inject({
      method: 'POST',
      url: `/api/residents/${elder.id}/visits`,
      headers: gridWorker,
      payload: { notes: '' },
    });
    expect(empty.json().fields[0]).toMatchObject({ path: 'notes', message: '请填写走访记录' });
    expect(
      (await t.app.inject({ url: `/api/residents/${elder.id}/visits`, headers: neighbour })).statusCode,
    ).toBe(404);
  });

  it('records a visit sent again with its Idempotency-Key once, racing copies included', async () => {
    const visits = async () =>
      (await t.app.inject({ url: `/api/residents/${elder.id}/visits`, headers: worker })).json().total;
    const before = await visits();
    const send = (key: string, residentId = elder.id, notes = '送去冬季取暖补贴申请表') =>
      t.app.inject({
        method: 'POST',
        url: `/api/residents/${residentId}/visits`,
        headers: { ...gridWorker, 'idempotency-key': key },
        payload: { notes, tagsAdded: ['lowIncome'] },
      });
    // The outbox resends after a lost answer, four times at once.
    const answers = await Promise.all([1, 2, 3, 4].map(() => send('visit-key-0001')));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(answers.filter((a) => a.json().replayed)).toHaveLength(3);
    expect(await visits()).toBe(before + 1);
    // A later retry: the same visit, nothing changed.
    const later = await send('visit-key-0001', elder.id, '改过的记录');
    expect(later.statusCode).toBe(200);
    expect(later.json()).toMatchObject({ id: answers[0].json().id, notes: '送去冬季取暖补贴申请表' });
    expect(await visits()).toBe(before + 1);
    // The key used for another resident's visit is refused, in Chinese.
    const other = await buildResident(t.ctx, grid, { name: '邻居' });
    const reused = await send('visit-key-0001', other.id);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().message).toContain('Idempotency-Key');
    // A new key is a new visit.
    expect((await send('visit-key-0002')).statusCode).toBe(201);
    expect(await visits()).toBe(before + 2);
  });
});
