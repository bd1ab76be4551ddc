import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHousehold } from '../../src/modules/people/households.js';
import { recordLifeEvent } from '../../src/modules/people/residents.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree, buildOrgUnit, type OrgUnitRow } from '../factories/org.js';
import { buildHouse, buildResident, factoryCaller, validIdNumber } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * 迁入申请 (issue 14): registering a person whose ID number is held in another community creates
 * nothing and tells nothing about where; the holding community (or a unit above it) accepts —
 * the person moves, with move-out and move-in events — or declines with a reason; a third
 * community neither sees nor decides.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let farGrid: OrgUnitRow;
type Headers = { authorization: string };
let requester: Headers; // community worker of A (tree.community)
let requesterId: string;
let holder: Headers; // community secretary of B (tree.neighbourCommunity)
let holderGridWorker: Headers; // grid worker in B: may write the register, not decide transfers
let third: Headers; // community worker of C (tree.farCommunity)
let street: Headers; // street staff above A and B

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  farGrid = await buildOrgUnit(t.ctx.db, {
    parent: tree.farCommunity,
    kind: 'grid',
    code: `${tree.farCommunity.code}01`,
  });
  const a = await buildUser(t, 'communityWorker', tree.community);
  requester = a.headers;
  requesterId = a.user.id;
  holder = (await buildUser(t, 'communitySecretary', tree.neighbourCommunity)).headers;
  holderGridWorker = (await buildUser(t, 'gridWorker', tree.neighbourGrid)).headers;
  third = (await buildUser(t, 'communityWorker', tree.farCommunity)).headers;
  street = (await buildUser(t, 'streetStaff', tree.street)).headers;
});
afterAll(() => t.close());

