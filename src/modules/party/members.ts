import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { findPartyOrg, type PartyOrgRow } from './orgs.js';
import { membershipTransfer, partyMember, partyOrg, pointsBalance } from './schema.js';

export interface MemberInput {
  residentId: string;
  partyOrgId: string;
  joinedOn?: string | null;
  standing?: 'full' | 'probationary';
  inService?: boolean;
  workplace?: string | null;
  workplaceOrg?: string | null;
  mobile?: boolean;
  mobileWhere?: string | null;
}

function checkFlags(input: Pick<MemberInput, 'inService' | 'workplace' | 'mobile' | 'mobileWhere'>) {
  if (input.inService && !input.workplace) throw invalid('workplace', '在职党员须填写工作单位');
  if (input.mobile && !input.mobileWhere) throw invalid('mobileWhere', '流动党员须填写流入地');
}

/** One person, one record: the resident's member record wherever it is, with its organisation's name. */
async function existingMember(ex: Executor, residentId: string) {
  const [row] = await ex
    .select({ id: partyMember.id, orgId: partyOrg.id, orgName: partyOrg.name, userId: partyMember.userId })
    .from(partyMember)
    .innerJoin(partyOrg, eq(partyOrg.id, partyMember.partyOrgId))
    .where(eq(partyMember.residentId, residentId));
  return row ?? null;
}

/** The register's person (read only: name and place) — through SQL, the people module owns the table. */
async function residentBrief(ex: Executor, residentId: string) {
  const rows = rowsOf<{ id: string; name: string; status: string }>(
    await ex.execute(
      sql`select id, name, status from resident where id = ${residentId}::uuid and deleted_at is null`,
    ),
  );
  return rows[0] ?? null;
}

async function insertMember(
  ex: Executor,
  caller: Caller,
  org: PartyOrgRow,
  input: MemberInput,
  userId: string | null,
) {
  const person = await residentBrief(ex, input.residentId);
  if (!person) throw invalid('residentId', '居民不存在');
  if (person.status !== 'active') throw invalid('residentId', '已迁出或已故的居民不能登记为党员');
  const other = await existingMember(ex, input.residentId);
  if (other) throw conflict('error.PARTY_MEMBER_EXISTS', { branch: other.orgName });
  const [row] = await ex
    .insert(partyMember)
    .values({
      residentId: input.residentId,
      userId,
      partyOrgId: org.id,
      orgPath: org.orgPath,
      districtCode: org.districtCode,
      joinedOn: input.joinedOn ?? null,
      standing: input.standing ?? 'full',
      inService: input.inService ?? false,
      workplace: input.workplace ?? null,
      workplaceOrg: input.workplaceOrg ?? null,
      mobile: input.mobile ?? false,
      mobileWhere: input.mobileWhere ?? null,
    })
    .returning();
  await ex.insert(pointsBalance).values({ memberId: row.id, balance: 0 });
  await ex.insert(membershipTransfer).values({
    memberId: row.id,
    toOrgId: org.id,
    movedOn: input.joinedOn ?? sql`current_date`,
    reason: '登记',
  });
  await audit(ex, caller, {
    action: 'party.member.created',
    targetType: 'partyMember',
    targetId: row.id,
    orgPath: org.orgPath,
    summary: `登记党员 ${person.name}（${org.name}）`,
  });
  return row;
}

/** Registers a resident as a member of an organisation the caller manages. */
export async function createMember(ctx: AppContext, caller: Caller, input: MemberInput) {
  checkFlags(input);
  const row = await ctx.db.transaction(async (tx) => {
    const org = await findPartyOrg(tx, input.partyOrgId);
    if (!org) throw invalid('partyOrgId', '党组织不存在');
    authorize(caller.user, 'party.manage', org.orgPath, { outside: 'forbidden' });
    return insertMember(tx, caller, org, input, null);
  });
  return getMember(ctx, caller, row.id);
}

/**
 * A confirmed membership claim (the branch approved a resident's 党员身份 request): the member
 * record of the person the account was confirmed as is created at the organisation serving the
 * claimed unit, or the existing record there gets the account. A record elsewhere is a 409 naming it.
 * Returns null when the unit has no party organisation or the account is not linked to the register.
 */
export async function linkClaimedMember(
  ex: Executor,
  caller: Caller,
  claim: { userId: string; orgUnitId: string; inService: boolean; workplace: string | null },
) {
  const [org] = await ex
    .select()
    .from(partyOrg)
    .where(eq(partyOrg.orgUnitId, claim.orgUnitId))
    .orderBy(
      sql`array_position(array['branch','generalBranch','committee','workCommittee','group'], ${partyOrg.kind})`,
    )
    .limit(1);
  const people = rowsOf<{ id: string }>(
    await ex.execute(sql`select r.id from account_request ar
      join resident r on r.id_number_index = ar.id_number_hash and r.deleted_at is null
      where ar.user_id = ${claim.userId}::uuid and ar.kind = 'resident' and ar.status = 'approved'
      order by ar.decided_at desc limit 1`),
  );
  if (!org || !people[0]) return null;
  const existing = await existingMember(ex, people[0].id);
  if (existing && existing.orgId !== org.id)
    throw conflict('error.PARTY_MEMBER_EXISTS', { branch: existing.orgName });
  if (existing) {
    await ex.update(partyMember).set({ userId: claim.userId }).where(eq(partyMember.id, existing.id));
    return existing.id;
  }
  const row = await insertMember(
    ex,
    caller,
    org,
    {
      residentId: people[0].id,
      partyOrgId: org.id,
      inService: claim.inService,
      workplace: claim.workplace,
    },
    claim.userId,
  );
  return row.id;
}

