import { and, eq, isNull, sql } from 'drizzle-orm';
import { t } from '../../i18n/index.js';
import { audit } from '../../platform/audit/service.js';
import { authorize } from '../../platform/auth/authorize.js';
import { localDate } from '../../platform/calendar/work-calendar.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { post } from './ledger.js';
import { ownMember } from './members.js';
import { findPartyOrg, type PartyOrgRow, readablePartyOrg } from './orgs.js';
import { rank } from './rules.js';
import { pointsObjection, pointsQuarter } from './schema.js';

/** Working days of the 亮分公示 window. */
export const objectionWorkingDays = 5;

type QuarterRow = typeof pointsQuarter.$inferSelect;

const stateError = (quarter: string, status: string, verb: string) =>
  new AppError('QUARTER_STATE', 409, 'error.QUARTER_STATE', {
    quarter,
    status: t(`party.quarter.${status}`),
    verb,
  });

async function lockQuarter(ex: Executor, orgId: string, quarter: string): Promise<QuarterRow | null> {
  const [q] = await ex
    .select()
    .from(pointsQuarter)
    .where(and(eq(pointsQuarter.partyOrgId, orgId), eq(pointsQuarter.quarter, quarter)))
    .for('update');
  return q ?? null;
}

async function writableOrg(ex: Executor, caller: Caller, orgId: string) {
  const org = await findPartyOrg(ex, orgId);
  if (!org) throw notFound();
  authorize(caller.user, 'party.review', org.orgPath);
  return org;
}

