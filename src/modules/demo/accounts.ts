import type { Role } from '../../platform/auth/permissions.js';
import type { AppContext } from '../../platform/context.js';
import { assignRole, createUser, findUserByUsername } from '../accounts/service.js';
import { type DemoOrg, demoDistrictCode } from './org.js';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  orgUnitCode: string;
  displayName: string;
}

export const demoPassword = 'Demo@Dongsheng2026';

/** Demo passwords are public by design: the demo is for trying the system, never for real data. */
export async function seedDemoAccounts(ctx: AppContext, org: DemoOrg): Promise<DemoAccount[]> {
  const accounts: (DemoAccount & { orgUnitId: string; orgPath: string })[] = [
    {
      username: 'district',
      password: demoPassword,
      role: 'districtStaff',
      orgUnitCode: demoDistrictCode,
      displayName: '东胜区 区级工作人员',
      orgUnitId: org.districtId,
      orgPath: org.districtPath,
    },
  ];
  for (const a of accounts) {
    if (await findUserByUsername(ctx.db, a.username)) continue;
    await ctx.db.transaction(async (tx) => {
      const u = await createUser(tx, {
        username: a.username,
        displayName: a.displayName,
        password: a.password,
      });
      await assignRole(tx, { userId: u.id, role: a.role, orgUnitId: a.orgUnitId, orgPath: a.orgPath });
    });
  }
  return accounts.map(({ orgUnitId: _id, orgPath: _p, ...rest }) => rest);
}
