import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../db/columns.js';
import { ltree } from '../db/types.js';

/** Long work (imports, exports, reports) with progress; claimed with FOR UPDATE SKIP LOCKED. */
export const job = pgTable(
  'job',
  {
    id: id(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('queued'),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    cancelRequested: integer('cancel_requested').notNull().default(0),
    createdBy: uuid('created_by'),
    orgPath: ltree('org_path'),
    createdAt: createdAt(),
    startedAt: tstz('started_at'),
    heartbeatAt: tstz('heartbeat_at'),
    finishedAt: tstz('finished_at'),
  },
  (t) => [
    index('job_status_idx').on(t.status, t.createdAt),
    index('job_creator_idx').on(t.createdBy, t.createdAt),
  ],
);
