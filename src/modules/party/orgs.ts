import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { invalid, notFound } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';
import type { PartyOrgKind } from './rules.js';
import { partyMember, partyOrg } from './schema.js';

export type PartyOrgRow = typeof partyOrg.$inferSelect;

/** Which org units each kind of organisation may serve (the seeds' 街道党工委—社区党委—网格党支部—楼栋党小组). */
const unitKinds: Record<PartyOrgKind, string[]> = {
  workCommittee: ['street', 'district'],
  committee: ['community', 'street', 'organisation', 'district'],
  generalBranch: ['community', 'organisation'],
  branch: ['grid', 'community', 'organisation', 'department'],
  group: ['building', 'grid'],
};

export async function findPartyOrg(ex: Executor, id: string): Promise<PartyOrgRow | null> {
  const [row] = await ex.select().from(partyOrg).where(eq(partyOrg.id, id));
  return row ?? null;
}

/** The organisation, checked readable (404 outside the caller's subtree). */
export async function readablePartyOrg(ex: Executor, caller: Caller, id: string) {
  const org = await findPartyOrg(ex, id);
  if (!org) throw notFound();
  authorize(caller.user, 'party.read', org.orgPath);
  return org;
}

export interface PartyOrgInput {
  kind: PartyOrgKind;
  name: string;
  orgUnitId: string;
  parentId?: string | null;
  foundedOn?: string | null;
}

/** Founds an organisation at an org unit; below the top it hangs under the organisation of an enclosing unit. */
export async function createPartyOrg(ctx: AppContext, caller: Caller, input: PartyOrgInput) {
  return ctx.db.transaction(async (tx) => {
    const unit = await findOrgUnit(tx, input.orgUnitId);
    if (!unit) throw invalid('orgUnitId', '所在单位不存在');
    authorize(caller.user, 'party.manage', unit.path, { outside: 'forbidden' });
    if (!unitKinds[input.kind].includes(unit.kind))
      throw invalid('orgUnitId', `该类党组织不能设在此类单位（${unit.name}）`);
    let parent: PartyOrgRow | null = null;
    if (input.parentId) {
      parent = await findPartyOrg(tx, input.parentId);
      if (!parent) throw invalid('parentId', '上级党组织不存在');
      const within = unit.path === parent.orgPath || unit.path.startsWith(`${parent.orgPath}.`);
      if (!within) throw invalid('parentId', '上级党组织须设在本单位或其上级单位');
      if (parent.kind === 'group') throw invalid('parentId', '党小组下不能再设党组织');
    } else if (input.kind === 'group') throw invalid('parentId', '党小组须隶属于一个党支部');
    const [row] = await tx
      .insert(partyOrg)
      .values({
        kind: input.kind,
        name: input.name,
        parentId: parent?.id ?? null,
        orgUnitId: unit.id,
        orgPath: unit.path,
        districtCode: unit.districtCode,
        foundedOn: input.foundedOn ?? null,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.org.created',
      targetType: 'partyOrg',
      targetId: row.id,
      orgPath: row.orgPath,
      summary: `成立党组织：${row.name}`,
    });
    return row;
  });
}

/** Organisations in the caller's subtree with their member counts, parents first (the client draws the tree). */
export async function listPartyOrgs(ctx: AppContext, caller: Caller, q: { orgUnitId?: string }) {
  const scope = scopeFilter(caller.user, 'party.read', sql`o.org_path`);
  let under = sql``;
  if (q.orgUnitId) {
    const unit = await findOrgUnit(ctx.db, q.orgUnitId);
    if (!unit) throw invalid('orgUnitId', '单位不存在');
    under = sql`and o.org_path <@ ${unit.path}::ltree`;
  }
  const rows = await ctx.db.execute(sql`
    select o.id, o.kind, o.name, o.parent_id as "parentId", o.org_unit_id as "orgUnitId",
      u.name as "orgUnitName", o.org_path::text as "orgPath", o.founded_on::text as "foundedOn",
      r.name as "secretaryName", o.secretary_member_id as "secretaryMemberId",
      (select count(*) from party_member m where m.party_org_id = o.id)::int as "memberCount"
    from party_org o join org_unit u on u.id = o.org_unit_id
      left join party_member s on s.id = o.secretary_member_id left join resident r on r.id = s.resident_id
    where ${scope} ${under}
    order by nlevel(o.org_path), o.org_path, o.name
    limit 2000`);
  return rowsOf<PartyOrgView>(rows);
}

export interface PartyOrgView {
  id: string;
  kind: PartyOrgKind;
  name: string;
  parentId: string | null;
  orgUnitId: string;
  orgUnitName: string;
  orgPath: string;
  foundedOn: string | null;
  secretaryName: string | null;
  secretaryMemberId: string | null;
  memberCount: number;
}

export async function getPartyOrg(ctx: AppContext, caller: Caller, id: string): Promise<PartyOrgView> {
  const org = await readablePartyOrg(ctx.db, caller, id);
  const rows = await listPartyOrgs(ctx, caller, {});
  const found = rows.find((r) => r.id === org.id);
  if (!found) throw notFound();
  return found;
}

/** Names a member as the organisation's secretary (the member must belong to it). */
export async function setSecretary(ctx: AppContext, caller: Caller, orgId: string, memberId: string) {
  await ctx.db.transaction(async (tx) => {
    const org = await findPartyOrg(tx, orgId);
    if (!org) throw notFound();
    authorize(caller.user, 'party.manage', org.orgPath);
    const [m] = await tx
      .select({ id: partyMember.id })
      .from(partyMember)
      .where(and(eq(partyMember.id, memberId), eq(partyMember.partyOrgId, org.id)));
    if (!m) throw invalid('memberId', '书记须是本组织的党员');
    await tx.update(partyOrg).set({ secretaryMemberId: m.id }).where(eq(partyOrg.id, org.id));
    await audit(tx, caller, {
      action: 'party.org.secretary',
      targetType: 'partyOrg',
      targetId: org.id,
      orgPath: org.orgPath,
      summary: `任命${org.name}书记`,
    });
  });
  return getPartyOrg(ctx, caller, orgId);
}
