import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { id, tstz } from '../db/columns.js';
import { ltree } from '../db/types.js';

/** Append-only record of who did what to which record. Summaries never hold ID numbers or phones. */
export const auditEvent = pgTable(
  'audit_event',
  {
    id: id(),
    at: tstz('at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    orgPath: ltree('org_path'),
    summary: text('summary'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    ip: text('ip'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_event_at_idx').on(t.at),
    index('audit_event_actor_idx').on(t.actorId, t.at),
    index('audit_event_target_idx').on(t.targetType, t.targetId),
    index('audit_event_path_gist').using('gist', t.orgPath),
  ],
);
