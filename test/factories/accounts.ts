import { assignRole, createUser } from '../../src/modules/accounts/service.js';
import type { Role } from '../../src/platform/auth/permissions.js';
import type { TestApp } from '../helpers/app.js';
import type { OrgUnitRow } from './org.js';

export const testPassword = 'Test-Pass-2026x';
let serial = 0;

/**
 * A user holding `role` at `orgUnit` (null: whole system), logged in. Returns the row and headers
 * carrying their bearer token.
 */
export async function buildUser(
  t: TestApp,
  role: Role,
  orgUnit: OrgUnitRow | null,
  overrides: { username?: string; displayName?: string; kind?: 'staff' | 'resident' } = {},
) {
  serial += 1;
  const username = overrides.username ?? `${role}${serial}`;
  const user = await t.ctx.db.transaction(async (tx) => {
    const u = await createUser(tx, {
      username,
      displayName: overrides.displayName ?? `${role} ${serial}`,
      password: testPassword,
      kind:
        overrides.kind ?? (['resident', 'partyMember', 'volunteer'].includes(role) ? 'resident' : 'staff'),
    });
    await assignRole(tx, {
      userId: u.id,
      role,
      orgUnitId: orgUnit?.id ?? null,
      orgPath: orgUnit?.path ?? null,
    });
    return u;
  });
  return { user, headers: await t.login(username, testPassword) };
}
