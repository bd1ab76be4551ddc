import { and, asc, eq, like } from 'drizzle-orm';
import type { Role } from '../../platform/auth/permissions.js';
import type { AppContext } from '../../platform/context.js';
import { idNumberCheckChar } from '../../platform/id-number.js';
import { phoneUsername } from '../accounts/phone-login.js';
import { accountRequest, user } from '../accounts/schema.js';
import { assignRole, createUser, findUserByLogin } from '../accounts/service.js';
import { orgUnit } from '../org/schema.js';
import type { DemoOrg, DemoPlace } from './org.js';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  orgUnitCode: string;
  orgUnitName: string;
  displayName: string;
}

export const demoPassword = 'Demo@Dongsheng2026';

interface Plan {
  username: string;
  displayName: string;
  role: Role;
  place: DemoPlace;
  /** Resident-side accounts: the phone they signed up with and the ID number the community confirmed. */
  resident?: { phone: string; idSeq: number };
}

/**
 * One account per role at realistic places of the demo district: the city and district, one
 * street, two communities of that street with a grid in each, a building in the first grid, a
 * department, and a resident, a party member and a volunteer living in the first grid.
 */
async function planAccounts(ctx: AppContext, org: DemoOrg): Promise<Plan[]> {
  const byParent = (parent: DemoPlace, kind: string) =>
    org.places.filter((p) => p.parentId === parent.id && p.kind === kind);
  const district = org.places.find((p) => p.id === org.districtId)!;
  const [city] = await ctx.db.select().from(orgUnit).where(eq(orgUnit.id, district.parentId!));
  // The first street with at least two communities that each have a grid.
  const street = byParent(district, 'street').find(
    (s) => byParent(s, 'community').filter((c) => byParent(c, 'grid').length > 0).length >= 2,
  )!;
  const [communityA, communityB] = byParent(street, 'community').filter(
    (c) => byParent(c, 'grid').length > 0,
  );
  const gridA = byParent(communityA, 'grid')[0];
  const gridB = byParent(communityB, 'grid')[0];
  const department = byParent(district, 'department')[0];
  const [buildingRow] = await ctx.db
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.kind, 'building'), like(orgUnit.code, `${gridA.code}%`)))
    .orderBy(asc(orgUnit.code))
    .limit(1);
  const building: DemoPlace = { ...buildingRow, path: buildingRow.path };
  const staff = (username: string, role: Role, place: DemoPlace, displayName: string): Plan => ({
    username,
    role,
    place,
    displayName,
  });
  return [
    staff('city', 'cityAdmin', city, '刘志强'),
    staff('district', 'districtStaff', district, '高娜'),
    staff('street', 'streetStaff', street, '郝文斌'),
    staff('secretary', 'communitySecretary', communityA, '白玉兰'),
    staff('worker', 'communityWorker', communityB, '张晓燕'),
    staff('gridleader', 'gridLeader', gridA, '乔海军'),
    staff('gridworker', 'gridWorker', gridB, '苏日娜'),
    staff('building', 'buildingLeader', building, '杨桂芳'),
    staff('department', 'departmentStaff', department, '田伟'),
    staff('partysecretary', 'partySecretary', communityA, '赵文华'),
    staff('recorder', 'partyRecorder', gridA, '韩雪'),
    {
      username: '13947700001',
      displayName: '其其格',
      role: 'resident',
      place: gridA,
      resident: { phone: '13947700001', idSeq: 2 },
    },
    {
      username: '13947700002',
      displayName: '王建军',
      role: 'partyMember',
      place: gridA,
      resident: { phone: '13947700002', idSeq: 1 },
    },
    {
      username: '13947700003',
      displayName: '李红梅',
      role: 'volunteer',
      place: gridB,
      resident: { phone: '13947700003', idSeq: 4 },
    },
  ];
}

/** A valid ID number for a demo person born in Dongsheng (checksum correct, clearly a demo birth date). */
export function demoIdNumber(seq: number) {
  const body = `15060219700101${String(seq).padStart(3, '0')}`;
  return body + idNumberCheckChar(body);
}

/** Demo passwords are public by design: the demo is for trying the system, never for real data. */
export async function seedDemoAccounts(ctx: AppContext, org: DemoOrg): Promise<DemoAccount[]> {
  const plans = await planAccounts(ctx, org);
  for (const p of plans) {
    if (await findUserByLogin(ctx, p.username)) continue;
    await ctx.db.transaction(async (tx) => {
      // Residents sign in with their phone, kept like any phone (see accounts/phone-login.ts).
      const u = await createUser(tx, {
        username: p.resident ? phoneUsername(p.resident.phone) : p.username,
        displayName: p.displayName,
        password: demoPassword,
        kind: p.resident ? 'resident' : 'staff',
      });
      await assignRole(tx, { userId: u.id, role: p.role, orgUnitId: p.place.id, orgPath: p.place.path });
      if (!p.resident) return;
      // A resident-side account as registration leaves it, already confirmed by the community.
      const { phone, idSeq } = p.resident;
      await tx
        .update(user)
        .set({ phoneEnc: ctx.pii.encrypt(phone), phoneHash: ctx.pii.blindIndex(phone), phoneLogin: true })
        .where(eq(user.id, u.id));
      if (p.role !== 'resident')
        await assignRole(tx, {
          userId: u.id,
          role: 'resident',
          orgUnitId: p.place.id,
          orgPath: p.place.path,
        });
      const id = demoIdNumber(idSeq);
      const decided = { status: 'approved', decidedAt: new Date() };
      const base = { userId: u.id, orgUnitId: p.place.id, orgPath: p.place.path, name: p.displayName };
      await tx.insert(accountRequest).values({
        ...base,
        ...decided,
        kind: 'resident',
        idNumberEnc: ctx.pii.encrypt(id),
        idNumberHash: ctx.pii.blindIndex(id),
      });
      if (p.role === 'partyMember')
        await tx
          .insert(accountRequest)
          .values({ ...base, ...decided, kind: 'partyMember', inService: false });
    });
  }
  return plans.map((p) => ({
    username: p.username,
    password: demoPassword,
    role: p.role,
    orgUnitCode: p.place.code,
    orgUnitName: p.place.name,
    displayName: p.displayName,
  }));
}

/** One line of the demo accounts table the CLI and the server print. */
export const demoAccountLine = (a: DemoAccount) =>
  `${a.username.padEnd(12)} ${a.password}  ${a.role.padEnd(18)} ${a.displayName} · ${a.orgUnitName}（${a.orgUnitCode}）`;