/** 组织关系转接: the member moves to another organisation; the history keeps where they were. */
export async function transferMember(
  ctx: AppContext,
  caller: Caller,
  memberId: string,
  input: { toOrgId: string; movedOn: string; reason: string },
) {
  await ctx.db.transaction(async (tx) => {
    const [m] = await tx.select().from(partyMember).where(eq(partyMember.id, memberId)).for('update');
    if (!m) throw notFound();
    authorize(caller.user, 'party.manage', m.orgPath);
    const to = await findPartyOrg(tx, input.toOrgId);
    if (!to) throw invalid('toOrgId', '转入党组织不存在');
    if (to.id === m.partyOrgId) throw invalid('toOrgId', '转入党组织与当前党组织相同');
    await tx
      .update(partyMember)
      .set({ partyOrgId: to.id, orgPath: to.orgPath, districtCode: to.districtCode })
      .where(eq(partyMember.id, m.id));
    await tx.update(partyOrg).set({ secretaryMemberId: null }).where(eq(partyOrg.secretaryMemberId, m.id));
    await tx.insert(membershipTransfer).values({
      memberId: m.id,
      fromOrgId: m.partyOrgId,
      toOrgId: to.id,
      movedOn: input.movedOn,
      reason: input.reason,
      createdBy: caller.user!.id,
    });
    await audit(tx, caller, {
      action: 'party.member.transferred',
      targetType: 'partyMember',
      targetId: m.id,
      orgPath: m.orgPath,
      summary: `组织关系转出至 ${to.name}`,
      details: { toOrgId: to.id },
    });
  });
  return getMember(ctx, caller, memberId);
}

export interface MemberQuery {
  page: number;
  pageSize: number;
  partyOrgId?: string;
  q?: string;
  inService?: boolean;
  mobile?: boolean;
  sort?: 'name' | 'joinedOn';
}

const memberSelect = sql`select m.id, m.resident_id as "residentId", r.name, r.gender, m.user_id as "userId",
    m.party_org_id as "partyOrgId", o.name as "partyOrgName", m.org_path::text as "orgPath",
    m.joined_on::text as "joinedOn", m.standing, m.in_service as "inService", m.workplace,
    m.workplace_org as "workplaceOrg", m.mobile, m.mobile_where as "mobileWhere",
    coalesce(b.balance, 0)::int as balance`;
const memberFrom = sql`from party_member m join resident r on r.id = m.resident_id
    join party_org o on o.id = m.party_org_id left join points_balance b on b.member_id = m.id`;

export interface MemberView {
  id: string;
  residentId: string;
  name: string;
  gender: string;
  userId: string | null;
  partyOrgId: string;
  partyOrgName: string;
  orgPath: string;
  joinedOn: string | null;
  standing: string;
  inService: boolean;
  workplace: string | null;
  workplaceOrg: string | null;
  mobile: boolean;
  mobileWhere: string | null;
  balance: number;
}

/** The roster: members in the caller's subtree, filtered, sorted and paged on the server. */
export async function listMembers(ctx: AppContext, caller: Caller, q: MemberQuery) {
  const where = [scopeFilter(caller.user, 'party.read', sql`m.org_path`)];
  if (q.partyOrgId) where.push(sql`m.party_org_id = ${q.partyOrgId}::uuid`);
  if (q.q) where.push(sql`r.name like ${`%${q.q}%`}`);
  if (q.inService !== undefined) where.push(sql`m.in_service = ${q.inService}`);
  if (q.mobile !== undefined) where.push(sql`m.mobile = ${q.mobile}`);
  const order = q.sort === 'joinedOn' ? sql`m.joined_on nulls last, m.id` : sql`r.name, m.id`;
  const rows = rowsOf<MemberView & { total: number }>(
    await ctx.db.execute(sql`${memberSelect}, count(*) over()::int as total ${memberFrom}
      where ${sql.join(where, sql` and `)} order by ${order}
      limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
  );
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

export async function findMemberView(ex: Executor, id: string): Promise<MemberView | null> {
  const rows = rowsOf<MemberView>(
    await ex.execute(sql`${memberSelect} ${memberFrom} where m.id = ${id}::uuid`),
  );
  return rows[0] ?? null;
}

/** The member page: the record and its organisation history. */
export async function getMember(ctx: AppContext, caller: Caller, id: string) {
  const m = await findMemberView(ctx.db, id);
  if (!m) throw notFound();
  authorize(caller.user, 'party.read', m.orgPath);
  return { ...m, transfers: await transfersOf(ctx.db, id) };
}

async function transfersOf(ex: Executor, memberId: string) {
  return rowsOf<{ fromOrgName: string | null; toOrgName: string; movedOn: string; reason: string | null }>(
    await ex.execute(sql`select f.name as "fromOrgName", t.name as "toOrgName", mt.moved_on::text as "movedOn",
      mt.reason from membership_transfer mt join party_org t on t.id = mt.to_org_id
      left join party_org f on f.id = mt.from_org_id
      where mt.member_id = ${memberId}::uuid order by mt.moved_on, mt.created_at`),
  );
}

/** The caller's own member record (party.self), or 404 when the account is not linked to one. */
export async function ownMember(ex: Executor, caller: Caller): Promise<MemberView> {
  authorize(caller.user, 'party.self');
  const [row] = await ex
    .select({ id: partyMember.id })
    .from(partyMember)
    .where(and(eq(partyMember.userId, caller.user.id)));
  const m = row ? await findMemberView(ex, row.id) : null;
  if (!m) throw notFound();
  return m;
}
