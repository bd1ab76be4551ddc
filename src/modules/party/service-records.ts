import { eq, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import { localDate } from '../../platform/calendar/work-calendar.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { rowsOf } from '../../platform/db/index.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { attachFiles } from '../../platform/files/service.js';
import { communityPostPick, serviceRecord } from './check-in-schema.js';
import { confirmedCheckIn } from './check-ins.js';
import { proposeFromSource } from './proposals.js';

export interface ServiceInput {
  servedOn: string;
  hours: number;
  what: string;
  postId?: string | null;
  photoFileId?: string | null;
}

/** 服务纪实: a checked-in member records a service (date, time, what, a photo); the community confirms it. */
export async function recordService(ctx: AppContext, caller: Caller, input: ServiceInput) {
  return ctx.db.transaction(async (tx) => {
    const { me, checkIn } = await confirmedCheckIn(tx, caller);
    if (input.servedOn > localDate(new Date())) throw invalid('servedOn', '服务日期不能晚于今天');
    if (checkIn.decidedAt && input.servedOn < localDate(checkIn.decidedAt))
      throw invalid('servedOn', '服务日期不能早于报到确认之日');
    if (input.postId) {
      const picks = await tx
        .select({ postId: communityPostPick.postId })
        .from(communityPostPick)
        .where(eq(communityPostPick.checkInId, checkIn.id));
      if (!picks.some((p) => p.postId === input.postId)) throw invalid('postId', '只能记录自己认领的岗位');
    }
    const [row] = await tx
      .insert(serviceRecord)
      .values({
        checkInId: checkIn.id,
        memberId: me.id,
        postId: input.postId ?? null,
        orgPath: checkIn.orgPath,
        workplacePath: checkIn.workplacePath,
        districtCode: checkIn.districtCode,
        servedOn: input.servedOn,
        minutes: Math.round(input.hours * 60),
        what: input.what,
        photoFileId: input.photoFileId ?? null,
        status: 'recorded',
      })
      .returning();
    if (input.photoFileId)
      await attachFiles(tx, caller, [input.photoFileId], {
        ownerType: 'serviceRecord',
        ownerId: row.id,
        orgPath: checkIn.orgPath,
      }).catch((e) => {
        throw e instanceof AppError && e.status === 403
          ? invalid('photoFileId', '照片不存在或已用于其他记录，请重新上传')
          : e;
      });
    await audit(tx, caller, {
      action: 'party.service.recorded',
      targetType: 'serviceRecord',
      targetId: row.id,
      orgPath: checkIn.orgPath,
      summary: `${me.name} 服务纪实 ${input.servedOn} ${input.hours} 小时：${input.what.slice(0, 40)}`,
    });
    return { ...row, hours: row.minutes / 60 };
  });
}

/**
 * The community confirms a service record (it then counts in the hours, and is proposed to the
 * member's branch as a points entry where the catalogue names 服务纪实 as a source) or refuses it.
 */
export async function decideService(
  ctx: AppContext,
  caller: Caller,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
) {
  return ctx.db.transaction(async (tx) => {
    const [s] = await tx.select().from(serviceRecord).where(eq(serviceRecord.id, id)).for('update');
    if (!s) throw notFound();
    authorize(caller.user, 'party.checkIn', s.orgPath);
    if (s.status !== 'recorded') throw conflict('error.ALREADY_DECIDED');
    const [row] = await tx
      .update(serviceRecord)
      .set({
        status: decision.approve ? 'confirmed' : 'refused',
        reason: decision.approve ? null : decision.reason,
        decidedBy: caller.user!.id,
        decidedAt: new Date(),
      })
      .where(eq(serviceRecord.id, s.id))
      .returning();
    if (decision.approve)
      await proposeFromSource(tx, {
        source: 'serviceRecord',
        sourceId: s.id,
        memberId: s.memberId,
        on: s.servedOn,
        note: `服务纪实：${s.what.slice(0, 60)}`,
      });
    await audit(tx, caller, {
      action: decision.approve ? 'party.service.confirmed' : 'party.service.refused',
      targetType: 'serviceRecord',
      targetId: s.id,
      orgPath: s.orgPath,
      summary: decision.approve ? '确认服务纪实' : `退回服务纪实：${decision.reason}`,
    });
    return { ...row, hours: row.minutes / 60 };
  });
}

/** Service records in the caller's subtree (the community's queue: `status=recorded`). */
export async function listServices(
  ctx: AppContext,
  caller: Caller,
  q: { page: number; pageSize: number; status?: string; orgUnitId?: string },
) {
  const where = [scopeFilter(caller.user, 'party.read', sql`x.org_path`)];
  if (q.status) where.push(sql`x.status = ${q.status}`);
  if (q.orgUnitId) where.push(sql`c.org_unit_id = ${q.orgUnitId}::uuid`);
  const rows = rowsOf<any>(
    await ctx.db.execute(sql`select x.id, x.check_in_id as "checkInId", x.member_id as "memberId",
        r.name as "memberName", u.name as "orgUnitName", x.served_on::text as "servedOn",
        round(x.minutes / 60.0, 1)::float as hours, x.what, x.status, x.reason,
        x.photo_file_id as "photoFileId", p.name as "postName", count(*) over()::int as total
      from service_record x join party_check_in c on c.id = x.check_in_id join org_unit u on u.id = c.org_unit_id
        join party_member m on m.id = x.member_id join resident r on r.id = m.resident_id
        left join community_post p on p.id = x.post_id
      where ${sql.join(where, sql` and `)}
      order by x.served_on desc, x.created_at desc, x.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
  );
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}
