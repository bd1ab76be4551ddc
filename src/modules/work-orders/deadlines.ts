import { and, eq, isNull, sql } from 'drizzle-orm';
import { type AppContext, systemCaller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { every } from '../../platform/jobs/every.js';
import { notify } from '../notifications/service.js';
import { orgUnit } from '../org/schema.js';
import { workOrder, workOrderWhistle } from './schema.js';
import { ancestorOf, escalate, unitStaff } from './service.js';

/** The handler is reminded this long before the due time. */
const dueSoonHours = 4;

/** Who works on a work order now: its named handler, else its handling unit's staff. */
async function handlersOf(ex: Executor, row: typeof workOrder.$inferSelect) {
  if (row.handlerUserId) return [row.handlerUserId];
  if (row.handlerUnitId) return unitStaff(ex, row.handlerUnitId);
  const community = await ancestorOf(ex, row.orgPath, 'community');
  return community ? unitStaff(ex, community.id) : [];
}

/** A notice about one work order to some people: its number, a link to it. */
const tell = (
  ex: Executor,
  ctx: AppContext,
  wo: typeof workOrder.$inferSelect,
  userIds: string[],
  kind: string,
  title: string,
) =>
  notify(ex, ctx, {
    userIds,
    kind,
    title,
    body: wo.number,
    link: `/work-orders/${wo.id}`,
    targetType: 'workOrder',
    targetId: wo.id,
  });

/**
 * One pass of the deadline sweep: remind handlers before the due time, tell them and escalate
 * (提级督办) when it has passed, and escalate whistles no department answered in time to the
 * district. Each happens once per work order (or whistle); returns what it did.
 */
export async function sweepDeadlines(ctx: AppContext, now = new Date()) {
  const done = { dueSoon: 0, overdue: 0, whistles: 0 };
  const open = sql`${workOrder.status} not in ('closed', 'resolved')`;
  const soon = await ctx.db
    .select()
    .from(workOrder)
    .where(
      and(
        open,
        isNull(workOrder.dueSoonNotifiedAt),
        sql`${workOrder.dueAt} between ${now} and ${new Date(now.getTime() + dueSoonHours * 3600_000)}`,
      ),
    )
    .limit(500);
  for (const row of soon) {
    await ctx.db.transaction(async (tx) => {
      await tell(tx, ctx, row, await handlersOf(tx, row), 'workOrder.dueSoon', `即将到期：${row.title}`);
      await tx.update(workOrder).set({ dueSoonNotifiedAt: now }).where(eq(workOrder.id, row.id));
    });
    done.dueSoon++;
    await ctx.database.turns.giveWay(); // a first sweep over a backlog must not stall requests
  }

  const late = await ctx.db
    .select()
    .from(workOrder)
    .where(and(open, isNull(workOrder.overdueNotifiedAt), sql`${workOrder.dueAt} < ${now}`))
    .limit(500);
  for (const row of late) {
    await ctx.db.transaction(async (tx) => {
      await tell(tx, ctx, row, await handlersOf(tx, row), 'workOrder.overdue', `已超期：${row.title}`);
      await tx.update(workOrder).set({ overdueNotifiedAt: now }).where(eq(workOrder.id, row.id));
      await escalate(ctx, tx, systemCaller, row, '超期未办结');
    });
    done.overdue++;
    await ctx.database.turns.giveWay();
  }

  const unanswered = await ctx.db
    .select({ w: workOrderWhistle, wo: workOrder, department: orgUnit.name })
    .from(workOrderWhistle)
    .innerJoin(workOrder, eq(workOrder.id, workOrderWhistle.workOrderId))
    .innerJoin(orgUnit, eq(orgUnit.id, workOrderWhistle.departmentId))
    .where(
      and(
        isNull(workOrderWhistle.repliedAt),
        isNull(workOrderWhistle.escalatedAt),
        sql`${workOrderWhistle.dueAt} < ${now}`,
      ),
    )
    .limit(500);
  for (const { w, wo, department } of unanswered) {
    await ctx.db.transaction(async (tx) => {
      const district = await ancestorOf(tx, wo.orgPath, 'district');
      if (district)
        await tell(
          tx,
          ctx,
          wo,
          await unitStaff(tx, district.id),
          'workOrder.whistleEscalated',
          `吹哨未报到：${department} · ${wo.title}`,
        );
      await tx
        .update(workOrderWhistle)
        .set({ escalatedAt: now })
        .where(
          and(
            eq(workOrderWhistle.workOrderId, w.workOrderId),
            eq(workOrderWhistle.departmentId, w.departmentId),
          ),
        );
    });
    done.whistles++;
    await ctx.database.turns.giveWay();
  }
  return done;
}

/** Runs the sweep every minute in the server; returns a function that stops it. */
export function startDeadlineSweep(ctx: AppContext, everyMs = 60_000) {
  return every(everyMs, ctx.log, 'deadline sweep', () => sweepDeadlines(ctx));
}