const send = (method: 'GET' | 'POST', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, payload });
const count = async (table: string) =>
  rowsOf<{ n: number }>(await t.ctx.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const idNumberOf = async (id: string) => {
  const [r] = rowsOf<{ c: string }>(
    await t.ctx.db.execute(sql`select id_number_cipher as c from resident where id = ${id}`),
  );
  return t.ctx.pii.decrypt(r.c);
};

/** Registers someone with this ID number in A, as A's worker would type them. */
const register = async (idNumber: string, extra: object = {}) =>
  send('POST', '/api/residents', requester, {
    name: '迁入人',
    idNumber,
    ethnicity: '01',
    residenceStatus: 'permanent',
    houseId: (await buildHouse(t.ctx, tree.grid)).id,
    ...extra,
  });

describe('registering a number held in another community', () => {
  it('answers 202 with a request and the same words whoever holds it, and creates no record', async () => {
    const inB = await buildResident(t.ctx, tree.neighbourGrid, { name: '巴图' });
    const inC = await buildResident(t.ctx, farGrid, { name: '其木格' });
    await recordLifeEvent(t.ctx, factoryCaller, inC.id, { kind: 'moveOut', date: '2025-03-01' });
    const residents = await count('resident');

    const houseId = (await buildHouse(t.ctx, tree.grid)).id;
    const b = await register(await idNumberOf(inB.id), { houseId });
    const c = await register(await idNumberOf(inC.id));
    for (const res of [b, c]) expect(res.statusCode, res.body).toBe(202);
    // Nothing tells one holder from another: not the record, its name, its place or its state.
    const strip = (body: Record<string, unknown>) => ({ ...body, transferRequestId: 'x' });
    expect(strip(b.json())).toEqual(strip(c.json()));
    expect(b.json()).toMatchObject({ status: 'pending', message: expect.stringContaining('迁入申请') });
    for (const leak of [
      inB.id,
      inB.name,
      tree.neighbourCommunity.name,
      tree.neighbourCommunity.path,
      '已迁出',
    ])
      expect(b.body + c.body).not.toContain(leak);
    expect(await count('resident')).toBe(residents);

    // Asking again for the same place answers the open request; a new number is simply registered.
    const again = await register(await idNumberOf(inB.id), { houseId });
    expect(again.json().transferRequestId).toBe(b.json().transferRequestId);
    expect((await register(validIdNumber('1990-02-02'))).statusCode).toBe(201);
  });
});

describe('deciding a 迁入申请', () => {
  it('the holding community accepts: the person moves into the requested household with their history', async () => {
    const person = await buildResident(t.ctx, tree.neighbourGrid, { name: '敖登' });
    const head = await buildResident(t.ctx, tree.grid, { name: '户主甲' });
    const hh = await createHousehold(t.ctx, factoryCaller, {
      houseId: head.houseId!,
      registrationType: 'registered',
      members: [{ residentId: head.id, relation: '02' }],
    });
    const sent = await register(await idNumberOf(person.id), {
      name: '敖登（迁入）',
      household: { householdId: hh.id, relation: '10' },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const id = sent.json().transferRequestId;

    // The requester follows it without learning where the person is registered.
    const out = await send('GET', '/api/resident-transfers/outgoing?status=pending', requester);
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json().items).toContainEqual(
      expect.objectContaining({ id, name: '敖登（迁入）', status: 'pending', residentId: null }),
    );
    expect(out.body).not.toContain(tree.neighbourCommunity.name);
    expect(out.body).not.toContain(person.id);

    // The holder sees it with their own record; a third community neither sees nor decides.
    const inbox = await send('GET', '/api/resident-transfers/incoming', holder);
    expect(inbox.json().items).toContainEqual(
      expect.objectContaining({ id, residentId: person.id, residentName: '敖登', status: 'pending' }),
    );
    const theirs = await send('GET', '/api/resident-transfers/incoming', third);
    expect(theirs.json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await send('POST', `/api/resident-transfers/${id}/accept`, third)).statusCode).toBe(404);
    expect(
      (await send('POST', `/api/resident-transfers/${id}/decline`, third, { reason: '不同意' })).statusCode,
    ).toBe(404);
    expect((await send('POST', `/api/resident-transfers/${id}/accept`, holderGridWorker)).statusCode).toBe(
      403,
    );
    expect((await send('POST', `/api/resident-transfers/${id}/accept`, requester)).statusCode).toBe(404);

    const ok = await send('POST', `/api/resident-transfers/${id}/accept`, holder);
    expect(ok.statusCode, ok.body).toBe(200);
    const moved = await send('GET', `/api/residents/${person.id}`, requester);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      status: 'active',
      residenceStatus: 'permanent',
      gridId: tree.grid.id,
      houseId: head.houseId,
      householdId: hh.id,
      relation: '10',
    });
    expect(moved.json().events.map((e: { kind: string }) => e.kind)).toEqual(['moveOut', 'moveIn']);
    expect((await send('GET', `/api/residents/${person.id}`, holder)).statusCode).toBe(404);

    const after = await send('GET', '/api/resident-transfers/outgoing?status=accepted', requester);
    expect(after.json().items).toContainEqual(
      expect.objectContaining({ id, status: 'accepted', residentId: person.id }),
    );
    // B holds the person no more: the decided request is out of its reach.
    expect((await send('POST', `/api/resident-transfers/${id}/accept`, holder)).statusCode).toBe(404);

    const audits = rowsOf<{ action: string }>(
      await t.ctx.db.execute(
        sql`select action from audit_event where target_id in (${id}, ${person.id}) order by at`,
      ),
    ).map((a) => a.action);
    expect(audits).toEqual(
      expect.arrayContaining(['resident.transferRequested', 'resident.transferAccepted']),
    );
    const [note] = rowsOf<{ title: string }>(
      await t.ctx.db.execute(
        sql`select title from notification where user_id = ${requesterId} and target_id = ${id}`,
      ),
    );
    expect(note.title).toContain('已同意');
  });

  it('a unit above the holder declines with a reason: the person stays and the requester reads why', async () => {
    const person = await buildResident(t.ctx, tree.neighbourGrid, { name: '孟和' });
    const id = (await register(await idNumberOf(person.id))).json().transferRequestId;
    const noReason = await send('POST', `/api/resident-transfers/${id}/decline`, street, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0]).toMatchObject({
      path: 'reason',
      message: '请说明拒绝理由（至少 2 个字）',
    });

    const res = await send('POST', `/api/resident-transfers/${id}/decline`, street, {
      reason: '本人未申请迁出',
    });
    expect(res.statusCode, res.body).toBe(200);
    const stays = await send('GET', `/api/residents/${person.id}`, holder);
    expect(stays.json()).toMatchObject({
      status: 'active',
      gridId: tree.neighbourGrid.id,
      houseId: person.houseId,
    });
    expect(stays.json().events).toEqual([]);
    expect((await send('GET', `/api/residents/${person.id}`, requester)).statusCode).toBe(404);
    const out = await send('GET', '/api/resident-transfers/outgoing?status=declined', requester);
    expect(out.json().items).toContainEqual(
      expect.objectContaining({ id, status: 'declined', reason: '本人未申请迁出', residentId: null }),
    );
    expect((await send('POST', `/api/resident-transfers/${id}/accept`, holder)).statusCode).toBe(409);
  });
});