/** 季评: the branch committee closes a quarter once every claim in it has been decided. */
export async function reviewQuarter(ctx: AppContext, caller: Caller, orgId: string, quarter: string) {
  return ctx.db.transaction(async (tx) => {
    const org = await writableOrg(tx, caller, orgId);
    const q = await lockQuarter(tx, org.id, quarter);
    if (q) throw stateError(quarter, q.status, '季评');
    const [{ n }] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from points_entry
        where party_org_id = ${org.id}::uuid and quarter = ${quarter} and status in ('claimed', 'proposed')`),
    );
    if (n > 0) throw new AppError('CLAIMS_PENDING', 409, 'error.CLAIMS_PENDING', { quarter, count: n });
    const [row] = await tx
      .insert(pointsQuarter)
      .values({
        partyOrgId: org.id,
        orgPath: org.orgPath,
        quarter,
        status: 'reviewed',
        reviewedBy: caller.user!.id,
        reviewedAt: new Date(),
      })
      .returning();
    await audit(tx, caller, {
      action: 'party.quarter.reviewed',
      targetType: 'pointsQuarter',
      targetId: row.id,
      orgPath: org.orgPath,
      summary: `${org.name} ${quarter} 季评关闭`,
    });
    return row;
  });
}

/** 亮分公示: a reviewed quarter's scores go public for an objection window on the working-day calendar. */
export async function publishQuarter(ctx: AppContext, caller: Caller, orgId: string, quarter: string) {
  return ctx.db.transaction(async (tx) => {
    const org = await writableOrg(tx, caller, orgId);
    const q = await lockQuarter(tx, org.id, quarter);
    if (!q) throw new AppError('QUARTER_NOT_REVIEWED', 409, 'error.QUARTER_NOT_REVIEWED', { quarter });
    if (q.status !== 'reviewed') throw stateError(quarter, q.status, '公示');
    const now = new Date();
    const [row] = await tx
      .update(pointsQuarter)
      .set({
        status: 'published',
        publishedAt: now,
        objectionUntil: ctx.calendar.addWorkingDays(now, objectionWorkingDays),
      })
      .where(eq(pointsQuarter.id, q.id))
      .returning();
    await audit(tx, caller, {
      action: 'party.quarter.published',
      targetType: 'pointsQuarter',
      targetId: q.id,
      orgPath: org.orgPath,
      summary: `${org.name} ${quarter} 亮分公示`,
    });
    return row;
  });
}

/**
 * After the window, with every objection answered, the scores are final: each member's positive
 * total goes into their passbook as earned points, one double-entry posting each.
 */
export async function finaliseQuarter(ctx: AppContext, caller: Caller, orgId: string, quarter: string) {
  return ctx.db.transaction(async (tx) => {
    const org = await writableOrg(tx, caller, orgId);
    const q = await lockQuarter(tx, org.id, quarter);
    if (q?.status !== 'published') throw stateError(quarter, q?.status ?? 'open', '确认');
    const now = new Date();
    if (q.objectionUntil && now <= q.objectionUntil)
      throw new AppError('OBJECTION_WINDOW_OPEN', 409, 'error.OBJECTION_WINDOW_OPEN', {
        until: localDate(q.objectionUntil),
      });
    const open = await tx
      .select({ id: pointsObjection.id })
      .from(pointsObjection)
      .where(and(eq(pointsObjection.quarterId, q.id), isNull(pointsObjection.answeredAt)));
    if (open.length)
      throw new AppError('OBJECTIONS_UNANSWERED', 409, 'error.OBJECTIONS_UNANSWERED', { count: open.length });
    for (const s of await quarterScores(tx, org.id, quarter))
      if (s.total > 0)
        await post(tx, {
          memberId: s.memberId,
          amount: s.total,
          kind: 'earned',
          counter: { account: 'issuer', id: org.id },
          quarterId: q.id,
          memo: `${quarter} 季度积分`,
        });
    const [row] = await tx
      .update(pointsQuarter)
      .set({ status: 'final', finalAt: now })
      .where(eq(pointsQuarter.id, q.id))
      .returning();
    await audit(tx, caller, {
      action: 'party.quarter.final',
      targetType: 'pointsQuarter',
      targetId: q.id,
      orgPath: org.orgPath,
      summary: `${org.name} ${quarter} 积分确认，计入积分存折`,
    });
    return row;
  });
}

export interface Score {
  memberId: string;
  name: string;
  study: number;
  service: number;
  prosperity: number;
  discipline: number;
  integrity: number;
  x: number;
  total: number;
  rank: number;
}

/** Each member's quarter score by category (confirmed entries and corrections), ranked. */
export async function quarterScores(ex: Executor, orgId: string, quarter: string): Promise<Score[]> {
  const rows = rowsOf<Omit<Score, 'rank'>>(
    await ex.execute(sql`select m.id as "memberId", r.name,
      ${sql.join(
        ['study', 'service', 'prosperity', 'discipline', 'integrity', 'x'].map(
          (c) =>
            sql`coalesce(sum(e.points) filter (where i.category = ${c}), 0)::int as ${sql.identifier(c)}`,
        ),
        sql`, `,
      )},
      coalesce(sum(e.points), 0)::int as total
    from party_member m join resident r on r.id = m.resident_id
      left join points_entry e on e.member_id = m.id and e.party_org_id = ${orgId}::uuid
        and e.quarter = ${quarter} and e.status = 'confirmed'
      left join points_item i on i.id = e.item_id
    where m.party_org_id = ${orgId}::uuid or e.id is not null
    group by m.id, r.name`),
  );
  return rank(rows).sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name, 'zh-CN'));
}

async function quarterRow(ex: Executor, orgId: string, quarter: string) {
  const [q] = await ex
    .select()
    .from(pointsQuarter)
    .where(and(eq(pointsQuarter.partyOrgId, orgId), eq(pointsQuarter.quarter, quarter)));
  return q ?? null;
}

/** A quarter of an organisation: its state and its scores (staff in the subtree). */
export async function getQuarter(ctx: AppContext, caller: Caller, orgId: string, quarter: string) {
  const org = await readablePartyOrg(ctx.db, caller, orgId);
  return describeQuarter(ctx.db, org, quarter);
}

async function describeQuarter(ex: Executor, org: PartyOrgRow, quarter: string) {
  const q = await quarterRow(ex, org.id, quarter);
  const objections = q
    ? rowsOf<any>(
        await ex.execute(sql`select o.id, o.member_id as "memberId", r.name as "memberName", o.text, o.answer,
            o.answered_at as "answeredAt", o.created_at as "createdAt"
          from points_objection o join party_member m on m.id = o.member_id join resident r on r.id = m.resident_id
          where o.quarter_id = ${q.id}::uuid order by o.created_at`),
      ).map((o) => ({
        ...o,
        createdAt: new Date(o.createdAt),
        answeredAt: o.answeredAt ? new Date(o.answeredAt) : null,
      }))
    : [];
  return {
    partyOrgId: org.id,
    partyOrgName: org.name,
    quarter,
    id: q?.id ?? null,
    status: (q?.status ?? 'open') as 'open' | 'reviewed' | 'published' | 'final',
    publishedAt: q?.publishedAt ?? null,
    objectionUntil: q?.objectionUntil ?? null,
    scores: await quarterScores(ex, org.id, quarter),
    objections,
  };
}

/** The published list of the member's own branch (the latest published or final quarter). */
export async function ownPublishedList(ctx: AppContext, caller: Caller) {
  const me = await ownMember(ctx.db, caller);
  const org = (await findPartyOrg(ctx.db, me.partyOrgId))!;
  const [latest] = rowsOf<{ quarter: string }>(
    await ctx.db.execute(sql`select quarter from points_quarter where party_org_id = ${org.id}::uuid
      and status in ('published', 'final') order by quarter desc limit 1`),
  );
  if (!latest) return null;
  return { ...(await describeQuarter(ctx.db, org, latest.quarter)), objections: [] };
}

/** 异议: a member of the branch objects to a published quarter while its window is open. */
export async function fileObjection(ctx: AppContext, caller: Caller, quarterId: string, text: string) {
  return ctx.db.transaction(async (tx) => {
    const me = await ownMember(tx, caller);
    const [q] = await tx.select().from(pointsQuarter).where(eq(pointsQuarter.id, quarterId));
    if (!q || q.partyOrgId !== me.partyOrgId) throw notFound();
    if (q.status !== 'published') throw stateError(q.quarter, q.status, '提出异议');
    if (q.objectionUntil && new Date() > q.objectionUntil)
      throw new AppError('OBJECTION_WINDOW_CLOSED', 409, 'error.OBJECTION_WINDOW_CLOSED', {
        until: localDate(q.objectionUntil),
      });
    const [row] = await tx
      .insert(pointsObjection)
      .values({ quarterId: q.id, memberId: me.id, text })
      .returning();
    await audit(tx, caller, {
      action: 'party.objection.filed',
      targetType: 'pointsObjection',
      targetId: row.id,
      orgPath: q.orgPath,
      summary: `对 ${q.quarter} 公示积分提出异议`,
    });
    return row;
  });
}

/** The branch answers an objection (a changed score is a correcting entry, made separately). */
export async function answerObjection(ctx: AppContext, caller: Caller, id: string, answer: string) {
  return ctx.db.transaction(async (tx) => {
    const [o] = await tx.select().from(pointsObjection).where(eq(pointsObjection.id, id)).for('update');
    if (!o) throw notFound();
    const [q] = await tx.select().from(pointsQuarter).where(eq(pointsQuarter.id, o.quarterId));
    authorize(caller.user, 'party.review', q.orgPath);
    if (o.answeredAt) throw new AppError('ALREADY_DECIDED', 409, 'error.ALREADY_DECIDED');
    const [row] = await tx
      .update(pointsObjection)
      .set({ answer, answeredBy: caller.user!.id, answeredAt: new Date() })
      .where(eq(pointsObjection.id, o.id))
      .returning();
    await audit(tx, caller, {
      action: 'party.objection.answered',
      targetType: 'pointsObjection',
      targetId: o.id,
      orgPath: q.orgPath,
      summary: `答复 ${q.quarter} 积分异议`,
    });
    return row;
  });
}
