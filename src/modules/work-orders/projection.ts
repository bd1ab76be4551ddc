import { and, asc, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { workOrder, workOrderEvent } from './schema.js';
import { type EventType, project, type WorkOrderEvent } from './workflow.js';

type EventRow = typeof workOrderEvent.$inferSelect;

/** A stored event as the state machine knows it. */
export function toEvent(row: EventRow): WorkOrderEvent {
  const d = row.data as Record<string, any>;
  return {
    type: row.type as EventType,
    at: row.at,
    actorId: row.actorId ?? undefined,
    reason: d.reason,
    outcome: d.outcome,
    rating: d.rating,
    mergedInto: d.mergedInto,
    satisfied: d.satisfied,
    departments: d.departmentIds,
    departmentId: d.departmentId ?? d.departmentIds?.[0],
    dueAt: d.dueAt ? new Date(d.dueAt) : undefined,
    handler:
      d.handlerUnitId || d.handlerUserId
        ? { unitId: d.handlerUnitId ?? null, userId: d.handlerUserId ?? null }
        : undefined,
  };
}

/**
 * Fills in the stored projection of work orders written in bulk (demo data, history imports) from
 * their event logs: the same `project()` every live change goes through.
 */
export async function rebuildProjections(ex: Executor) {
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await ex
      .select({ id: workOrder.id })
      .from(workOrder)
      .where(and(sql`${workOrder.state} = '{}'::jsonb`, gt(workOrder.id, after)))
      .orderBy(asc(workOrder.id))
      .limit(500);
    if (!batch.length) return done;
    after = batch[batch.length - 1].id;
    const events = await ex
      .select()
      .from(workOrderEvent)
      .where(
        inArray(
          workOrderEvent.workOrderId,
          batch.map((b) => b.id),
        ),
      )
      .orderBy(asc(workOrderEvent.workOrderId), asc(workOrderEvent.seq));
    const byOrder = new Map<string, EventRow[]>();
    for (const e of events) byOrder.set(e.workOrderId, [...(byOrder.get(e.workOrderId) ?? []), e]);
    const states = [...byOrder].map(([id, log]) => {
      const state = project(log.map(toEvent));
      return { id, state, merged_into: state.mergedInto ?? null };
    });
    // One UPDATE per batch, the states as one JSON parameter (500 single-row UPDATEs took seconds).
    await ex.execute(sql`update work_order w set state = x.state, merged_into = x.merged_into
      from jsonb_to_recordset(${JSON.stringify(states)}::jsonb) as x(id uuid, state jsonb, merged_into uuid)
      where w.id = x.id`);
    done += states.length;
  }
}
