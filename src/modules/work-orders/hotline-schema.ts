import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { tstz, updatedAt } from '../../platform/db/columns.js';
import { user } from '../accounts/schema.js';
import { workOrder } from './schema.js';

/**
 * A 12345 hotline ticket as the hotline centre last sent it (keyed by its 工单编号, which is also
 * the work order's `external_no`): the centre's own deadline, status and handling unit, kept for
 * the reply export and to tell on re-import what changed.
 */
export const hotlineTicket = pgTable('hotline_ticket', {
  externalNo: text('external_no').primaryKey(),
  workOrderId: uuid('work_order_id')
    .notNull()
    .unique()
    .references(() => workOrder.id),
  handlerName: text('handler_name'),
  deadline: tstz('deadline'),
  status: text('status'),
  importedBy: uuid('imported_by').references(() => user.id),
  importedAt: tstz('imported_at').notNull().defaultNow(),
  updatedAt: updatedAt(),
});
