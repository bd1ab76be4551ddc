import { eq } from 'drizzle-orm';
import { createMember } from '../../src/modules/party/members.js';
import { createPartyOrg, type PartyOrgInput } from '../../src/modules/party/orgs.js';
import { partyMember } from '../../src/modules/party/schema.js';
import type { AppContext } from '../../src/platform/context.js';
import type { TestApp } from '../helpers/app.js';
import { buildUser } from './accounts.js';
import type { OrgUnitRow } from './org.js';
import { buildResident, factoryCaller } from './people.js';

let serial = 0;

/** A party organisation at an org unit (a grid gets a 党支部 by default). */
export function buildPartyOrg(ctx: AppContext, unit: OrgUnitRow, overrides: Partial<PartyOrgInput> = {}) {
  serial += 1;
  return createPartyOrg(ctx, factoryCaller, {
    kind: unit.kind === 'grid' ? 'branch' : 'committee',
    name: `${unit.name}党${unit.kind === 'grid' ? '支部' : '委'}${serial}`,
    orgUnitId: unit.id,
    ...overrides,
  });
}

/** A resident of `grid` registered as a member of `orgId`. */
export async function buildPartyMember(ctx: AppContext, grid: OrgUnitRow, orgId: string, name?: string) {
  const person = await buildResident(ctx, grid, name ? { name } : {});
  return createMember(ctx, factoryCaller, {
    residentId: person.id,
    partyOrgId: orgId,
    joinedOn: '2010-07-01',
  });
}

/** The 5+X catalogue as 巴林左旗 scores it: five fixed categories and one item of the branch's own. */
export const catalogItems = [
  { category: 'study', name: '参加支部“三会一课”', points: 2, capPerQuarter: 6 },
  { category: 'service', name: '为群众办实事', points: 3, capPerQuarter: 9 },
  { category: 'prosperity', name: '带领群众致富', points: 4, capPerQuarter: 8 },
  { category: 'discipline', name: '无故缺席组织生活', points: -2, capPerQuarter: 6 },
  { category: 'integrity', name: '调解邻里纠纷', points: 2, capPerQuarter: 4 },
  { category: 'x', name: '参与环境卫生整治', points: 1, capPerQuarter: 3 },
] as const;

/** A member of `orgId` living in `grid` who signs in (a partyMember account linked to the record). */
export async function buildMemberAccount(
  t: TestApp,
  grid: OrgUnitRow,
  orgId: string,
  opts: { name?: string; inService?: boolean; workplace?: string } = {},
) {
  const person = await buildResident(t.ctx, grid, opts.name ? { name: opts.name } : {});
  const member = await createMember(t.ctx, factoryCaller, {
    residentId: person.id,
    partyOrgId: orgId,
    joinedOn: '2012-07-01',
    inService: opts.inService ?? false,
    workplace: opts.inService ? (opts.workplace ?? '测试住建局') : null,
  });
  const account = await buildUser(t, 'partyMember', grid);
  await t.ctx.db.update(partyMember).set({ userId: account.user.id }).where(eq(partyMember.id, member.id));
  return { member, headers: account.headers };
}
