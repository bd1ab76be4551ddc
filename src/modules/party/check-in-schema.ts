import { sql } from 'drizzle-orm';
import {
  char,
  check,
  date,
  index,
  integer,
  pgTable,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.js';
import { ltree } from '../../platform/db/types.js';
import { orgUnit } from '../org/schema.js';
import { partyMember, partyOrg } from './schema.js';

/**
 * 双报到: an in-service member registers with the community where they live (kind `member`), or a
 * workplace's party organisation with the street or community it co-builds with (kind `organisation`).
 * `org_path` is the receiving unit's path (the community confirms); `workplace_path` is the workplace
 * organisation's, so the workplace reads its own members' records and nobody else's.
 */
export const partyCheckIn = pgTable(
  'party_check_in',
  {
    id: id(),
    kind: text('kind').notNull(),
    memberId: uuid('member_id').references(() => partyMember.id),
    /** The workplace's party organisation (the member's, when it is in the system; the organisation checking in). */
    workplaceOrgId: uuid('workplace_org_id').references(() => partyOrg.id),
    workplacePath: ltree('workplace_path'),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnit.id),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    /** pending → confirmed | refused */
    status: text('status').notNull(),
    note: text('note'),
    reason: text('reason'),
    decidedBy: uuid('decided_by'),
    decidedAt: tstz('decided_at'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    // one live check-in per member, and per organisation and unit
    uniqueIndex('party_check_in_member_key').on(t.memberId).where(sql`status <> 'refused'`),
    uniqueIndex('party_check_in_org_key')
      .on(t.workplaceOrgId, t.orgUnitId)
      .where(sql`kind = 'organisation' and status <> 'refused'`),
    index('party_check_in_path_gist').using('gist', t.orgPath),
    index('party_check_in_workplace_gist').using('gist', t.workplacePath),
    check('party_check_in_subject', sql`(kind = 'member') = (member_id is not null)`),
  ],
);

/** 认岗: a post on a community's list (楼栋联络员, 政策宣讲员, 志愿服务 …) that checked-in members pick. */
export const communityPost = pgTable(
  'community_post',
  {
    id: id(),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnit.id),
    orgPath: ltree('org_path').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** How many members the post takes; null: no limit. */
    capacity: integer('capacity'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('community_post_name_key').on(t.orgUnitId, t.name),
    index('community_post_path_gist').using('gist', t.orgPath),
  ],
);

/** A member's pick of a post (认岗), one row per check-in and post. */
export const communityPostPick = pgTable(
  'community_post_pick',
  {
    id: id(),
    checkInId: uuid('check_in_id')
      .notNull()
      .references(() => partyCheckIn.id),
    postId: uuid('post_id')
      .notNull()
      .references(() => communityPost.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('community_post_pick_key').on(t.checkInId, t.postId),
    index('community_post_pick_post_idx').on(t.postId),
  ],
);

/** 服务纪实: one service a checked-in member did, with date, time spent and evidence; the community confirms. */
export const serviceRecord = pgTable(
  'service_record',
  {
    id: id(),
    checkInId: uuid('check_in_id')
      .notNull()
      .references(() => partyCheckIn.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => partyMember.id),
    postId: uuid('post_id').references(() => communityPost.id),
    orgPath: ltree('org_path').notNull(),
    workplacePath: ltree('workplace_path'),
    districtCode: char('district_code', { length: 6 }),
    servedOn: date('served_on').notNull(),
    /** Time spent, in minutes (hours are shown). */
    minutes: integer('minutes').notNull(),
    what: text('what').notNull(),
    photoFileId: uuid('photo_file_id'),
    /** recorded → confirmed | refused */
    status: text('status').notNull(),
    reason: text('reason'),
    decidedBy: uuid('decided_by'),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('service_record_check_in_idx').on(t.checkInId, t.servedOn),
    index('service_record_path_gist').using('gist', t.orgPath),
    check('service_record_minutes', sql`${t.minutes} > 0 and ${t.minutes} <= 1440`),
  ],
);

/** 双向评价: once a year the community rates the member (for the workplace) and the member rates the community. */
export const mutualReview = pgTable(
  'mutual_review',
  {
    id: id(),
    checkInId: uuid('check_in_id')
      .notNull()
      .references(() => partyCheckIn.id),
    year: smallint('year').notNull(),
    /** community (the community rates the member) | member (the member rates the community) */
    reviewer: text('reviewer').notNull(),
    /** excellent | good | fair | poor (优秀 / 称职 / 基本称职 / 不称职) */
    rating: text('rating').notNull(),
    comment: text('comment'),
    reviewedBy: uuid('reviewed_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('mutual_review_key').on(t.checkInId, t.year, t.reviewer)],
);
