import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleAssignment, user } from '../../src/modules/accounts/schema.js';
import { assignRole } from '../../src/modules/accounts/service.js';
import { type Role, roles } from '../../src/platform/auth/permissions.js';
import { buildWorld, type World } from '../authz/world.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let world: World;
beforeAll(async () => {
  t = await createTestApp();
  world = await buildWorld(t);
});
afterAll(() => t.close());

/**
 * Who may reset whose password, each role held at its usual place of one branch (the demo's
 * places: city, district, street, community, grid, building, a district department; residents in
 * the grid). Rows: the manager; columns: the account's one role, in `roles` order.
 *   ✓ 200   · 403 (a peer, someone senior, or no user.manage at all)   – 404 (outside their subtree)
 */
const columns = roles.join(' ');
const expectedTable: Record<Role, string> = {
  // columns:          sA cA dS sS cS cW gL gW bL dp pS pR pM vo re
  systemAdmin: '·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓',
  cityAdmin: '–  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓',
  districtStaff: '–  –  ·  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓  ✓',
  streetStaff: '–  –  –  ·  ✓  ✓  ✓  ✓  ✓  –  ✓  ✓  ✓  ✓  ✓',
  communitySecretary: '–  –  –  –  ·  ✓  ✓  ✓  ✓  –  ✓  ✓  ✓  ✓  ✓',
  communityWorker: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  gridLeader: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  gridWorker: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  buildingLeader: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  departmentStaff: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  partySecretary: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  partyRecorder: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  partyMember: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  volunteer: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
  resident: '·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·',
};
const managing: Role[] = ['systemAdmin', 'cityAdmin', 'districtStaff', 'streetStaff', 'communitySecretary'];
const symbol: Record<string, number> = { '✓': 200, '·': 403, '–': 404 };
const expectedFor = (manager: Role, target: Role) =>
  symbol[expectedTable[manager].split(/\s+/)[roles.indexOf(target)]];

/** An account holding each of `held` at that role's usual place. */
async function account(held: Role[]) {
  const [first, ...rest] = held;
  const u = await world.user(first, world.home(first));
  for (const role of rest) {
    const place = world.home(role);
    await assignRole(t.ctx.db, {
      userId: u.id,
      role,
      orgUnitId: place?.id ?? null,
      orgPath: place?.path ?? null,
    });
  }
  return u;
}

const resetPassword = async (managerHeaders: Record<string, string>, targetId: string) =>
  (
    await t.app.inject({
      method: 'POST',
      url: `/api/users/${targetId}/reset-password`,
      headers: managerHeaders,
    })
  ).statusCode;

describe('a manager manages only accounts whose every role lies below them, inside their subtree', () => {
  it('holds for every pair of roles, and for every account holding two of them', async () => {
    expect(columns.split(' ')).toHaveLength(15);
    const managers = new Map<Role, Record<string, string>>();
    for (const role of roles) managers.set(role, (await world.user(role, world.home(role))).headers);

    const single = new Map<Role, string>();
    for (const role of roles) single.set(role, (await account([role])).id);
    const pairs: [Role, Role, string][] = [];
    for (let i = 0; i < roles.length; i++)
      for (let j = i + 1; j < roles.length; j++)
        pairs.push([roles[i], roles[j], (await account([roles[i], roles[j]])).id]);

    const failures: string[] = [];
    for (const manager of roles) {
      const headers = managers.get(manager)!;
      for (const target of roles) {
        const got = await resetPassword(headers, single.get(target)!);
        const want = expectedFor(manager, target);
        if (got !== want) failures.push(`${manager} → ${target}: expected ${want}, got ${got}`);
      }
      // Two roles: hidden only when both are outside; manageable only when both are. (Roles without
      // user.manage are refused before any account is looked at: the singles show it.)
      if (!managing.includes(manager)) continue;
      for (const [r1, r2, id] of pairs) {
        const [a, b] = [expectedFor(manager, r1), expectedFor(manager, r2)];
        const want = a === 404 && b === 404 ? 404 : a === 200 && b === 200 ? 200 : 403;
        const got = await resetPassword(headers, id);
        if (got !== want) failures.push(`${manager} → ${r1}+${r2}: expected ${want}, got ${got}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('a community secretary cannot touch a district account that also works in their community', async () => {
    const secretary = await world.user('communitySecretary', world.a.community);
    const senior = await account(['districtStaff', 'communityWorker']);
    const [before] = await t.ctx.db.select().from(user).where(eq(user.id, senior.id));
    const assignments = (
      await t.app.inject({ url: `/api/users/${senior.id}`, headers: secretary.headers })
    ).json().assignments;
    expect(assignments).toHaveLength(2);
    const worker = assignments.find((a: any) => a.role === 'communityWorker');
    const attempts = [
      { method: 'POST', url: `/api/users/${senior.id}/reset-password` },
      { method: 'PATCH', url: `/api/users/${senior.id}`, payload: { status: 'disabled' } },
      { method: 'PATCH', url: `/api/users/${senior.id}`, payload: { displayName: '改名' } },
      {
        method: 'POST',
        url: `/api/users/${senior.id}/roles`,
        payload: { role: 'gridWorker', orgUnitId: world.a.grid.id },
      },
      { method: 'DELETE', url: `/api/users/${senior.id}/roles/${worker.id}` },
      { method: 'DELETE', url: `/api/users/${senior.id}/sessions` },
    ] as const;
    for (const a of attempts) {
      const res = await t.app.inject({ ...a, headers: secretary.headers } as any);
      expect(res.statusCode, `${a.method} ${a.url}`).toBe(403);
    }
    const [after] = await t.ctx.db.select().from(user).where(eq(user.id, senior.id));
    expect(after).toMatchObject({
      passwordHash: before.passwordHash,
      status: 'active',
      displayName: before.displayName,
    });
    const held = await t.ctx.db.select().from(roleAssignment).where(eq(roleAssignment.userId, senior.id));
    expect(held.map((h) => [h.role, h.revokedAt])).toEqual([
      ['districtStaff', null],
      ['communityWorker', null],
    ]);
    // Their session still works.
    expect((await t.app.inject({ url: '/api/auth/me', headers: senior.headers })).statusCode).toBe(200);
    // Another district account is a peer of the district role; the city, above both roles, may.
    const district = await world.user('districtStaff', world.a.district);
    expect(await resetPassword(district.headers, senior.id)).toBe(403);
    const city = await world.user('cityAdmin', world.a.city);
    expect(await resetPassword(city.headers, senior.id)).toBe(200);
  });

  it('nobody hands out a role at their own level: it would be an account they could not manage', async () => {
    const secretary = await world.user('communitySecretary', world.a.community);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: secretary.headers,
      payload: {
        username: 'peer-secretary',
        displayName: '同级',
        role: 'communitySecretary',
        orgUnitId: world.a.community.id,
      },
    });
    expect(res.statusCode).toBe(403);
    const below = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: secretary.headers,
      payload: {
        username: 'new-worker',
        displayName: '新社工',
        role: 'communityWorker',
        orgUnitId: world.a.community.id,
      },
    });
    expect(below.statusCode).toBe(201);
  });
});
