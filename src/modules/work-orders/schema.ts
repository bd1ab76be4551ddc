import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from '../../platform/db/columns.js';
import { ltree } from '../../platform/db/types.js';
import { user } from '../accounts/schema.js';
import { orgUnit } from '../org/schema.js';
import type { Answers, Question } from './questions.js';

export const workOrderCategory = pgTable('work_order_category', {
  id: id(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  parentCode: text('parent_code'),
  handlerType: text('handler_type').notNull(),
  department: text('department'),
  slaHours: integer('sla_hours'),
  slaWorkingDays: integer('sla_working_days'),
  staffOnly: boolean('staff_only').notNull().default(false),
  common: boolean('common').notNull().default(false),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
  /** Reply templates by outcome (解决 / 解释说明 / …), offered to handlers when they resolve. */
  replyTemplates: jsonb('reply_templates').$type<Record<string, string[]>>().notNull().default({}),
  /** What a report in this category must or may also say (Open311 service attributes); see questions.ts. */
  questions: jsonb('questions').$type<Question[]>().notNull().default([]),
});

/**
 * A work order and the projection of its events (status, handler, due time, counters). `org_path`
 * is the place it happened (grid, else community); `handler_path` is the unit handling it now, so a
 * department sees what was sent to it without seeing the whole district.
 */
export const workOrder = pgTable(
  'work_order',
  {
    id: id(),
    number: text('number').notNull(),
    channel: text('channel').notNull(),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => workOrderCategory.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    address: text('address'),
    placeId: uuid('place_id')
      .notNull()
      .references(() => orgUnit.id),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    reporterUserId: uuid('reporter_user_id').references(() => user.id),
    reporterName: text('reporter_name'),
    reporterPhoneEnc: text('reporter_phone_enc'),
    reporterPhoneHash: text('reporter_phone_hash'),
    anonymous: boolean('anonymous').notNull().default(false),
    urgency: text('urgency').notNull().default('normal'),
    externalNo: text('external_no'),
    status: text('status').notNull(),
    outcome: text('outcome'),
    handlerUnitId: uuid('handler_unit_id').references(() => orgUnit.id),
    handlerUserId: uuid('handler_user_id').references(() => user.id),
    handlerPath: ltree('handler_path'),
    dueAt: tstz('due_at'),
    followUpDueAt: tstz('follow_up_due_at'),
    rating: text('rating'),
    /** A duplicate's master: its reporter may follow and rate there (kept with the projection). */
    mergedInto: uuid('merged_into'),
    reworkCount: integer('rework_count').notNull().default(0),
    returnCount: integer('return_count').notNull().default(0),
    problem: boolean('problem').notNull().default(false),
    /** When the deadline sweep told the handler the due time is near / passed, and escalated it. */
    dueSoonNotifiedAt: tstz('due_soon_notified_at'),
    overdueNotifiedAt: tstz('overdue_notified_at'),
    escalatedAt: tstz('escalated_at'),
    /** Moderation: what the public (Open311, other residents) sees instead of the original text and photos. */
    publicDescription: text('public_description'),
    publicPhotos: jsonb('public_photos').$type<Record<string, string | null>>(),
    /** Answers to the category's questions, by question code (checked against them at intake). */
    answers: jsonb('answers').$type<Answers>(),
    /** The full projection, for the page and for checks (kept with the columns above in one write). */
    state: jsonb('state').notNull(),
    eventCount: integer('event_count').notNull().default(1),
    createdBy: uuid('created_by').references(() => user.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: tstz('closed_at'),
  },
  (t) => [
    uniqueIndex('work_order_number_key').on(t.districtCode, t.number),
    uniqueIndex('work_order_external_key').on(t.externalNo).where(sql`${t.externalNo} is not null`),
    index('work_order_path_gist').using('gist', t.orgPath),
    index('work_order_handler_gist').using('gist', t.handlerPath),
    index('work_order_status_idx').on(t.status, t.dueAt),
    index('work_order_reporter_idx').on(t.reporterUserId, t.createdAt),
    index('work_order_created_idx').on(t.createdAt),
    index('work_order_merged_idx').on(t.mergedInto).where(sql`${t.mergedInto} is not null`),
  ],
);

/** Append-only: the history every projection, timeline and statistic is computed from. */
export const workOrderEvent = pgTable(
  'work_order_event',
  {
    id: id(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrder.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    at: tstz('at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    /** Event data: handler, due time, outcome, rating, departments, reason, reply text, photo ids. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    uniqueIndex('work_order_event_seq_key').on(t.workOrderId, t.seq),
    index('work_order_event_type_idx').on(t.type, t.at),
  ],
);

/** 吹哨报到: one row per department whistled to, for the board of who has not answered. */
export const workOrderWhistle = pgTable(
  'work_order_whistle',
  {
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrder.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => orgUnit.id),
    departmentPath: ltree('department_path').notNull(),
    whistledAt: tstz('whistled_at').notNull(),
    dueAt: tstz('due_at').notNull(),
    acknowledgedAt: tstz('acknowledged_at'),
    repliedAt: tstz('replied_at'),
    /** Unanswered past its due time: escalated to the district and counted against the department. */
    escalatedAt: tstz('escalated_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workOrderId, t.departmentId] }),
    index('work_order_whistle_dept_gist').using('gist', t.departmentPath),
  ],
);

/** GD + date + 4-digit serial per district and day (so a number is unique within its district). */
export const workOrderSerial = pgTable(
  'work_order_serial',
  {
    districtCode: char('district_code', { length: 6 }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.districtCode, t.day] })],
);

/** A retried intake (same Idempotency-Key from the same user) returns the first result. */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    key: text('key').notNull(),
    userId: uuid('user_id').notNull(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrder.id),
    /** A step on an existing order (POST …/events): the seq of the event it added; null for an intake. */
    eventSeq: integer('event_seq'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
