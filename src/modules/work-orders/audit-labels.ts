import { inArray } from 'drizzle-orm';
import { labelAuditTargets } from '../../platform/audit/labels.js';
import { workOrder, workOrderCategory } from './schema.js';

/** Work orders in the audit log by their number, categories by name; org units as people name them. */
export function registerWorkOrderLabels() {
  labelAuditTargets('workOrder', async (ex, ids) => {
    const rows = await ex
      .select({ id: workOrder.id, number: workOrder.number })
      .from(workOrder)
      .where(inArray(workOrder.id, ids));
    return new Map(rows.map((r) => [r.id, r.number]));
  });
  labelAuditTargets('workOrderCategory', async (ex, ids) => {
    const rows = await ex
      .select({ id: workOrderCategory.id, name: workOrderCategory.name })
      .from(workOrderCategory)
      .where(inArray(workOrderCategory.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  });
}
