import { eq, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import { localDate } from '../../platform/calendar/work-calendar.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';
import { jointCommittee, jointCommitteeMeeting, jointCommitteeMember } from './joint-committee-schema.js';
import { findPartyOrg } from './orgs.js';

export const committeeRoles = ['secretary', 'deputy', 'member', 'partTime'] as const;
export type CommitteeRole = (typeof committeeRoles)[number];

/** 成立大工委/大党委 at a street or community, beside its 党工委 or 党委. */
export async function createJointCommittee(
  ctx: AppContext,
  caller: Caller,
  input: { orgUnitId: string; name: string; partyOrgId?: string | null },
) {
  return ctx.db.transaction(async (tx) => {
    const unit = await findOrgUnit(tx, input.orgUnitId);
    if (!unit || !['street', 'community'].includes(unit.kind))
      throw invalid('orgUnitId', '大工委设在街道，大党委设在社区（嘎查村）');
    authorize(caller.user, 'party.manage', unit.path, { outside: 'forbidden' });
    if (input.partyOrgId) {
      const org = await findPartyOrg(tx, input.partyOrgId);
      if (!org || org.orgUnitId !== unit.id) throw invalid('partyOrgId', '请选择本街道（社区）的党组织');
    }
    const [row] = await tx
      .insert(jointCommittee)
      .values({
        orgUnitId: unit.id,
        orgPath: unit.path,
        districtCode: unit.districtCode,
        name: input.name,
        partyOrgId: input.partyOrgId ?? null,
        createdBy: caller.user!.id,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('error.JOINT_COMMITTEE_EXISTS', { unit: unit.name });
    await audit(tx, caller, {
      action: 'party.jointCommittee.created',
      targetType: 'jointCommittee',
      targetId: row.id,
      orgPath: unit.path,
      summary: `成立${row.name}`,
    });
    return row;
  });
}

async function writable(ex: Executor, caller: Caller, id: string) {
  const [c] = await ex.select().from(jointCommittee).where(eq(jointCommittee.id, id)).for('update');
  if (!c) throw notFound();
  authorize(caller.user, 'party.manage', c.orgPath);
  return c;
}

/** A member joins: one of the committee's own, or a 兼职委员 from a partner unit (the unit is required). */
export async function addCommitteeMember(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: {
    name: string;
    role: CommitteeRole;
    partnerUnit?: string | null;
    title?: string | null;
    joinedOn: string;
  },
) {
  if (input.role === 'partTime' && !input.partnerUnit)
    throw invalid('partnerUnit', '兼职委员须填写所在驻区（共建）单位');
  return ctx.db.transaction(async (tx) => {
    const c = await writable(tx, caller, id);
    const [row] = await tx
      .insert(jointCommitteeMember)
      .values({
        committeeId: c.id,
        name: input.name,
        role: input.role,
        partnerUnit: input.partnerUnit ?? null,
        title: input.title ?? null,
        joinedOn: input.joinedOn,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.jointCommittee.memberAdded',
      targetType: 'jointCommittee',
      targetId: c.id,
      orgPath: c.orgPath,
      summary: `${c.name}增补${input.role === 'partTime' ? '兼职委员' : '委员'} ${input.name}${input.partnerUnit ? `（${input.partnerUnit}）` : ''}`,
    });
    return row;
  });
}

/** 联席会议: held on a day not in the future, attended by members of the committee, with topics and decisions. */
export async function recordMeeting(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { heldOn: string; attendeeIds: string[]; topics: string[]; decisions: string[] },
) {
  if (input.heldOn > localDate(new Date())) throw invalid('heldOn', '会议日期不能晚于今天');
  return ctx.db.transaction(async (tx) => {
    const c = await writable(tx, caller, id);
    const members = await tx
      .select({ id: jointCommitteeMember.id })
      .from(jointCommitteeMember)
      .where(eq(jointCommitteeMember.committeeId, c.id));
    const known = new Set(members.map((m) => m.id));
    const stranger = input.attendeeIds.findIndex((a) => !known.has(a));
    if (stranger >= 0) throw invalid(`attendeeIds.${stranger}`, '出席人须是本委员会的委员');
    const [row] = await tx
      .insert(jointCommitteeMeeting)
      .values({
        committeeId: c.id,
        orgPath: c.orgPath,
        ...input,
        attendeeIds: [...new Set(input.attendeeIds)],
        createdBy: caller.user!.id,
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.jointCommittee.meeting',
      targetType: 'jointCommittee',
      targetId: c.id,
      orgPath: c.orgPath,
      summary: `${c.name}联席会议 ${input.heldOn}：${input.topics.join('；').slice(0, 60)}`,
    });
    return row;
  });
}

const committeeSelect = sql`select c.id, c.name, c.org_unit_id as "orgUnitId", u.name as "orgUnitName",
    c.party_org_id as "partyOrgId", o.name as "partyOrgName",
    (select count(*) from joint_committee_member m where m.committee_id = c.id)::int as members,
    (select count(*) from joint_committee_member m where m.committee_id = c.id and m.role = 'partTime')::int as "partTimeMembers",
    (select max(held_on)::text from joint_committee_meeting x where x.committee_id = c.id) as "lastMeetingOn"
  from joint_committee c join org_unit u on u.id = c.org_unit_id left join party_org o on o.id = c.party_org_id`;

/** The joint committees in the caller's subtree, with their members and latest meeting. */
export async function listJointCommittees(ctx: AppContext, caller: Caller) {
  const scope = scopeFilter(caller.user, 'party.read', sql`c.org_path`);
  return rowsOf<any>(
    await ctx.db.execute(sql`${committeeSelect} where ${scope} order by c.org_path limit 500`),
  );
}

/** One committee: its members and its meetings, newest first, attendees by name. */
export async function getJointCommittee(ctx: AppContext, caller: Caller, id: string) {
  const [c] = await ctx.db.select().from(jointCommittee).where(eq(jointCommittee.id, id));
  if (!c) throw notFound();
  authorize(caller.user, 'party.read', c.orgPath);
  const [head] = rowsOf<any>(await ctx.db.execute(sql`${committeeSelect} where c.id = ${id}::uuid`));
  const members = await ctx.db
    .select()
    .from(jointCommitteeMember)
    .where(eq(jointCommitteeMember.committeeId, id))
    .orderBy(
      sql`array_position(array['secretary','deputy','member','partTime'], ${jointCommitteeMember.role})`,
      jointCommitteeMember.joinedOn,
      jointCommitteeMember.createdAt,
    );
  const names = new Map(members.map((m) => [m.id, m.name]));
  const meetings = await ctx.db
    .select()
    .from(jointCommitteeMeeting)
    .where(eq(jointCommitteeMeeting.committeeId, id))
    .orderBy(sql`${jointCommitteeMeeting.heldOn} desc`)
    .limit(200);
  return {
    ...head,
    memberList: members,
    meetings: meetings.map((m) => ({ ...m, attendees: m.attendeeIds.map((a) => names.get(a) ?? '') })),
  };
}
