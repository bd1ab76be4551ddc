import { user as userTable } from '../../src/modules/accounts/schema.js';
import { assignRole } from '../../src/modules/accounts/service.js';
import { createSession } from '../../src/modules/accounts/sessions.js';
import { hashPassword } from '../../src/platform/auth/password.js';
import type { Role } from '../../src/platform/auth/permissions.js';
import { buildOrgUnit, type OrgUnitRow } from '../factories/org.js';
import type { TestApp } from '../helpers/app.js';

/**
 * Two mirror-image branches of one region. A role is held somewhere in branch A ("home"); the
 * same kind of place in branch B is outside every home, so it is the "outside" target.
 */
export interface Branch {
  city: OrgUnitRow;
  district: OrgUnitRow;
  street: OrgUnitRow;
  community: OrgUnitRow;
  grid: OrgUnitRow;
  building: OrgUnitRow;
  department: OrgUnitRow;
}

export interface World {
  t: TestApp;
  a: Branch;
  b: Branch;
  /** Where each role is held in branch A (null: the whole system). */
  home(role: Role): OrgUnitRow | null;
  /** The same kind of place in branch B. */
  mirror(unit: OrgUnitRow | null): OrgUnitRow | null;
  /** A fresh user holding `role` at `place`, with a bearer header (no login round trip). */
  user(
    role: Role,
    place: OrgUnitRow | null,
  ): Promise<{ id: string; username: string; headers: { authorization: string } }>;
}

let serial = 0;
// The matrix makes a fresh user for every case (thousands): one argon2 hash shared by all of them
// keeps that cost off the run (hashing was most of the matrix's time).
let sharedHash: Promise<string> | undefined;

async function branch(t: TestApp, region: OrgUnitRow, n: number): Promise<Branch> {
  const city = await buildOrgUnit(t.ctx.db, { parent: region, kind: 'city', code: `${region.code}0${n}` });
  const district = await buildOrgUnit(t.ctx.db, { parent: city, kind: 'district', code: `${city.code}02` });
  const street = await buildOrgUnit(t.ctx.db, {
    parent: district,
    kind: 'street',
    code: `${district.code}001`,
  });
  const community = await buildOrgUnit(t.ctx.db, {
    parent: street,
    kind: 'community',
    code: `${street.code}001`,
  });
  const grid = await buildOrgUnit(t.ctx.db, { parent: community, kind: 'grid', code: `${community.code}01` });
  const building = await buildOrgUnit(t.ctx.db, { parent: grid, kind: 'building', code: `${grid.code}B001` });
  const department = await buildOrgUnit(t.ctx.db, {
    parent: district,
    kind: 'department',
    code: `${district.code}D01`,
  });
  return { city, district, street, community, grid, building, department };
}

const homeKind: Record<Role, keyof Branch | null> = {
  systemAdmin: null,
  cityAdmin: 'city',
  districtStaff: 'district',
  streetStaff: 'street',
  communitySecretary: 'community',
  communityWorker: 'community',
  gridLeader: 'grid',
  gridWorker: 'grid',
  buildingLeader: 'building',
  departmentStaff: 'department',
  partySecretary: 'grid',
  partyRecorder: 'grid',
  partyMember: 'grid',
  volunteer: 'grid',
  resident: 'grid',
};

export async function buildWorld(t: TestApp): Promise<World> {
  const region = await buildOrgUnit(t.ctx.db, { kind: 'region', code: '88' });
  const a = await branch(t, region, 1);
  const b = await branch(t, region, 2);
  return {
    t,
    a,
    b,
    home: (role) => (homeKind[role] ? a[homeKind[role]!] : null),
    mirror: (unit) => {
      if (!unit) return null;
      const key = (Object.keys(a) as (keyof Branch)[]).find((k) => a[k].id === unit.id);
      return key ? b[key] : unit;
    },
    async user(role, place) {
      serial += 1;
      const username = `m${role}${serial}`;
      sharedHash ??= hashPassword('Matrix-Pass-2026');
      const [u] = await t.ctx.db
        .insert(userTable)
        .values({
          username,
          displayName: `${role} ${serial}`,
          passwordHash: await sharedHash,
          kind: ['resident', 'partyMember', 'volunteer'].includes(role) ? 'resident' : 'staff',
        })
        .returning();
      await assignRole(t.ctx.db, {
        userId: u.id,
        role,
        orgUnitId: place?.id ?? null,
        orgPath: place?.path ?? null,
      });
      const { token } = await createSession(t.ctx.db, t.ctx, u.id, { ip: '127.0.0.1' });
      return { id: u.id, username, headers: { authorization: `Bearer ${token}` } };
    },
  };
}
